"""Use cases: the bank's monitoring rules, written and moved through their lifecycle by
operators (docs/rules.md#lifecycle). Every change is audited with its author.

A rule is compiled when it is saved (a :class:`~smartguard.domain.rules.RuleCompileError`
is a 422 with its position; nothing is saved). Editing makes a new version, a draft; the
version that was live stays live until the new one is put in shadow or activated, which
retires it. With four eyes (``rules_four_eyes``), activating takes two operators: the first
asks, a second one activates.
"""

from __future__ import annotations

import re
from dataclasses import replace

from smartguard.domain.rules import (
    MonitoringRule,
    RuleAction,
    RuleStatus,
    check_transition,
)
from smartguard.errors import InvalidInput, InvalidState, NotFound
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry

_ID = re.compile(r"^[a-z][a-z0-9_]{1,47}$")


class UnknownRule(NotFound):
    code = "unknown_rule"


def _check(ctx: Context, expression: str) -> None:
    if ctx.rule_language is None:
        raise InvalidState("no rule language is configured")
    ctx.rule_language.compile(expression)


def create(uow: UnitOfWork, ctx: Context, actor: Actor, rule_id: str, name: str,
           expression: str, action: RuleAction, message_zh: str,
           message_en: str) -> MonitoringRule:
    if not _ID.match(rule_id):
        raise InvalidInput("id", "2-48 characters: a-z, 0-9 and _, starting with a letter")
    if uow.rules.versions(rule_id):
        raise InvalidInput("id", f"a rule {rule_id} exists already", "rule_exists")
    _check(ctx, expression)
    rule = MonitoringRule(rule_id, 1, name, expression, action, RuleStatus.DRAFT, message_zh,
                          message_en, actor.id, ctx.clock())
    uow.rules.add(rule)
    _audit(uow, ctx, actor, "rule.create", None, rule)
    return rule


def edit(uow: UnitOfWork, ctx: Context, actor: Actor, rule_id: str, *,
         name: str | None = None, expression: str | None = None,
         action: RuleAction | None = None, message_zh: str | None = None,
         message_en: str | None = None) -> MonitoringRule:
    """A new version (a draft) with the changes; the live version stays live."""
    old = get(uow, rule_id)
    if old.status is RuleStatus.RETIRED:
        raise InvalidState("a retired rule is not edited: create a new one")
    new_expression = old.expression if expression is None else expression
    _check(ctx, new_expression)
    new = MonitoringRule(
        rule_id, old.version + 1, name or old.name, new_expression, action or old.action,
        RuleStatus.DRAFT, message_zh or old.message_zh, message_en or old.message_en,
        actor.id, ctx.clock())
    uow.rules.add(new)
    _audit(uow, ctx, actor, "rule.edit", old, new)
    return new


def move(uow: UnitOfWork, ctx: Context, actor: Actor, rule_id: str,
         status: RuleStatus) -> MonitoringRule:
    """Put the latest version in ``status``. Activation under four eyes: the first
    operator's call records the request (the rule stays as it is), a different operator's
    call activates."""
    old = get(uow, rule_id)
    check_transition(old.status, status)
    now = ctx.clock()
    if status is RuleStatus.ACTIVE and ctx.four_eyes:
        asked = old.activation_requested_by
        if asked is None or asked == actor.id:
            new = replace(old, activation_requested_by=actor.id, updated_at=now)
            uow.rules.update(new)
            _audit(uow, ctx, actor, "rule.activation_requested", old, new)
            return new
    new = replace(old, status=status, updated_at=now, activation_requested_by=None)
    uow.rules.update(new)
    if status in (RuleStatus.SHADOW, RuleStatus.ACTIVE):
        _retire_older(uow, ctx, actor, new)
    _audit(uow, ctx, actor, f"rule.{status.value}", old, new)
    return new


def _retire_older(uow: UnitOfWork, ctx: Context, actor: Actor, live: MonitoringRule) -> None:
    for v in uow.rules.versions(live.id):
        if v.version < live.version and v.status in (RuleStatus.SHADOW, RuleStatus.ACTIVE):
            retired = replace(v, status=RuleStatus.RETIRED, updated_at=ctx.clock())
            uow.rules.update(retired)
            _audit(uow, ctx, actor, "rule.retired", v, retired)


def get(uow: UnitOfWork, rule_id: str) -> MonitoringRule:
    versions = uow.rules.versions(rule_id)
    if not versions:
        raise UnknownRule(f"no rule {rule_id}")
    return versions[-1]


def _audit(uow: UnitOfWork, ctx: Context, actor: Actor, action: str,
           old: MonitoringRule | None, new: MonitoringRule) -> None:
    uow.audit.add(AuditEntry(ctx.clock(), actor.id, actor.channel, action, None, None,
                             _summary(old), _summary(new)))


def _summary(rule: MonitoringRule | None) -> dict[str, object] | None:
    if rule is None:
        return None
    return {"id": rule.id, "version": rule.version, "status": rule.status.value,
            "action": rule.action.value, "expression": rule.expression,
            "requested_by": rule.activation_requested_by}
