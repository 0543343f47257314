"""Preview before saving: replay the card's recorded transactions through the engine itself
(:func:`smartguard.domain.engine.decide`, no second copy of any rule) once with the current
protections and once with the proposed ones, and list what the change alone would have
done: which transactions it would have declined (or sent to verification, or let through),
and why.

Each replay rebuilds the card's state at every transaction as faithfully as the record
allows (docs/advisor.md lists the approximations):

- usage counters are accumulated by the replay itself, per calendar day and month in the
  cardholder's zone, from the replay's own approvals (reversed transactions never count);
- the balance is the recorded balance before the transaction, corrected by the money the
  replay moved differently from what really happened (reversed transactions excluded);
- the card's status is read from the recorded reasons (a frozen, blocked or closed card
  declined with that reason; otherwise it was active);
- quick-payment agreements are taken as they are today; travel exceptions with their own
  times; a retry that used a confirmed verification gets the same confirmation again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from smartguard.domain.advisor.history import Past
from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import DEFAULT_CEILINGS, Ceilings, Controls
from smartguard.domain.decisions import Decision, Outcome, Reason
from smartguard.domain.engine import decide
from smartguard.domain.periods import counter_keys, day_key, local_time, month_key
from smartguard.domain.state import Agreement, CardState, Credit, TravelAllowance, Usage
from smartguard.domain.transactions import MessageKind

_STATUS_FROM_REASON = {
    Reason.CARD_CLOSED: CardStatus.CLOSED,
    Reason.CARD_BLOCKED: CardStatus.BLOCKED,
    Reason.CARD_FROZEN: CardStatus.FROZEN,
}


@dataclass(frozen=True, slots=True)
class Surroundings:
    """What a replay takes from the card as it is today."""

    timezone: str = "Asia/Shanghai"
    ceilings: Ceilings = DEFAULT_CEILINGS
    agreements: Mapping[str, Agreement] = field(default_factory=dict)
    travel: tuple[TravelAllowance, ...] = ()


class _Counters:
    """Usage per (counter, period), as the usage table keeps it."""

    def __init__(self) -> None:
        self._used: dict[tuple[str, str], tuple[int, int]] = {}

    def view(self, keys: tuple[str, ...], day: str, month: str) -> dict[str, Usage]:
        out = {}
        for key in keys:
            d_amount, d_count = self._used.get((key, "D" + day), (0, 0))
            out[key] = Usage(d_amount, d_count, self._used.get((key, "M" + month), (0, 0))[0])
        return out

    def add(self, keys: tuple[str, ...], day: str, month: str, amount: int) -> None:
        for key in keys:
            for period in ("D" + day, "M" + month):
                a, c = self._used.get((key, period), (0, 0))
                self._used[(key, period)] = (a + amount, c + 1)


def replay(history: Sequence[Past], controls: Controls, around: Surroundings
           ) -> list[Decision]:
    """The engine's decision for each of ``history`` (oldest first) under ``controls``."""
    counters = _Counters()
    drift = 0  # replayed balance minus recorded balance
    decisions = []
    for p in history:
        q = p.request
        local = local_time(p.at, around.timezone)
        day, month = day_key(local), month_key(local)
        keys = counter_keys(q, controls.categories) if q.is_debit else ()
        state = CardState(
            status=_status(p), controls=controls, balance=p.balance_before + drift,
            timezone=around.timezone, ceilings=around.ceilings,
            usage=counters.view(keys, day, month),
            agreement=around.agreements.get(q.agreement_id) if q.agreement_id else None,
            credit=_credit(p), travel=around.travel,
        )
        decision = decide(q, state, p.at)
        decisions.append(decision)
        if p.reversed:
            continue
        if decision.approved and q.is_debit:
            counters.add(keys, day, month, q.billing_amount)
        drift += _moves(p, decision) - p.moved
    return decisions


def _status(p: Past) -> CardStatus:
    for v in p.verdicts:
        if v.reason in _STATUS_FROM_REASON:
            return _STATUS_FROM_REASON[v.reason]
    return CardStatus.ACTIVE


def _credit(p: Past) -> Credit | None:
    if p.challenge_used is None:
        return None
    q = p.request
    return Credit(p.challenge_used, q.merchant_id, q.billing_amount, p.at + timedelta(1))


def _moves(p: Past, decision: Decision) -> int:
    q = p.request
    if not decision.approved:
        return 0
    if q.kind is MessageKind.REFUND:
        return q.billing_amount
    return -q.billing_amount if q.is_debit else 0


@dataclass(frozen=True, slots=True)
class Change:
    """One transaction the proposed protections would have answered differently."""

    past: Past
    current: Decision  # replayed with today's protections
    proposed: Decision  # replayed with the proposed ones


@dataclass(frozen=True, slots=True)
class Preview:
    since: datetime
    replayed: int  # transactions in the window
    declined: tuple[Change, ...] = ()  # newly declined
    verification: tuple[Change, ...] = ()  # newly sent to verification
    approved: tuple[Change, ...] = ()  # newly approved (a protection loosened)


def preview(history: Sequence[Past], current: Controls, proposed: Controls,
            around: Surroundings, since: datetime) -> Preview:
    """Replay ``history`` (oldest first; records before ``since`` only build up usage and
    balance) under both settings and keep the transactions since ``since`` whose outcome
    differs."""
    before = replay(history, current, around)
    after = replay(history, proposed, around)
    buckets: dict[Outcome, list[Change]] = {o: [] for o in Outcome}
    shown = 0
    for p, b, a in zip(history, before, after, strict=True):
        if p.at < since:
            continue
        shown += 1
        if a.outcome is not b.outcome:
            buckets[a.outcome].append(Change(p, b, a))
    return Preview(since, shown, tuple(buckets[Outcome.DECLINE]),
                   tuple(buckets[Outcome.VERIFY]), tuple(buckets[Outcome.APPROVE]))
