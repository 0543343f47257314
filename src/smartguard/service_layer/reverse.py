"""Use case: reverse an authorization, at most once, always acknowledged (SPEC 5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smartguard.domain.decisions import Outcome
from smartguard.domain.transactions import MessageKind, ReversalRequest, given_back
from smartguard.service_layer import activity, notify
from smartguard.service_layer.authorize import CardRef, give_back
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import RowLock, UnitOfWork
from smartguard.service_layer.records import (
    AuthorizationRecord,
    ReversalRecord,
    ReversalStatus,
)


@dataclass(frozen=True, slots=True)
class ReversalResult:
    record: ReversalRecord
    repeat: bool = False  # this original was already reversed (or recorded) earlier


def lock_for(ref: CardRef | None, reversal: ReversalRequest) -> RowLock:
    """The row lock a reversal's batch takes with the others: its card when the PAN came
    with it, else its original's card, found through the original's key in the lock
    phase (adapters/sql/locks.py), so that its locks too are taken in the canonical order."""
    lock = ref.lock if ref is not None else None
    return lock if lock is not None else ("original", "", reversal.original_key)


def reverse(
    uow: UnitOfWork, ctx: Context, reversal: ReversalRequest, ref: CardRef | None = None
) -> ReversalResult:
    # The original first, locked: two reversals of one original (sent to two nodes) then
    # run one after the other, and the second sees the first.
    original = uow.authorizations.by_key(reversal.original_key, lock=True)
    earlier = uow.reversals.by_original(reversal.original_key)
    if earlier is not None:
        return ReversalResult(earlier, repeat=True)
    now = ctx.clock()
    if original is None:
        card = ref.load(uow) if ref is not None else None
        record = _new(ctx, reversal, now, ReversalStatus.PENDING, card.card.id if card else None)
    elif original.reversed_at is not None or not _moved_money(original) or \
            given_back(original.request, reversal.actual_amount) == 0:
        record = _new(ctx, reversal, now, ReversalStatus.NO_EFFECT, original.card_id,
                      original.id)
    else:
        moved = undo(uow, original, now, reversal.actual_amount)
        card = uow.cards.get(original.card_id)
        if card is not None:
            notify.after_balance_change(uow, ctx, card, "reversal", moved,
                                        original.request.merchant_name, now)
        record = _new(ctx, reversal, now, ReversalStatus.APPLIED, original.card_id,
                      original.id, applied_at=now, amount=abs(moved))
    uow.reversals.add(record)
    return ReversalResult(record)


def _moved_money(original: AuthorizationRecord) -> bool:
    """Did this authorization change the balance (an approved debit or refund)?"""
    r = original.request
    return original.outcome is Outcome.APPROVE and r.kind is not MessageKind.BALANCE_INQUIRY


def undo(uow: UnitOfWork, original: AuthorizationRecord, now: datetime,
         actual_amount: int | None = None) -> int:
    """Give back what an approved authorization took: all of it (balance, amount and
    count; the authorization is marked reversed), or for a partial reversal the part above
    ``actual_amount`` (balance and amount; the transaction still happened, so it keeps its
    count). Returns the signed change of balance."""
    card = uow.cards.get(original.card_id, lock=True)
    assert card is not None, "an authorization's card is never deleted"
    delta, _ = give_back(uow, card.card.account_id, original.card_id, original.request,
                         original.counters, (original.day, original.month), actual_amount)
    if actual_amount is None:
        uow.authorizations.mark_reversed(original.id, now)
    activity.after_reversal(uow, original, given_back(original.request, actual_amount),
                            actual_amount is None)
    return delta


def _new(
    ctx: Context, reversal: ReversalRequest, now: datetime, status: ReversalStatus,
    card_id: str | None, authorization_id: str | None = None,
    applied_at: datetime | None = None, amount: int | None = None,
) -> ReversalRecord:
    return ReversalRecord(
        id=ctx.new_id("rev"), key=reversal.idempotency_key,
        original_key=reversal.original_key, received_at=now, status=status,
        card_id=card_id, authorization_id=authorization_id,
        amount=amount if amount is not None else reversal.amount, applied_at=applied_at,
        actual_amount=reversal.actual_amount,
    )
