"""Cardholder and operator endpoints for cards: enrol, read, freeze, history, audit."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.cards import StatusAction
from smartguard.domain.challenges import ChallengeStatus
from smartguard.domain.money import MAX_AMOUNT
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.entrypoints.http_api.idempotency import Idempotent, Once
from smartguard.entrypoints.http_api.models import (
    AccountCreated,
    AuditPage,
    CardholderCreated,
    CardOut,
    CardPage,
    ChallengeOut,
    DecisionPage,
)
from smartguard.entrypoints.http_api.paging import Cursor, Limit, decode, page
from smartguard.entrypoints.http_api.views import (
    audit_view,
    card_view,
    challenge_view,
    decision_view,
)
from smartguard.service_layer import cards, history
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import Role

router = APIRouter(prefix="/v1", tags=["cards"])
Enroller = Annotated[Principal, Depends(require(Role.OPERATOR))]
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CardholderIn(Strict):
    name: str = Field(min_length=1, max_length=80)
    phone: str = Field(description="E.164, e.g. +8613800138000")
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"


class AccountIn(Strict):
    currency: str = "CNY"
    balance: Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)] = 0


class CardIn(Strict):
    pan: str = Field(min_length=13, max_length=19)
    account_id: str
    product: str = Field(default="debit_standard", min_length=1, max_length=40)


@router.post("/cardholders", status_code=201, response_model=CardholderCreated)
async def enrol_cardholder(body: CardholderIn, request: Request, p: Enroller,
                           once: Once) -> dict[str, Any]:
    app = _app(request)

    def job(uow: UnitOfWork) -> dict[str, Any]:
        h = cards.enrol_cardholder(uow, app.ctx, p.actor, body.name, body.phone,
                                   body.language, body.timezone)
        return {"id": h.id, "name": h.name, "language": h.language.value,
                "timezone": h.timezone}

    return await once.write(job)


@router.post("/cardholders/{cardholder_id}/accounts", status_code=201,
             response_model=AccountCreated)
async def open_account(cardholder_id: str, body: AccountIn, request: Request,
                       p: Enroller, once: Once) -> dict[str, Any]:
    app = _app(request)

    def job(uow: UnitOfWork) -> dict[str, Any]:
        a = cards.open_account(uow, app.ctx, p.actor, cardholder_id, body.currency,
                               body.balance)
        return {"id": a.id, "cardholder_id": a.cardholder_id, "currency": a.currency,
                "balance": a.balance}

    return await once.write(job)


@router.post("/cards", status_code=201, response_model=CardOut)
async def enrol_card(body: CardIn, request: Request, p: Enroller,
                     once: Once) -> dict[str, Any]:
    app = _app(request)
    return await once.write(lambda uow: card_view(cards.enrol_card(
        uow, app.ctx, p.actor, body.pan, body.account_id, body.product)))


@router.get("/cards/{card_id}", response_model=CardOut)
def get_card(card_id: str, request: Request, p: Holder) -> dict[str, Any]:
    return card_view(_app(request).read(lambda uow: cards.card_for(uow, p.actor, card_id)))


@router.get("/cards", response_model=CardPage)
def find_cards(request: Request, _: Operator, last4: str | None = None,
               phone: str | None = None, limit: Limit = 50,
               cursor: Cursor = None) -> dict[str, Any]:
    """Find cards by last 4 digits and/or phone (operators), in the order they were
    enrolled."""
    after = decode(cursor, (str,))
    found = _app(request).read(lambda uow: uow.cards.search(
        last4, phone, limit + 1, str(after[0]) if after else None))
    return page(found, limit, lambda r: [r.card.id], card_view)


async def _change(request: Request, p: Principal, once: Idempotent, card_id: str,
                  action: StatusAction) -> dict[str, Any]:
    app = _app(request)
    return await once.write(lambda uow: card_view(
        cards.change_status(uow, app.ctx, p.actor, card_id, action)))


@router.post("/cards/{card_id}/freeze", response_model=CardOut)
async def freeze(card_id: str, request: Request, p: Holder, once: Once) -> dict[str, Any]:
    """Freeze (stop) the card: no money leaves it until it is unfrozen."""
    return await _change(request, p, once, card_id, StatusAction.FREEZE)


@router.post("/cards/{card_id}/unfreeze", response_model=CardOut)
async def unfreeze(card_id: str, request: Request, p: Holder, once: Once) -> dict[str, Any]:
    """Unfreeze a card the cardholder froze (never one the bank blocked)."""
    return await _change(request, p, once, card_id, StatusAction.UNFREEZE)


@router.post("/cards/{card_id}/block", response_model=CardOut)
async def block(card_id: str, request: Request, p: Operator, once: Once) -> dict[str, Any]:
    """Block the card (operators; e.g. reported lost). Only an operator lifts it."""
    return await _change(request, p, once, card_id, StatusAction.BLOCK)


@router.post("/cards/{card_id}/unblock", response_model=CardOut)
async def unblock(card_id: str, request: Request, p: Operator, once: Once) -> dict[str, Any]:
    return await _change(request, p, once, card_id, StatusAction.UNBLOCK)


@router.post("/cards/{card_id}/close", response_model=CardOut)
async def close(card_id: str, request: Request, p: Operator, once: Once) -> dict[str, Any]:
    return await _change(request, p, once, card_id, StatusAction.CLOSE)


@router.get("/cards/{card_id}/decisions", response_model=DecisionPage)
def list_decisions(card_id: str, request: Request, p: Holder, limit: Limit = 50,
                   cursor: Cursor = None, language: str = "en") -> dict[str, Any]:
    """The card's decisions, newest first."""
    at = decode(cursor, (str, str))
    before = (datetime.fromisoformat(str(at[0])), str(at[1])) if at else None

    def job(uow: UnitOfWork) -> history.Decided:
        cards.card_for(uow, p.actor, card_id)
        return history.decided(uow, card_id, limit + 1, before)

    return page(_app(request).read(job), limit,
                lambda d: [d[0].received_at.isoformat(), d[0].id],
                lambda d: decision_view(d[0], language, d[1]))


@router.get("/cards/{card_id}/audit", response_model=AuditPage)
def card_audit(card_id: str, request: Request, p: Holder, limit: Limit = 100,
               cursor: Cursor = None) -> dict[str, Any]:
    """Every change to the card, newest first."""
    at = decode(cursor, (int,))

    def job(uow: UnitOfWork) -> list[Any]:
        cards.card_for(uow, p.actor, card_id)
        return uow.audit.for_card(card_id, limit + 1, int(at[0]) if at else None)

    return page(_app(request).read(job), limit, lambda e: [e.seq], audit_view)


@router.get("/cards/{card_id}/challenges", response_model=list[ChallengeOut])
def card_challenges(card_id: str, request: Request, p: Holder,
                    status: ChallengeStatus | None = None) -> list[dict[str, Any]]:
    def job(uow: UnitOfWork) -> list[Any]:
        cards.card_for(uow, p.actor, card_id)
        return uow.challenges.for_card(card_id, (status,) if status else None)

    return [challenge_view(c) for c in _app(request).read(job)]
