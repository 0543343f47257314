"""``smartguard rules``: the bank's monitoring rules from the command line (the same use
cases as ``/v1/rules``, docs/rules.md). Each command prints JSON."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import click

from smartguard.bootstrap import App, bootstrap
from smartguard.domain.rules import RuleAction, RuleStatus
from smartguard.entrypoints.cli.options import config_option, data_dir_option, settings_from
from smartguard.entrypoints.http_api.rules import rule_view
from smartguard.service_layer import backtest as bt
from smartguard.service_layer import rules as ru
from smartguard.service_layer import starter_pack
from smartguard.service_layer.context import Actor

operator_option = click.option(
    "--operator", default="cli", show_default=True,
    help="Who makes the change (the audit trail; with four eyes, activation takes two).")


def _app(config: Path | None, data_dir: Path | None) -> App:
    return bootstrap(settings_from(config, data_dir=data_dir))


def _echo(value: Any) -> None:
    click.echo(json.dumps(value, ensure_ascii=False, indent=2, default=str))


@click.group("rules")
def rules_group() -> None:
    """The bank's monitoring rules (CEL): list, create, move, backtest, the starter pack."""


@rules_group.command("list")
@config_option
@data_dir_option
def rules_list(config: Path | None, data_dir: Path | None) -> None:
    """Every rule, its latest version."""
    sg = _app(config, data_dir)
    try:
        _echo([rule_view(r) for r in sg.read(lambda uow: uow.rules.all())])
    finally:
        sg.close()


@rules_group.command("create")
@config_option
@data_dir_option
@operator_option
@click.option("--id", "rule_id", required=True, help="a-z, 0-9 and _, 2-48 characters.")
@click.option("--name", required=True)
@click.option("--expression", required=True, help="A CEL expression that is true on a hit.")
@click.option("--action", type=click.Choice([a.value for a in RuleAction]), required=True)
@click.option("--message-zh", required=True)
@click.option("--message-en", required=True)
def rules_create(config: Path | None, data_dir: Path | None, operator: str, rule_id: str,
                 name: str, expression: str, action: str, message_zh: str,
                 message_en: str) -> None:
    """A new rule, a draft (refused with the position of the error if it does not
    compile)."""
    sg = _app(config, data_dir)
    actor = Actor(operator, "cli")
    try:
        rule = sg.write(lambda uow: ru.create(uow, sg.ctx, actor, rule_id, name, expression,
                                              RuleAction(action), message_zh, message_en))
        _echo(rule_view(rule))
    finally:
        sg.close()


@rules_group.command("move")
@config_option
@data_dir_option
@operator_option
@click.argument("rule_id")
@click.argument("status", type=click.Choice([s.value for s in RuleStatus
                                             if s is not RuleStatus.DRAFT]))
def rules_move(config: Path | None, data_dir: Path | None, operator: str, rule_id: str,
               status: str) -> None:
    """Put a rule in shadow, make it active (with four eyes: asked by one operator, done
    by another) or retire it."""
    sg = _app(config, data_dir)
    actor = Actor(operator, "cli")
    try:
        _echo(rule_view(sg.write(lambda uow: ru.move(uow, sg.ctx, actor, rule_id,
                                                     RuleStatus(status)))))
    finally:
        sg.close()


@rules_group.command("backtest")
@config_option
@data_dir_option
@click.option("--expression", required=True)
@click.option("--days", type=click.IntRange(1, bt.MAX_DAYS), default=30, show_default=True)
@click.option("--product", default=None, help="Only cards of this product.")
def rules_backtest(config: Path | None, data_dir: Path | None, expression: str, days: int,
                   product: str | None) -> None:
    """Run an expression over the recorded decisions of the last ``--days``: hits, their
    amount, how many were declined anyway, how many fell on cards later frozen."""
    sg = _app(config, data_dir)
    try:
        _echo(asdict(sg.read(lambda uow: bt.backtest(uow, sg.ctx, expression, days,
                                                     product))))
    finally:
        sg.close()


@rules_group.command("install-starter-pack")
@config_option
@data_dir_option
@operator_option
@click.option("--shadow", is_flag=True,
              help="Put the rules in shadow (hits recorded, nothing enforced); else drafts.")
def rules_install_starter_pack(config: Path | None, data_dir: Path | None, operator: str,
                               shadow: bool) -> None:
    """Create the six starter rules (docs/rules.md#the-starter-pack) as drafts or in
    shadow; a rule whose id exists is left as it is. Nothing is enforced until an operator
    activates a rule."""
    sg = _app(config, data_dir)
    actor = Actor(operator, "cli")
    status = RuleStatus.SHADOW if shadow else RuleStatus.DRAFT
    try:
        done = sg.write(lambda uow: starter_pack.install(uow, sg.ctx, actor, status))
        _echo([{"id": i.rule_id, "installed": i.installed, "status": i.rule.status.value}
               for i in done])
    finally:
        sg.close()
