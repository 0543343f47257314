"""The ``smartguard`` command line."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from smartguard import __version__
from smartguard.bootstrap import bootstrap, upgrade
from smartguard.config import Settings, load
from smartguard.domain.errors import SmartGuardError
from smartguard.entrypoints import cli_advisor, logs
from smartguard.service_layer import cards, keys
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import Role

CLI_ACTOR = Actor("cli", "cli")


def _settings(config: Path | None, **overrides: Any) -> Settings:
    try:
        return load(config, **overrides)
    except SmartGuardError as exc:
        raise click.ClickException(str(exc)) from exc


config_option = click.option("--config", "config", type=click.Path(path_type=Path,
                             exists=True, dir_okay=False), help="TOML settings file.")
data_dir_option = click.option("--data-dir", type=click.Path(path_type=Path),
                               help="Where the database and secret live "
                               "(default ./smartguard-data).")


class Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SmartGuardError as exc:
            raise click.ClickException(str(exc)) from exc


@click.group(cls=Group)
@click.version_option(__version__, prog_name="smartguard")
def main() -> None:
    """SmartGuard: account-security guard for bank debit cards."""


@main.command()
@config_option
@data_dir_option
@click.option("--host", help="HTTP host (default 127.0.0.1).")
@click.option("--port", type=int, help="HTTP port (default 8000).")
@click.option("--iso-port", type=int, help="ISO 8583 TCP port (default 8583).")
@click.option("--no-iso", is_flag=True, help="Do not start the ISO 8583 server.")
@click.option("--iso-workers", type=int, default=None,
              help="ISO 8583 front processes (0: the gateway runs in this process).")
@click.option("--log-level", default=None, help="debug, info, warning, error.")
def serve(config: Path | None, data_dir: Path | None, host: str | None, port: int | None,
          iso_port: int | None, no_iso: bool, iso_workers: int | None,
          log_level: str | None) -> None:
    """Serve the HTTP API (and the ISO 8583 gateway) until interrupted."""
    from smartguard.entrypoints.serve import event_loop_runner
    from smartguard.entrypoints.serve import serve as serve_main

    settings = _settings(config, data_dir=data_dir, http_host=host, http_port=port,
                         iso_port=iso_port, iso_enabled=False if no_iso else None,
                         iso_workers=iso_workers,
                         log_level=log_level)
    logs.configure(settings.log_level)
    event_loop_runner()(serve_main(settings))


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@config_option
@data_dir_option
def db_upgrade(config: Path | None, data_dir: Path | None) -> None:
    """Create or upgrade the schema (serve also does this on an empty database)."""
    applied = upgrade(_settings(config, data_dir=data_dir))
    click.echo("applied: " + ", ".join(applied) if applied else "schema is up to date")


@main.group("keys")
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
    sg = bootstrap(_settings(config, data_dir=data_dir))
    try:
        key, token = sg.write(lambda uow: keys.create_key(
            uow, sg.ctx, Role(role), label, cardholder_id))
    finally:
        sg.close()
    click.echo(f"key {key.id} role={key.role.value}")
    click.echo(token)


@main.group("cards")
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
    sg = bootstrap(_settings(config, data_dir=data_dir))

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


@main.command()
@data_dir_option
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--iso-port", type=int, default=8583, show_default=True)
@click.option("--exit", "exit_after", is_flag=True,
              help="Stop after the scripted day instead of serving on.")
def demo(data_dir: Path | None, port: int, iso_port: int, exit_after: bool) -> None:
    """Enrol demo cardholders, play a scripted day of traffic, then keep serving."""
    from smartguard.entrypoints.demo import run_demo

    sys.exit(run_demo(data_dir or Path("smartguard-demo"), port, iso_port, exit_after))


from smartguard.entrypoints import notifier_cli  # noqa: E402,F401  (registers `notifier`)

cli_advisor.register(main)

if __name__ == "__main__":
    # Run as ``python -m smartguard.entrypoints.cli``: this module is then ``__main__``,
    # and commands registered from other modules live on the imported module's group.
    from smartguard.entrypoints.cli import main as registered

    registered()
