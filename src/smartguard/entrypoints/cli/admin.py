"""``smartguard db``, ``smartguard keys`` and ``smartguard cards``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from smartguard.bootstrap import bootstrap, upgrade
from smartguard.domain.money import format_amount
from smartguard.entrypoints.cli.options import (
    CLI_ACTOR,
    config_option,
    data_dir_option,
    settings_from,
)
from smartguard.entrypoints.http_api.views import card_view, mask_phone
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


@keys_group.command("list")
@config_option
@data_dir_option
def keys_list(config: Path | None, data_dir: Path | None) -> None:
    """List the API keys (never their secrets), revoked ones marked."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        found = sg.read(lambda uow: uow.keys.list())
    finally:
        sg.close()
    for k in found:
        state = f"revoked {k.revoked_at:%Y-%m-%d %H:%M}Z" if k.revoked_at else "active"
        scope = f" cardholder={k.cardholder_id}" if k.cardholder_id else ""
        click.echo(f"{k.id}  {k.role.value:<14} {state:<24} created "
                   f"{k.created_at:%Y-%m-%d}  {k.label}{scope}")


@keys_group.command("revoke")
@config_option
@data_dir_option
@click.argument("key_id")
def keys_revoke(config: Path | None, data_dir: Path | None, key_id: str) -> None:
    """Revoke an API key (audited; a running server refuses it within 10 s)."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        key = sg.write(lambda uow: keys.revoke_key(uow, sg.ctx, CLI_ACTOR, key_id))
    finally:
        sg.close()
    click.echo(f"key {key.id} revoked")


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


@cards_group.command("list")
@config_option
@data_dir_option
@click.option("--last4", default=None, help="Only cards ending so.")
@click.option("--phone", default=None, help="Only the cards of this phone (E.164).")
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def cards_list(config: Path | None, data_dir: Path | None, last4: str | None,
               phone: str | None, limit: int) -> None:
    """List cards: id, masked number, status, cardholder, balance."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        found = sg.read(lambda uow: uow.cards.search(last4, phone, limit))
    finally:
        sg.close()
    for r in found:
        click.echo(f"{r.card.id}  {r.card.masked}  {r.card.status.value:<7} "
                   f"{r.cardholder.name}  {mask_phone(r.cardholder.phone)}  "
                   f"{format_amount(r.account.balance, r.account.currency)}")


@cards_group.command("show")
@config_option
@data_dir_option
@click.argument("card_id")
def cards_show(config: Path | None, data_dir: Path | None, card_id: str) -> None:
    """One card as the API shows it (JSON): holder, account, every protection."""
    sg = bootstrap(settings_from(config, data_dir=data_dir))
    try:
        rec = sg.read(lambda uow: cards.card_for(uow, CLI_ACTOR, card_id))
    finally:
        sg.close()
    click.echo(json.dumps(card_view(rec), ensure_ascii=False, indent=2))
