"""Use case: backtest a rule over the recorded decisions of the last N days (docs/rules.md).

Each card with decisions in the window is replayed in the order its decisions were
recorded: its activity is rebuilt from the 30 days before the window (and the places it
had used before), then every debit of the window is judged by the rule *with the activity
as it stood just before it*, by the same code the live path uses
(:func:`smartguard.service_layer.monitoring.run`), and then fed in. The figures: hits,
their amount, how many of them were declined anyway, and how many fell on cards frozen or
blocked (reported) after the hit: the nearest the store has to fraud labels. The card's
status, product and controls are today's (the store keeps their history only as audit).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from smartguard.domain.activity import CardActivity
from smartguard.domain.cards import StatusAction
from smartguard.domain.decisions import Outcome
from smartguard.domain.periods import local_time
from smartguard.domain.rules import MonitoringRule, RuleAction, RuleStatus
from smartguard.domain.transactions import given_back
from smartguard.errors import InvalidInput, InvalidState
from smartguard.service_layer import activity as act
from smartguard.service_layer import monitoring
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuthorizationRecord, CardRecord, ReversalRecord
from smartguard.service_layer.rule_records import ERROR, HIT

MAX_DAYS = 90
_LABELS = frozenset({StatusAction.FREEZE.value, StatusAction.BLOCK.value})


@dataclass
class BacktestResult:
    days: int
    product: str | None
    decisions: int = 0  # debits judged
    hits: int = 0
    hit_amount: int = 0
    already_declined: int = 0
    later_frozen_or_reported: int = 0
    errors: int = 0
    hit_ids: list[str] = field(default_factory=list)  # authorization ids, first 100


def backtest(uow: UnitOfWork, ctx: Context, expression: str, days: int,
             product: str | None = None) -> BacktestResult:
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"1 to {MAX_DAYS}")
    if ctx.rule_language is None:
        raise InvalidState("no rule language is configured")
    ctx.rule_language.compile(expression)  # a 422 with its position, as when saved
    now = ctx.clock()
    start = now - timedelta(days=days)
    rule = MonitoringRule("backtest", 0, "backtest", expression, RuleAction.DECLINE,
                          RuleStatus.SHADOW, "-", "-", "backtest", now)
    result = BacktestResult(days, product)
    for card_id in uow.activity.cards_with_decisions(start):
        card = uow.cards.get(card_id)
        if card is None or (product is not None and card.card.product != product):
            continue
        _card(uow, ctx, rule, card, start, now, result)
    return result


def _card(uow: UnitOfWork, ctx: Context, rule: MonitoringRule, card: CardRecord,
          start: datetime, now: datetime, result: BacktestResult) -> None:
    """Replay one card: each reversal is given back at the instant it was applied, so
    every debit is judged on the activity the live path saw."""
    c = card.card
    decisions = sorted(uow.authorizations.for_card(c.id, 1_000_000, start - act.HORIZON),
                       key=lambda r: r.received_at)
    ids = [r.id for r in decisions]
    reversals: dict[str, ReversalRecord] = {}
    for i in range(0, len(ids), 500):
        reversals.update(uow.reversals.applied_to(ids[i:i + 500]))
    backs = sorted(((rev.applied_at or rev.received_at), n, rev)
                   for n, rev in enumerate(reversals.values()))
    by_id = {r.id: r for r in decisions}
    activity = CardActivity(card.cardholder.timezone)
    for place in uow.activity.known_places(c.id, start - act.HORIZON):
        activity.used_place(place)
    labels = [e.at for e in uow.audit.for_card(c.id, 10_000) if e.action in _LABELS]
    assert ctx.rule_language is not None
    for record in decisions:
        at = record.received_at
        while backs and backs[0][0] < at:  # (same instant: the decision came first)
            _give_back(activity, by_id, backs.pop(0)[2])
        if at >= start and record.request.is_debit:
            outcome = monitoring.run(ctx.rule_language, (rule,), record.request, card,
                                     activity, at, local_time(at, card.cardholder.timezone))
            _count(result, record, outcome, labels)
        act.feed(activity, replace(record, reversed_at=None))


def _give_back(activity: CardActivity, by_id: dict[str, AuthorizationRecord],
               rev: ReversalRecord) -> None:
    original = by_id.get(rev.authorization_id or "")
    if original is None or original.outcome is not Outcome.APPROVE:
        return
    full = rev.actual_amount is None
    amount = given_back(original.request, rev.actual_amount)
    activity.give_back(original.id, original.request, original.received_at, amount, full)


def _count(result: BacktestResult, record: AuthorizationRecord,
           outcome: monitoring.Outcome, labels: list[datetime]) -> None:
    result.decisions += 1
    for _, found in outcome.results:
        if found == ERROR:
            result.errors += 1
        elif found == HIT:
            result.hits += 1
            result.hit_amount += record.request.billing_amount
            result.already_declined += record.outcome is not Outcome.APPROVE
            result.later_frozen_or_reported += any(at > record.received_at for at in labels)
            if len(result.hit_ids) < 100:
                result.hit_ids.append(record.id)
