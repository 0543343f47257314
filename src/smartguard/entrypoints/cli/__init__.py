"""The ``smartguard`` command line: the group, and every command registered in one place
(each module of this package defines its commands; none imports this one)."""

from __future__ import annotations

from typing import Any

import click

from smartguard import __version__
from smartguard.domain.errors import SmartGuardError
from smartguard.entrypoints.cli import (
    admin,
    advisor,
    bench,
    config,
    notifier,
    rules,
    server,
    simulate,
)


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


COMMANDS: tuple[click.Command, ...] = (
    server.serve, server.demo, notifier.notifier, admin.db, admin.keys_group,
    admin.cards_group, advisor.advisor, advisor.agreements_group, config.config_group,
    simulate.simulate, rules.rules_group, bench.bench_group,
)
for _command in COMMANDS:
    main.add_command(_command)
