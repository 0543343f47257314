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
        allowed = c.merchants.allowed
        if allowed and req.merchant_id in allowed:
            return None
        if c.unlocks and unlocked(state, target, local):
            return None
    soft = c.alert_only
    if soft and target in soft:
        return Verdict(verdict.reason, verdict.detail, True)
    return verdict


def unlocked(state: CardState, target: str, local: datetime) -> bool:
    """Is a timed unlock of ``target`` open at this instant? An unlock's instants are UTC
    and ``local`` is in the cardholder's zone: aware datetimes of different zones compare
    as instants (only two of the same zone compare by wall clock; see travel_allows)."""
    for u in state.controls.unlocks:  # a loop: cheaper than any() over a generator
        if u.target == target and u.starts_at <= local < u.ends_at:
            return True
    return False


def travel_allows(state: CardState, place: str, local: datetime) -> bool:
    """Is a travel allowance for ``place`` running at this instant? Compared as UTC
    instants: two aware datetimes in the same zone compare by wall clock (ignoring the
    fold), which is wrong in the repeated hour when daylight saving ends."""
    if not state.travel:
        return False
    instant = local.astimezone(UTC)
    return any(t.active_at(instant) for t in state.travel if t.place == place)
