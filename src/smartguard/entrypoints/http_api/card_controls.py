"""The controls beyond Smart Guard over HTTP (SPEC 3.12): channel switches, merchant
categories, merchants, timed unlocks, alert-only mode, and the category table. A bad value
(unknown channel, category or target; an unlock outside 15 minutes to 24 hours; a merchant
id over 15 characters) answers 422 naming the field, and changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.controls import spending as sp
from smartguard.domain.controls.categories import CATEGORIES, category
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.money import MAX_AMOUNT
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.control_models import ControlsOut, MerchantCategoryOut
from smartguard.entrypoints.http_api.idempotency import Idempotent, Once
from smartguard.service_layer import card_controls as cc
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord, Role

router = APIRouter(tags=["protections"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Amount = Annotated[StrictInt, Field(gt=0, le=MAX_AMOUNT)]
_CARD = "/v1/cards/{card_id}/controls"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EnabledIn(Strict):
    enabled: StrictBool


class CategoryIn(Strict):
    blocked: StrictBool = False
    daily_amount: Amount | None = None


class MerchantIn(Strict):
    list: Literal["blocked", "allowed"] | None = Field(
        description="The list to put the merchant on; null takes it off both")
    name: str = Field(default="", description="The merchant's name, as the cardholder saw it")


class PaymentIn(Strict):
    authorization_id: str = Field(max_length=64)


class UnlockIn(Strict):
    target: str = Field(description="A lock (region_lock ...) or a switch (switches.pos ...)")
    minutes: StrictInt = Field(description="15 to 1440")


async def _run(request: Request, job: Callable[[UnitOfWork, App], CardRecord],
               once: Idempotent | None = None) -> dict[str, Any]:
    app: App = request.app.state.smartguard
    if once is not None:
        return await once.write(lambda uow: controls_to_dict(job(uow, app).controls))
    rec = await app.awrite(lambda uow: job(uow, app))
    return controls_to_dict(rec.controls)


@router.get("/v1/merchant-categories", response_model=list[MerchantCategoryOut])
def merchant_categories(request: Request, p: Holder) -> list[dict[str, Any]]:
    """The merchant categories, their MCC ranges (ISO 18245) and the bank's cool-down."""
    app: App = request.app.state.smartguard
    return [{"category": c.category.value, "zh-CN": c.zh, "en": c.en,
             "mcc_ranges": [[f"{lo:04d}", f"{hi:04d}"] for lo, hi in c.ranges],
             "cooldown_hours": app.ctx.cooldowns[c.category].total_seconds() / 3600}
            for c in CATEGORIES]


@router.put(_CARD + "/switches/{switch}", response_model=ControlsOut)
async def put_switch(card_id: str, switch: str, body: EnabledIn, request: Request,
                     p: Holder) -> dict[str, Any]:
    """Switch a channel on or off: atm_cash, pos, online_domestic, online_overseas,
    contactless, abroad, quick_pay (all on for a new card)."""
    chosen = sp.switch(switch)
    return await _run(request, lambda uow, app: cc.set_switch(
        uow, app.ctx, p.actor, card_id, chosen, body.enabled))


@router.put(_CARD + "/categories/{name}", response_model=ControlsOut)
async def put_category(card_id: str, name: str, body: CategoryIn, request: Request,
                       p: Holder) -> dict[str, Any]:
    """Block a merchant category or give it its own daily amount. Lifting a block the bank
    gives a cool-down takes effect when it has run (``lifts_at``)."""
    chosen = category(name)
    return await _run(request, lambda uow, app: cc.set_category(
        uow, app.ctx, p.actor, card_id, chosen, body.blocked, body.daily_amount))


@router.put(_CARD + "/merchants/{merchant_id}", response_model=ControlsOut)
async def put_merchant(card_id: str, merchant_id: str, body: MerchantIn, request: Request,
                       p: Holder) -> dict[str, Any]:
    """Block a merchant (card acceptor id), allow it through locks and switches, or take
    it off both lists."""
    return await _run(request, lambda uow, app: cc.set_merchant(
        uow, app.ctx, p.actor, card_id, merchant_id, body.name, body.list))


@router.post(_CARD + "/merchants/block-from-payment", response_model=ControlsOut)
async def block_from_payment(card_id: str, body: PaymentIn, request: Request,
                             p: Holder, once: Once) -> dict[str, Any]:
    """Block the merchant of one of the card's recent payments (approved or declined)."""
    return await _run(request, lambda uow, app: cc.block_merchant_of(
        uow, app.ctx, p.actor, card_id, body.authorization_id), once)


@router.put(_CARD + "/alert-only/{target}", response_model=ControlsOut)
async def put_alert_only(card_id: str, target: str, body: EnabledIn, request: Request,
                         p: Holder) -> dict[str, Any]:
    """Alert instead of decline for a lock, a switch or a category (categories.gambling)."""
    return await _run(request, lambda uow, app: cc.set_alert_only(
        uow, app.ctx, p.actor, card_id, target, body.enabled))


@router.post(_CARD + "/unlocks", response_model=ControlsOut)
async def post_unlock(card_id: str, body: UnlockIn, request: Request,
                      p: Holder, once: Once) -> dict[str, Any]:
    """Open a lock or a switch from now for 15 minutes to 24 hours; it closes by itself,
    with an alert at both ends."""
    return await _run(request, lambda uow, app: cc.open_unlock(
        uow, app.ctx, p.actor, card_id, body.target, body.minutes), once)


@router.delete(_CARD + "/unlocks/{target}", response_model=ControlsOut)
async def delete_unlock(card_id: str, target: str, request: Request,
                        p: Holder) -> dict[str, Any]:
    """Close a timed unlock before its end."""
    return await _run(request, lambda uow, app: cc.close_unlock(
        uow, app.ctx, p.actor, card_id, target))
