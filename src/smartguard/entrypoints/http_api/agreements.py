"""Quick-payment agreements (快捷支付安全管理, SPEC 3.10): processors register bindings;
cardholders list, suspend, resume, revoke and limit them; operators read them."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.agreements import AgreementAction
from smartguard.domain.money import MAX_AMOUNT
from smartguard.domain.periods import agreement_key, day_key, local_time, month_key
from smartguard.entrypoints.http_api.advisor_models import AgreementOut
from smartguard.entrypoints.http_api.advisor_views import agreement_view
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.authorizations import card_ref
from smartguard.entrypoints.http_api.errors import may_answer
from smartguard.entrypoints.http_api.idempotency import Idempotent, Once
from smartguard.service_layer import agreements as ag
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AgreementRecord, Role

router = APIRouter(prefix="/v1", tags=["quick-payment agreements"])
Processor = Annotated[Principal, Depends(require(Role.PROCESSOR))]
Reader = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Owner = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP))]
Amount = Annotated[StrictInt, Field(gt=0, le=MAX_AMOUNT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AgreementLimitsIn(Strict):
    per_txn_limit: Amount | None = Field(default=None, description="Minor units; null: none")
    daily_limit: Amount | None = Field(default=None, description="Minor units; null: none")


class AgreementIn(AgreementLimitsIn):
    pan: str | None = Field(default=None, min_length=13, max_length=19,
                            description="Card number; never stored. Give pan or card_id.")
    card_id: str | None = Field(default=None, max_length=64)
    agreement_id: str = Field(min_length=1, max_length=64,
                              description="The id quick payments will carry")
    payee: str = Field(min_length=1, max_length=80, description="The third party, as shown "
                       "to the cardholder")


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


def _view(uow: UnitOfWork, app: App, r: AgreementRecord, tz: str) -> dict[str, Any]:
    local = local_time(app.ctx.clock(), tz)
    key = agreement_key(r.id)
    used = uow.usage.get(r.card_id, [key], day_key(local), month_key(local)).get(key)
    return agreement_view(r, used.day_amount if used else 0)


@router.post("/agreements", status_code=201, response_model=AgreementOut,
             responses={200: {"model": AgreementOut, "description": "registered already: "
                              "the stored binding"}, **may_answer(404)})
async def register(body: AgreementIn, request: Request, response: Response,
                   p: Processor) -> dict[str, Any]:
    """Register a binding when a third-party payment agreement is signed (201). The same
    id for the same card and payee again answers the stored binding (200)."""
    app = _app(request)
    ref = card_ref(app, body.pan, body.card_id)
    rec, created = await app.awrite(lambda uow: ag.register_agreement(
        uow, app.ctx, p.actor, ref, body.agreement_id, body.payee,
        (body.per_txn_limit, body.daily_limit)))
    if not created:
        response.status_code = 200
    return agreement_view(rec)


@router.get("/cards/{card_id}/agreements", response_model=list[AgreementOut])
def list_agreements(card_id: str, request: Request, p: Reader) -> list[dict[str, Any]]:
    """Every binding of the card: payee, since when, last used, limits, used today."""
    app = _app(request)

    def job(uow: UnitOfWork) -> list[dict[str, Any]]:
        found = ag.agreements_for(uow, p.actor, card_id)
        card = uow.cards.get(card_id)
        tz = card.cardholder.timezone if card else "Asia/Shanghai"
        return [_view(uow, app, r, tz) for r in found]

    return app.read(job)


async def _change(request: Request, p: Principal, once: Idempotent, card_id: str,
                  agreement_id: str, action: AgreementAction) -> dict[str, Any]:
    app = _app(request)
    return await once.write(lambda uow: agreement_view(ag.change_agreement(
        uow, app.ctx, p.actor, card_id, agreement_id, action)))


@router.post("/cards/{card_id}/agreements/{agreement_id}/suspend",
             response_model=AgreementOut)
async def suspend(card_id: str, agreement_id: str, request: Request, p: Owner, once: Once
                  ) -> dict[str, Any]:
    """Suspend: quick payments through it are declined until it is resumed."""
    return await _change(request, p, once, card_id, agreement_id, AgreementAction.SUSPEND)


@router.post("/cards/{card_id}/agreements/{agreement_id}/resume",
             response_model=AgreementOut)
async def resume(card_id: str, agreement_id: str, request: Request, p: Owner, once: Once
                 ) -> dict[str, Any]:
    return await _change(request, p, once, card_id, agreement_id, AgreementAction.RESUME)


@router.post("/cards/{card_id}/agreements/{agreement_id}/revoke",
             response_model=AgreementOut)
async def revoke(card_id: str, agreement_id: str, request: Request, p: Owner, once: Once
                 ) -> dict[str, Any]:
    """Revoke for good: the third party must sign a new agreement."""
    return await _change(request, p, once, card_id, agreement_id, AgreementAction.REVOKE)


@router.put("/cards/{card_id}/agreements/{agreement_id}/limits",
            response_model=AgreementOut)
async def put_limits(card_id: str, agreement_id: str, body: AgreementLimitsIn,
                     request: Request, p: Owner) -> dict[str, Any]:
    """The binding's own per-payment and daily limits (null: none of its own; the card's
    online limits and the bank's ceilings still apply)."""
    app = _app(request)
    rec = await app.awrite(lambda uow: ag.set_agreement_limits(
        uow, app.ctx, p.actor, card_id, agreement_id, (body.per_txn_limit, body.daily_limit)))
    return agreement_view(rec)
