"""The starter pack of monitoring rules (docs/rules.md#the-starter-pack), shipped as data
(``starter_pack.toml`` in this package) and installed on request, never by default.

Installing creates each rule as a draft (or puts it in shadow), through the same use case
as an operator's ``create``: compiled, versioned and audited with the installer's name.
A rule whose id exists already is left as it is (installing twice changes nothing), so a
bank's edits to a starter rule survive a reinstall.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from smartguard.domain.rules import MonitoringRule, RuleAction, RuleStatus
from smartguard.service_layer import rules as ru
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class StarterRule:
    id: str
    name: str
    action: RuleAction
    expression: str
    message_zh: str
    message_en: str


def starter_rules() -> tuple[StarterRule, ...]:
    """The pack's rules, in their file's order."""
    text = resources.files("smartguard.service_layer").joinpath(
        "starter_pack.toml").read_text("utf-8")
    return tuple(
        StarterRule(r["id"], r["name"], RuleAction(r["action"]), r["expression"].strip(),
                    r["message_zh"], r["message_en"])
        for r in tomllib.loads(text)["rule"])


@dataclass(frozen=True, slots=True)
class Installed:
    rule_id: str
    installed: bool  # False: a rule with this id existed, left as it was
    rule: MonitoringRule


def install(uow: UnitOfWork, ctx: Context, actor: Actor,
            status: RuleStatus = RuleStatus.DRAFT) -> list[Installed]:
    """Create the pack's rules that do not exist yet, as drafts or in shadow."""
    if status not in (RuleStatus.DRAFT, RuleStatus.SHADOW):
        raise ValueError("the starter pack installs as drafts or in shadow")
    out: list[Installed] = []
    for s in starter_rules():
        if uow.rules.versions(s.id):
            out.append(Installed(s.id, False, ru.get(uow, s.id)))
            continue
        rule = ru.create(uow, ctx, actor, s.id, s.name, s.expression, s.action,
                         s.message_zh, s.message_en)
        if status is RuleStatus.SHADOW:
            rule = ru.move(uow, ctx, actor, s.id, RuleStatus.SHADOW)
        out.append(Installed(s.id, True, rule))
    return out
