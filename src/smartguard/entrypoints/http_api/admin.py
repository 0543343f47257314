"""Challenges (cardholder answers), API keys and bank ceilings (operators and admins)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.money import MAX_AMOUNT
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.control_models import CeilingsOut
from smartguard.entrypoints.http_api.errors import may_answer
from smartguard.entrypoints.http_api.idempotency import Idempotent, Once
from smartguard.entrypoints.http_api.models import ChallengeOut, KeyCreated
from smartguard.entrypoints.http_api.views import ceilings_view, challenge_view
from smartguard.service_layer import challenges, keys, protections
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import Role

router = APIRouter(prefix="/v1", tags=["challenges", "administration"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Amount = Annotated[StrictInt, Field(gt=0, le=MAX_AMOUNT)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AnswerIn(Strict):
    code: str | None = Field(default=None, pattern=r"^[0-9]{6}$",
                             description="The code sent to the cardholder (optional for "
                             "authenticated channels)")


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


async def _answer(request: Request, p: Principal, once: Idempotent, challenge_id: str,
                  confirm: bool, code: str | None) -> dict[str, Any]:
    app = _app(request)
    return await once.write(lambda uow: challenge_view(challenges.answer_challenge(
        uow, app.ctx, p.actor, challenge_id, confirm, code)))


@router.post("/challenges/{challenge_id}/confirm", tags=["challenges"],
             response_model=ChallengeOut)
async def confirm(challenge_id: str, request: Request, p: Holder, once: Once,
                  body: AnswerIn | None = None) -> dict[str, Any]:
    """Confirm a verification: one retry at the same merchant, for at most the confirmed
    amount, inside the validity window, is then approved."""
    return await _answer(request, p, once, challenge_id, True, body.code if body else None)


@router.post("/challenges/{challenge_id}/reject", tags=["challenges"],
             response_model=ChallengeOut)
async def reject(challenge_id: str, request: Request, p: Holder, once: Once,
                 body: AnswerIn | None = None) -> dict[str, Any]:
    """Reject a verification ("not me"); consider freezing the card."""
    return await _answer(request, p, once, challenge_id, False, body.code if body else None)


class KeyIn(Strict):
    role: Role
    label: str = Field(default="", max_length=80)
    cardholder_id: str | None = None


@router.post("/keys", status_code=201, tags=["administration"], response_model=KeyCreated,
             responses=may_answer(404))
async def create_key(body: KeyIn, request: Request, p: Admin, once: Once) -> dict[str, Any]:
    """Create an API key. The token is shown only in this answer (and, sealed, in a
    replay of it with the same Idempotency-Key)."""
    app = _app(request)

    def job(uow: UnitOfWork) -> dict[str, Any]:
        key, token = keys.create_key(uow, app.ctx, body.role, body.label, body.cardholder_id)
        return {"id": key.id, "role": key.role.value, "label": key.label,
                "cardholder_id": key.cardholder_id, "token": token}

    return await once.write(job)


class CeilingChannelIn(Strict):
    per_txn: Amount
    daily_amount: Amount
    daily_count: Annotated[StrictInt, Field(gt=0, le=10_000)]
    monthly_amount: Amount


class CeilingsIn(Strict):
    channels: dict[Channel, CeilingChannelIn]
    atm_cash_overseas_daily: Amount


@router.get("/ceilings/{product}", tags=["administration"], response_model=CeilingsOut)
def get_ceilings(product: str, request: Request, _: Holder) -> dict[str, Any]:
    app = _app(request)
    return ceilings_view(app.read(lambda uow: protections.ceilings_for(uow, app.ctx, product)))


@router.put("/ceilings/{product}", tags=["administration"], response_model=CeilingsOut)
async def put_ceilings(product: str, body: CeilingsIn, request: Request,
                       p: Operator) -> dict[str, Any]:
    """Set the bank's ceilings for a card product (every channel must be given)."""
    new = s.Ceilings({ch: s.ChannelCeiling(**v.model_dump()) for ch, v in body.channels.items()},
                     body.atm_cash_overseas_daily)
    app = _app(request)
    return ceilings_view(await app.awrite(
        lambda uow: protections.set_ceilings(uow, app.ctx, p.actor, product, new)))
