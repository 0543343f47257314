"""``smartguard db``, ``smartguard keys`` and ``smartguard cards``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from smartguard.bootstrap import bootstrap, upgrade
from smartguard.entrypoints.cli.options import (
    CLI_ACTOR,
    config_option,
    data_dir_option,
    settings_from,
)
from smartguard.service_layer import cards, keys
from smartguard.service_layer.records import Role


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@config_option
@data_dir_option
def db_upgrade(config: Path | None, data_dir: Path | None) -> None:
    """Create or upgrade the schema (serve also does this on an empty database)."""
    applied = upgrade(settings_from(config, data_dir=data_dir))
    click.echo("applied: " + ", ".join(applied) if applied else "schema is up to date")


@click.group("keys")
def keys_group() -> None:
    """API keys."""


@keys_group.command("create")
@config_option
@data_dir_option
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]))
@click.option("--label", default="", help="Who the key is for.")
@click.option("--cardholder", "cardholder_id", default=None,
              help="Limit the key to one cardholder's cards.")
def keys_create(config: Path | None, data_dir: Path | None, role: str, label: str,
                cardholder_id: str | None) -> None:
    """Create an API key and print its token (shown only once)."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        key, token = sg.write(lambda uow: keys.create_key(
            uow, sg.ctx, Role(role), label, cardholder_id))
    finally:
        sg.close()
    click.echo(f"key {key.id} role={key.role.value}")
    click.echo(token)


@click.group("cards")
def cards_group() -> None:
    """Cards and cardholders."""


@cards_group.command("enrol")
@config_option
@data_dir_option
@click.option("--name", required=True)
@click.option("--phone", required=True, help="E.164, e.g. +8613800138000")
@click.option("--pan", prompt=True, hide_input=True, help="Card number (prompted if absent).")
@click.option("--balance", type=int, default=0, help="Opening balance in minor units.")
@click.option("--currency", default="CNY")
@click.option("--language", default="zh-CN", type=click.Choice(["zh-CN", "en"]))
@click.option("--timezone", default="Asia/Shanghai")
@click.option("--product", default="debit_standard")
def cards_enrol(config: Path | None, data_dir: Path | None, name: str, phone: str, pan: str,
                balance: int, currency: str, language: str, timezone: str,
                product: str) -> None:
    """Enrol a cardholder, an account and a card in one step."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))

    def job(uow: Any) -> Any:
        h = cards.enrol_cardholder(uow, sg.ctx, CLI_ACTOR, name, phone, language, timezone)
        a = cards.open_account(uow, sg.ctx, CLI_ACTOR, h.id, currency, balance)
        return cards.enrol_card(uow, sg.ctx, CLI_ACTOR, pan, a.id, product)

    try:
        rec = sg.write(job)
    finally:
        sg.close()
    click.echo(f"card {rec.card.id} {rec.card.masked} cardholder {rec.cardholder.id} "
               f"account {rec.account.id}")
