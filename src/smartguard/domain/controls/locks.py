"""Account security locks (账户安全锁): region, overseas, night, overseas card-not-present.

Locks act on offline transactions (card present at ATM, kiosk or POS, taking money out),
except the overseas card-not-present lock, which acts on exactly what its name says, and a
night lock whose scope is ``all``. A travel allowance opens a region or overseas lock for
its place while it runs; a timed unlock or an allowed merchant opens any lock, and a lock
in alert-only mode alerts instead of declining (``openings.gate``).
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.controls.openings import gate, travel_allows
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
        return gate(req, state, local, "region_lock",
                    Verdict(Reason.REGION_LOCK, "region_unknown"))
    if region in lock.places or travel_allows(state, region, local):
        return None
    return gate(req, state, local, "region_lock", Verdict(Reason.REGION_LOCK, region))


def overseas_lock(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    lock = state.controls.overseas_lock
    if not lock.enabled or not req.is_offline or req.is_domestic:
        return None
    if req.country in lock.places or travel_allows(state, req.country, local):
        return None
    return gate(req, state, local, "overseas_lock", Verdict(Reason.OVERSEAS_LOCK, req.country))


def night_lock(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    lock = state.controls.night_lock
    if not lock.enabled or not req.is_debit:
        return None
    if lock.scope is NightScope.DOMESTIC and not (req.is_offline and req.is_domestic):
        return None
    if not lock.covers(local.time()):
        return None
    return gate(req, state, local, "night_lock",
                Verdict(Reason.NIGHT_LOCK, f"{local.hour:02d}:{local.minute:02d}"))


def overseas_cnp_lock(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    if not state.controls.overseas_cnp_lock or not req.is_debit:
        return None
    if req.card_present or req.is_domestic:
        return None
    return gate(req, state, local, "overseas_cnp_lock",
                Verdict(Reason.OVERSEAS_CNP_LOCK, req.country))

