"""Account security locks (账户安全锁): region, overseas, night, overseas card-not-present.

Locks act on offline transactions (card present at ATM, kiosk or POS, taking money out),
except the overseas card-not-present lock, which acts on exactly what its name says, and a
night lock whose scope is ``all``. A travel allowance opens a region or overseas lock for
its place while it runs.
"""

from __future__ import annotations

from datetime import UTC, datetime

from smartguard.domain.controls.values import NightScope
from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest


def region_lock(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    lock = state.controls.region_lock
    if not lock.enabled or not req.is_offline or not req.is_domestic:
        return None
    region = req.region
    if region is None:
        return Verdict(Reason.REGION_LOCK, "region_unknown")
    if region in lock.places or _travel_allows(state, region, local):
        return None
    return Verdict(Reason.REGION_LOCK, region)


def overseas_lock(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    lock = state.controls.overseas_lock
    if not lock.enabled or not req.is_offline or req.is_domestic:
        return None
    if req.country in lock.places or _travel_allows(state, req.country, local):
        return None
    return Verdict(Reason.OVERSEAS_LOCK, req.country)


def night_lock(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    lock = state.controls.night_lock
    if not lock.enabled or not req.is_debit:
        return None
    if lock.scope is NightScope.DOMESTIC and not (req.is_offline and req.is_domestic):
        return None
    if not lock.covers(local.time()):
        return None
    return Verdict(Reason.NIGHT_LOCK, local.strftime("%H:%M"))


def overseas_cnp_lock(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    if not state.controls.overseas_cnp_lock or not req.is_debit:
        return None
    if req.card_present or req.is_domestic:
        return None
    return Verdict(Reason.OVERSEAS_CNP_LOCK, req.country)


def _travel_allows(state: CardState, place: str, local: datetime) -> bool:
    """Is a travel allowance for ``place`` running at this instant? Compared as UTC
    instants: two aware datetimes in the same zone compare by wall clock (ignoring the
    fold), which is wrong in the repeated hour when daylight saving ends."""
    if not state.travel:
        return False
    instant = local.astimezone(UTC)
    return any(t.active_at(instant) for t in state.travel if t.place == place)
