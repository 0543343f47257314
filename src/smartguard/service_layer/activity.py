"""A card's recent activity for the monitoring rules: rebuilt from what the store recorded,
then kept incrementally by the one writer (docs/rules.md#features).

**Why rebuilt rather than durable rows.** Every decision is already a row
(``authorizations``), written in its batch's transaction with its reversal state, and the
audit trail has every change of phone, protection and binding. Replaying them gives the
features exactly, after any crash, with no extra write per authorization. The writer keeps
the result in its cache and feeds it each decision and reversal as the job runs; the cache
is dropped whenever a transaction or savepoint rolls back or another process commits
(``adapters/sql/cache.py``), so what it holds is always what a replay of the committed
rows would give. The one thing a 30-day replay cannot know, the places a card used before,
is written durably (``card_places``), once per place, in the decision's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from smartguard.domain.activity import DAYS, CardActivity
from smartguard.domain.decisions import Outcome
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuthorizationRecord, CardRecord, ReversalRecord

#: How far back a rebuild reads (the 30 local days, whatever the zone, with a margin).
HORIZON = timedelta(days=DAYS + 2)


def rebuild(timezone: str, decisions: Iterable[AuthorizationRecord],
            partial: Mapping[str, ReversalRecord], places: Iterable[str],
            changes: Mapping[str, datetime]) -> CardActivity:
    """The activity the live feed would have built from these recorded ``decisions``
    (any order), their ``partial`` reversals by authorization id, the card's known
    ``places`` and the latest time of each change kind."""
    activity = CardActivity(timezone)
    for place in places:
        activity.used_place(place)
    for record in sorted(decisions, key=lambda r: r.received_at):
        feed(activity, record, partial.get(record.id))
    for kind, at in changes.items():
        activity.changed(kind, at)
    return activity


def feed(activity: CardActivity, record: AuthorizationRecord,
         partial: ReversalRecord | None = None) -> tuple[str, ...]:
    """One recorded decision, as it stands now: a fully reversed one (even by a reversal
    that came first) counts as an attempt but takes nothing; a partial one keeps what was
    not given back. Returns the places it used for the first time."""
    r = record.request
    approved = record.outcome is Outcome.APPROVE
    counted = approved and record.reversed_at is None
    new = activity.record(record.id, r, record.received_at, approved)
    if approved and not counted:
        activity.give_back(record.id, r, record.received_at, r.billing_amount, True)
    elif counted and partial is not None and partial.actual_amount is not None:
        back = max(0, r.billing_amount - partial.actual_amount)
        activity.give_back(record.id, r, record.received_at, back, False)
    return new


def load(uow: UnitOfWork, card: CardRecord, now: datetime) -> CardActivity:
    return uow.activity.get(card.card.id, card.card.cardholder_id,
                            card.cardholder.timezone, now)


def after_decision(uow: UnitOfWork, record: AuthorizationRecord,
                   partial_back: int | None) -> None:
    """Feed a decision just recorded (``partial_back``: what a reversal that came first
    gave back of it) to the card's cached activity, and write the places it used first."""
    activity = uow.activity.cached(record.card_id)
    if activity is not None:
        new = feed(activity, record)
        if partial_back:
            activity.give_back(record.id, record.request, record.received_at,
                               partial_back, False)
    elif record.outcome is Outcome.APPROVE:
        new = uow.activity.new_places(record.card_id, record.request)
    else:
        return
    if new:
        uow.activity.add_places(record.card_id, new, record.received_at)


def after_reversal(uow: UnitOfWork, original: AuthorizationRecord, amount: int,
                   full: bool) -> None:
    activity = uow.activity.cached(original.card_id)
    if activity is not None:
        activity.give_back(original.id, original.request, original.received_at, amount,
                           full)
