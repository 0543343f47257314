"""Load what the advisor reads: a card's recorded authorizations and its agreements, as
domain values."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from smartguard.domain.advisor.history import Past
from smartguard.domain.agreements import Binding
from smartguard.domain.state import Agreement
from smartguard.domain.transactions import MessageKind
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import (
    AgreementRecord,
    AuthorizationRecord,
    ReversalRecord,
)

#: The most records one check-up or preview reads (about 27 a day for a year).
HISTORY_LIMIT = 10_000


def past(r: AuthorizationRecord, partial: ReversalRecord | None = None) -> Past:
    """``r`` as the advisor reads it. A partially reversed authorization reads as the
    transaction that took place: the amount that was kept, and the balance it would have
    left (when the reversal came later, the recorded balance is from before it)."""
    request, balance = r.request, r.balance_after
    if partial is not None and partial.actual_amount is not None and partial.amount:
        request = replace(request, amount=min(partial.actual_amount, request.amount),
                          billing_amount=request.billing_amount - partial.amount)
        if not _came_first(partial, r):
            refund = request.kind is MessageKind.REFUND
            balance += -partial.amount if refund else partial.amount
    return Past(r.id, r.received_at, request, r.outcome, r.verdicts, balance, r.reversed_at,
                r.challenge_used)


def _came_first(reversal: ReversalRecord, r: AuthorizationRecord) -> bool:
    """Did the reversal arrive before its original? By the guard's clock, and within one
    clock reading by their ids, which are made in order (``context.new_id``)."""
    def order(record_id: str) -> str:
        return record_id.partition("_")[2]

    return (reversal.received_at, order(reversal.id)) < (r.received_at, order(r.id))


def history(uow: UnitOfWork, card_id: str, since: datetime) -> tuple[Past, ...]:
    """The card's authorizations received since ``since``, oldest first."""
    records = uow.authorizations.for_card(card_id, HISTORY_LIMIT, since)
    partial = uow.reversals.partial_for_card(card_id)
    return tuple(past(r, partial.get(r.id)) for r in reversed(records))


Decided = list[tuple[AuthorizationRecord, ReversalRecord | None]]


def decided(uow: UnitOfWork, card_id: str, limit: int,
            before: tuple[datetime, str] | None = None) -> Decided:
    """The card's latest decisions (older than ``before``: received at, id), newest first,
    each with the acquirer's reversal applied to it (if any): what the page, the console
    and the API list."""
    found = uow.authorizations.for_card(card_id, limit, before=before)
    back = uow.reversals.applied_to([r.id for r in found])
    return [(r, back.get(r.id)) for r in found]


def binding(r: AgreementRecord) -> Binding:
    return Binding(r.id, r.payee, r.status, r.created_at, r.last_used_at, r.per_txn_limit,
                   r.daily_limit)


def bindings(uow: UnitOfWork, card_id: str) -> tuple[Binding, ...]:
    return tuple(binding(r) for r in uow.agreements.for_card(card_id))


def agreements_today(uow: UnitOfWork, card_id: str) -> dict[str, Agreement]:
    return {r.id: Agreement(r.id, r.status, r.per_txn_limit, r.daily_limit)
            for r in uow.agreements.for_card(card_id)}
