"""Load what the advisor reads: a card's recorded authorizations and its agreements, as
domain values."""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.advisor.history import Past
from smartguard.domain.agreements import Binding
from smartguard.domain.state import Agreement
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import (
    AgreementRecord,
    AuthorizationRecord,
    ReversalRecord,
)

#: The most records one check-up or preview reads (about 27 a day for a year).
HISTORY_LIMIT = 10_000


def past(r: AuthorizationRecord) -> Past:
    return Past(r.id, r.received_at, r.request, r.outcome, r.verdicts, r.balance_after,
                r.reversed_at, r.challenge_used)


def history(uow: UnitOfWork, card_id: str, since: datetime) -> tuple[Past, ...]:
    """The card's authorizations received since ``since``, oldest first."""
    records = uow.authorizations.for_card(card_id, HISTORY_LIMIT, since)
    return tuple(past(r) for r in reversed(records))


Decided = list[tuple[AuthorizationRecord, ReversalRecord | None]]


def decided(uow: UnitOfWork, card_id: str, limit: int) -> Decided:
    """The card's latest decisions, newest first, each with the acquirer's reversal applied
    to it (if any): what the page, the console and the API list."""
    found = uow.authorizations.for_card(card_id, limit)
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
