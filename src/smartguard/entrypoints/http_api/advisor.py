"""The advisor: security check-up with one-click fixes, recommendations from the card's own
history, and a preview of a change of protections before it is saved (SPEC 3.9)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from smartguard.bootstrap import App
from smartguard.domain.controls import spending as sp
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import category
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.http_api.advisor_models import (
    CardholderCheckupOut,
    CheckupOut,
    FixApplied,
    PreviewOut,
    RecommendationsOut,
)
from smartguard.entrypoints.http_api.advisor_views import (
    finding_view,
    preview_view,
    recommendations_view,
    report_view,
)
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.card_controls import CategoryIn
from smartguard.entrypoints.http_api.idempotency import Once
from smartguard.entrypoints.http_api.protections import (
    LimitsIn,
    NightLockIn,
    PlacesIn,
    SwitchIn,
    VerificationIn,
)
from smartguard.entrypoints.http_api.views import card_view
from smartguard.errors import Conflict
from smartguard.service_layer import checkup
from smartguard.service_layer import preview as pv
from smartguard.service_layer.records import Role

router = APIRouter(prefix="/v1", tags=["advisor"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FixIn(Strict):
    expected: dict[str, Any] | None = Field(
        default=None, description="The fix as the check-up showed it; when given and the "
        "fix is now different, nothing changes and the answer is 409")


class PreviewIn(Strict):
    days: int = Field(default=pv.DEFAULT_DAYS, ge=1, le=pv.MAX_DAYS,
                      description="Replay the transactions of the last N days")
    region_lock: PlacesIn | None = None
    overseas_lock: PlacesIn | None = None
    night_lock: NightLockIn | None = None
    overseas_cnp_lock: SwitchIn | None = None
    verification: VerificationIn | None = None
    limits: dict[Channel, LimitsIn] = Field(default_factory=dict,
                                            description="Channels whose limits change")
    switches_off: list[str] | None = Field(default=None, description=(
        "Every channel switched off in the proposal (atm_cash, pos, ...); the others on"))
    categories: dict[str, CategoryIn] | None = Field(default=None, description=(
        "Every category control in the proposal (gambling: {blocked: true}); the others "
        "none"))


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


@router.get("/cards/{card_id}/checkup", response_model=CheckupOut,
            response_model_exclude_unset=True)  # a fix shows only its own fields
def get_checkup(card_id: str, request: Request, p: Holder) -> dict[str, Any]:
    """The security check-up: a score 0-100 and findings, each with severity, a plain
    explanation (zh-CN and en) and a one-click fix (``fix_url``)."""
    app = _app(request)
    checked = app.read(lambda uow: checkup.run_check_up(uow, app.ctx, p.actor, card_id))
    return report_view(card_id, checked.report)


@router.get("/cardholders/{cardholder_id}/checkup",
            response_model=CardholderCheckupOut, response_model_exclude_unset=True)
def get_cardholder_checkup(cardholder_id: str, request: Request, p: Holder
                           ) -> dict[str, Any]:
    """The check-up of each of the cardholder's cards; the cardholder's score is the lowest
    of their cards' scores."""
    app = _app(request)
    checked = app.read(
        lambda uow: checkup.check_up_cardholder(uow, app.ctx, p.actor, cardholder_id))
    return {"cardholder_id": cardholder_id,
            "score": min((c.report.score for c in checked), default=100),
            "cards": [report_view(c.card.card.id, c.report) for c in checked]}


@router.post("/cards/{card_id}/checkup/fixes/{finding_id}", response_model=FixApplied,
             response_model_exclude_unset=True)
async def apply_fix(card_id: str, finding_id: str, request: Request, p: Holder, once: Once,
                    body: FixIn | None = None) -> dict[str, Any]:
    """Apply exactly the fix the check-up recommends for ``finding_id``, through the
    ordinary use cases (validated and audited like any change)."""
    app = _app(request)
    if (first := once.previous()) is not None:  # the finding is gone once fixed
        return first
    checked = app.read(lambda uow: checkup.run_check_up(uow, app.ctx, p.actor, card_id))
    found = checkup.finding(checked, finding_id)
    assert found.fix is not None
    if body is not None and body.expected is not None and body.expected != found.fix.as_dict():
        raise Conflict("the recommended fix changed since you saw it; run the check-up again")
    seen = checked.card.controls
    return await once.write(lambda uow: {
        "applied": finding_view(found, card_id),
        "card": card_view(checkup.apply_fix(uow, app.ctx, p.actor, card_id, found, seen))})


@router.get("/cards/{card_id}/recommendations", response_model=RecommendationsOut)
def get_recommendations(card_id: str, request: Request, p: Holder) -> dict[str, Any]:
    """Lock places, night window and limits learnt from the card's own last 12 months;
    safe defaults (``basis: defaults``) when there is too little history."""
    app = _app(request)
    return recommendations_view(
        app.read(lambda uow: checkup.recommendations(uow, app.ctx, p.actor, card_id)))


def _changes(body: PreviewIn) -> list[s.ProtectionChange]:
    P = s.Protection
    changes: list[s.ProtectionChange] = []
    if body.region_lock is not None:
        changes.append(s.ProtectionChange(P.REGION_LOCK, s.region_lock(
            body.region_lock.enabled, body.region_lock.places)))
    if body.overseas_lock is not None:
        changes.append(s.ProtectionChange(P.OVERSEAS_LOCK, s.overseas_lock(
            body.overseas_lock.enabled, body.overseas_lock.places)))
    if body.night_lock is not None:
        n = body.night_lock
        changes.append(s.ProtectionChange(P.NIGHT_LOCK, s.night_lock(
            n.enabled, n.start, n.end, n.scope)))
    if body.overseas_cnp_lock is not None:
        changes.append(s.ProtectionChange(P.OVERSEAS_CNP_LOCK,
                                          body.overseas_cnp_lock.enabled))
    if body.verification is not None:
        v = body.verification
        changes.append(s.ProtectionChange(P.VERIFICATION, s.verification(
            v.magstripe, v.large_purchase, v.large_threshold)))
    if body.switches_off is not None:
        off = frozenset(sp.switch(name, "switches_off") for name in body.switches_off)
        changes.append(s.ProtectionChange(P.SWITCHES, sp.Switches(off)))
    if body.categories is not None:
        changes.append(s.ProtectionChange(P.CATEGORIES, {
            category(k, f"categories.{k}"): sp.category_control(v.blocked, v.daily_amount)
            for k, v in body.categories.items()}))
    return changes


@router.post("/cards/{card_id}/preview", response_model=PreviewOut)
def post_preview(card_id: str, body: PreviewIn, request: Request, p: Holder
                 ) -> dict[str, Any]:
    """Replay the card's recorded transactions of the last ``days`` days through the
    decision engine with the proposed protections (any of them; the others stay as they
    are) and list those it would have answered differently, and why. Nothing is saved."""
    app = _app(request)
    changes = _changes(body)
    limits = {ch: s.ChannelLimits(v.per_txn, v.daily_amount, v.daily_count, v.monthly_amount)
              for ch, v in body.limits.items()}
    result, proposed = app.read(lambda uow: pv.preview_change(
        uow, app.ctx, p.actor, card_id, changes, limits, body.days))
    return preview_view(card_id, body.days, result, proposed)
