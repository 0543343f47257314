"""What lets a control's objection through, or softens it: a timed unlock of its target,
a merchant on the cardholder's allow-list, a travel exception for the place, alert-only
mode. Rules call :func:`gate` only once they object, so the usual approval pays nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smartguard.domain.decisions import Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest


def gate(req: AuthorizationRequest, state: CardState, local: datetime, target: str,
         verdict: Verdict, openable: bool = True) -> Verdict | None:
    """``verdict`` as it stands for ``target``: None when an unlock or the allow-list
    opens it (``openable``: locks and switches, not categories), alert-only when the
    cardholder chose so."""
    c = state.controls
    if openable:
        if c.merchants.allowed and req.merchant_id in c.merchants.allowed:
            return None
        if c.unlocks and unlocked(state, target, local):
            return None
    if c.alert_only and target in c.alert_only:
        return Verdict(verdict.reason, verdict.detail, True)
    return verdict


def unlocked(state: CardState, target: str, local: datetime) -> bool:
    """Is a timed unlock of ``target`` open at this instant (compared in UTC)?"""
    instant = local.astimezone(UTC)
    return any(u.target == target and u.open_at(instant) for u in state.controls.unlocks)


def travel_allows(state: CardState, place: str, local: datetime) -> bool:
    """Is a travel allowance for ``place`` running at this instant? Compared as UTC
    instants: two aware datetimes in the same zone compare by wall clock (ignoring the
    fold), which is wrong in the repeated hour when daylight saving ends."""
    if not state.travel:
        return False
    instant = local.astimezone(UTC)
    return any(t.active_at(instant) for t in state.travel if t.place == place)
