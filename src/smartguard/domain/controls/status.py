"""Card status: closed cards do nothing; frozen and blocked cards take no money out."""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.cards import CardStatus
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest

_CLOSED = Verdict(Reason.CARD_CLOSED)
_BLOCKED = Verdict(Reason.CARD_BLOCKED)
_FROZEN = Verdict(Reason.CARD_FROZEN)


def card_status(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    status = state.status
    if status is CardStatus.ACTIVE:
        return None
    if status is CardStatus.CLOSED:
        return _CLOSED
    if not req.is_debit:  # balance inquiries and refunds pass a frozen or blocked card
        return None
    return _BLOCKED if status is CardStatus.BLOCKED else _FROZEN
