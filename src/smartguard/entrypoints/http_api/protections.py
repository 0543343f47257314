"""Read and change a card's protections. Invalid values answer 422 naming the field and
change nothing; every change is audited."""

from __future__ import annotations

from datetime import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.money import MAX_AMOUNT
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.control_models import ControlsOut, ControlsWithCeilings
from smartguard.entrypoints.http_api.views import ceilings_view
from smartguard.service_layer import protections as prot
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord, Role

router = APIRouter(prefix="/v1/cards/{card_id}/controls", tags=["protections"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Amount = Annotated[StrictInt, Field(gt=0, le=MAX_AMOUNT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlacesIn(Strict):
    enabled: StrictBool
    places: list[str] = Field(default_factory=list, description="At most 3")


_WALL_CLOCK = ("HH:MM, wall-clock time in the cardholder's zone (HH:MM:00 is accepted too; "
               "other seconds are invalid_input)")


class NightLockIn(Strict):
    enabled: StrictBool
    start: time = Field(time(23, 0), description=_WALL_CLOCK, examples=["23:00"],
                        json_schema_extra={"default": "23:00"})
    end: time = Field(time(5, 0), description=_WALL_CLOCK, examples=["05:00"],
                      json_schema_extra={"default": "05:00"})
    scope: Literal["domestic", "all"] = "domestic"


class SwitchIn(Strict):
    enabled: StrictBool


class VerificationIn(Strict):
    magstripe: StrictBool = True
    large_purchase: StrictBool = False
    large_threshold: Amount = s.DEFAULT_LARGE_THRESHOLD


class LimitsIn(Strict):
    per_txn: Amount | None = None
    daily_amount: Amount | None = None
    daily_count: Annotated[StrictInt, Field(gt=0, le=10_000)] | None = None
    monthly_amount: Amount | None = None


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


def _controls_view(rec: CardRecord, uow: UnitOfWork, app: App) -> dict[str, Any]:
    view = controls_to_dict(rec.controls)
    view["ceilings"] = ceilings_view(prot.ceilings_for(uow, app.ctx, rec.card.product))
    return view


async def _set(request: Request, p: Principal, card_id: str, protection: s.Protection,
               value: s.ProtectionValue) -> dict[str, Any]:
    app = _app(request)
    change = s.ProtectionChange(protection, value)
    rec = await app.awrite(
        lambda uow: prot.set_protection(uow, app.ctx, p.actor, card_id, change))
    return controls_to_dict(rec.controls)


@router.get("", response_model=ControlsWithCeilings)
def get_controls(card_id: str, request: Request, p: Holder) -> dict[str, Any]:
    """All protections of the card, with the bank's ceilings for its product."""
    app = _app(request)
    return app.read(lambda uow: _controls_view(card_for(uow, p.actor, card_id), uow, app))


@router.put("/region_lock", response_model=ControlsOut)
async def put_region_lock(card_id: str, body: PlacesIn, request: Request,
                          p: Holder) -> dict[str, Any]:
    """Region lock (地区锁): 1-3 mainland provinces as usual places."""
    return await _set(request, p, card_id, s.Protection.REGION_LOCK,
                      s.region_lock(body.enabled, body.places))


@router.put("/overseas_lock", response_model=ControlsOut)
async def put_overseas_lock(card_id: str, body: PlacesIn, request: Request,
                            p: Holder) -> dict[str, Any]:
    """Overseas lock (境外锁): 0-3 overseas countries/regions as usual places."""
    return await _set(request, p, card_id, s.Protection.OVERSEAS_LOCK,
                      s.overseas_lock(body.enabled, body.places))


@router.put("/night_lock", response_model=ControlsOut)
async def put_night_lock(card_id: str, body: NightLockIn, request: Request,
                         p: Holder) -> dict[str, Any]:
    """Night lock (夜间锁): a window in the cardholder's zone; may cross midnight."""
    return await _set(request, p, card_id, s.Protection.NIGHT_LOCK,
                      s.night_lock(body.enabled, body.start, body.end, body.scope))


@router.put("/overseas_cnp_lock", response_model=ControlsOut)
async def put_overseas_cnp_lock(card_id: str, body: SwitchIn, request: Request,
                                p: Holder) -> dict[str, Any]:
    """Overseas card-not-present lock (境外无卡支付锁)."""
    return await _set(request, p, card_id, s.Protection.OVERSEAS_CNP_LOCK, body.enabled)


@router.put("/verification", response_model=ControlsOut)
async def put_verification(card_id: str, body: VerificationIn, request: Request,
                           p: Holder) -> dict[str, Any]:
    """Magnetic-stripe and large-purchase verification."""
    return await _set(request, p, card_id, s.Protection.VERIFICATION,
                      s.verification(body.magstripe, body.large_purchase,
                                     body.large_threshold))


@router.put("/limits/{channel}", response_model=ControlsOut)
async def put_limits(card_id: str, channel: Channel, body: LimitsIn, request: Request,
                     p: Holder) -> dict[str, Any]:
    """Personal limits for one channel, each at or below the bank's ceiling."""
    app = _app(request)
    limits = s.ChannelLimits(body.per_txn, body.daily_amount, body.daily_count,
                             body.monthly_amount)
    rec = await app.awrite(
        lambda uow: prot.set_limits(uow, app.ctx, p.actor, card_id, channel, limits))
    return controls_to_dict(rec.controls)
