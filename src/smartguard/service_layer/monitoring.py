"""Run the bank's live monitoring rules over one request (docs/rules.md).

Called by :func:`~smartguard.service_layer.authorize.authorize` before the engine: the
enforced finding (the strongest of the active rules that matched: decline, then step-up,
then alert) goes to the engine in ``CardState.monitoring``, which gives it its place in the
order. Every match of a live rule, shadow or active, and every failure is recorded with the
decision (``rule_hits``), in the same transaction. A rule that fails at run time is logged,
counted (:data:`ERRORS`) and treated as not matched.

With no live rule (or no rule language configured) this costs one cached lookup.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import structlog

from smartguard.domain.activity import CardActivity
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.explain import rule_detail
from smartguard.domain.rule_variables import Variables
from smartguard.domain.rules import (
    MonitoringRule,
    RuleAction,
    RuleLanguage,
    RuleRuntimeError,
    RuleStatus,
)
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.service_layer import activity as act
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.rule_records import ERROR, HIT, RuleHitRecord

log = structlog.get_logger("smartguard.rules")
#: Run-time failures by rule id, since the process started (``/metrics``, the console).
ERRORS: Counter[str] = Counter()  # live rules only (a backtest's failures are its own)

_STRENGTH = {RuleAction.DECLINE: 0, RuleAction.VERIFY: 1, RuleAction.ALERT: 2}
_REASON = {RuleAction.DECLINE: Reason.RULE_DECLINE, RuleAction.VERIFY: Reason.RULE_VERIFICATION,
           RuleAction.ALERT: Reason.RULE_DECLINE}  # alert-only: the decline it would be


@dataclass(frozen=True, slots=True)
class Outcome:
    verdict: Verdict | None  # the enforced finding, for the engine
    results: tuple[tuple[MonitoringRule, str], ...]  # (rule, HIT or ERROR) to record


NOTHING = Outcome(None, ())
Failed = Callable[[MonitoringRule, str], None]


def evaluate(uow: UnitOfWork, language: RuleLanguage | None, card: CardRecord,
             request: AuthorizationRequest, now: datetime, local: datetime) -> Outcome:
    """The live rules over ``request`` (debits only: inquiries and refunds are never
    stopped by a rule)."""
    if language is None or not request.is_debit:
        return NOTHING
    rules = uow.rules.live()
    if not rules:
        return NOTHING
    activity = act.load(uow, card, now)
    return run(language, rules, request, card, activity, now, local, count_failure)


def run(language: RuleLanguage, rules: tuple[MonitoringRule, ...],
        request: AuthorizationRequest, card: CardRecord, activity: CardActivity,
        now: datetime, local: datetime, failed: Failed | None = None) -> Outcome:
    """``rules`` over one request, given the card's activity before it (also the
    backtest's way: the same code decides live and on history). A rule that fails is
    recorded as an ERROR and told to ``failed`` (the live path counts and logs it)."""
    c = card.card
    variables = Variables(request, c.status.value, c.product, card.controls, activity, now,
                          local)
    results: list[tuple[MonitoringRule, str]] = []
    enforced: MonitoringRule | None = None
    for rule in _screen(language, rules, request, variables):
        try:
            matched = language.compile(rule.expression).matches(variables)
        except Exception as exc:  # RuleRuntimeError, or a rule saved under other checks
            if failed is not None:
                failed(rule, exc.message if isinstance(exc, RuleRuntimeError) else str(exc))
            results.append((rule, ERROR))
            continue
        if matched:
            results.append((rule, HIT))
            if rule.status is RuleStatus.ACTIVE and (
                    enforced is None or _STRENGTH[rule.action] < _STRENGTH[enforced.action]):
                enforced = rule
    if not results:
        return NOTHING
    return Outcome(_verdict(enforced) if enforced else None, tuple(results))


#: The request's values a screen looks at: few distinct values, so the answer of every
#: rule's guards on them is kept per combination (a shape), and most rules are never run.
SHAPE = ("kind", "channel", "terminal", "card_present", "entry_mode", "quick_pay",
         "domestic")
_Screens = dict[tuple[object, ...], tuple[MonitoringRule, ...]]
_SCREENS: dict[int, tuple[tuple[MonitoringRule, ...], _Screens]] = {}


def _shape(r: AuthorizationRequest) -> tuple[object, ...]:
    """What determines the values of :data:`SHAPE` (the same request attributes)."""
    return (r.kind, r.card_present, r.terminal, r.entry_mode, r.agreement_id is not None,
            r.country == "CN")


def _screen(language: RuleLanguage, rules: tuple[MonitoringRule, ...],
            request: AuthorizationRequest, variables: Variables
            ) -> tuple[MonitoringRule, ...]:
    """The rules that could match a request of this shape (the others' guards on the
    shape's values alone say no), in their order. Kept per rules tuple (the live rules are one
    cached tuple until they change; a backtest has its own)."""
    entry = _SCREENS.get(id(rules))
    if entry is None or entry[0] is not rules:
        if len(_SCREENS) >= 8:
            _SCREENS.clear()
        entry = _SCREENS[id(rules)] = (rules, {})
    key = _shape(request)
    found = entry[1].get(key)
    if found is None:
        known = {name: variables(name) for name in SHAPE}
        found = entry[1][key] = tuple(r for r in rules if _could(language, r, known.get))
    return found


def _could(language: RuleLanguage, rule: MonitoringRule,
           resolve: Callable[[str], object]) -> bool:
    try:
        return language.compile(rule.expression).could_match(resolve)
    except Exception:  # run() records the failure
        return True


def count_failure(rule: MonitoringRule, error: str) -> None:
    """A live rule failed on one request: counted (``/metrics``) and logged; never a
    decline."""
    ERRORS[rule.id] += 1
    log.warning("rule_failed", rule=rule.id, version=rule.version, error=error)


def _verdict(rule: MonitoringRule) -> Verdict:
    detail = rule_detail(rule.id, rule.message_zh, rule.message_en)
    return Verdict(_REASON[rule.action], detail, rule.action is RuleAction.ALERT)


def record(uow: UnitOfWork, outcome: Outcome, authorization_id: str, card_id: str,
           at: datetime, amount: int) -> None:
    """The hits and failures of ``outcome``, with the decision they were found on."""
    if not outcome.results:
        return
    uow.rules.add_hits(
        RuleHitRecord(rule.id, rule.version, authorization_id, card_id, at, result,
                      result == HIT and rule.status is RuleStatus.ACTIVE, amount)
        for rule, result in outcome.results)
