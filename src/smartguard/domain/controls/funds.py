"""Funds: a debit above the available balance is declined."""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest

_INSUFFICIENT = Verdict(Reason.INSUFFICIENT_FUNDS)


def funds(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    if req.is_debit and req.billing_amount > state.balance:
        return _INSUFFICIENT
    return None
