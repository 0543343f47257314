"""Processor endpoints: authorize, reverse, post (SPEC 2, 5)."""

from __future__ import annotations

from datetime import datetime
from time import perf_counter
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt

from smartguard.bootstrap import App
from smartguard.domain.errors import InvalidInput
from smartguard.domain.explain import explain
from smartguard.domain.geography import country_code, province_code
from smartguard.domain.money import MAX_AMOUNT, check_amount, normalize_currency
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    Posting,
    ReversalRequest,
    TerminalType,
    check_consistent,
)
from smartguard.entrypoints.http_api.auth import Principal, parse_body, require
from smartguard.entrypoints.http_api.errors import may_answer
from smartguard.service_layer import authorize as az
from smartguard.service_layer import postings, reverse
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuthorizationRecord, ReversalStatus, Role
from smartguard.service_layer.telemetry import HTTP

router = APIRouter(prefix="/v1", tags=["authorization"])
Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]
Processor = Annotated[Principal, Depends(require(Role.PROCESSOR))]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class AuthorizationIn(Strict):
    pan: str | None = Field(default=None, min_length=13, max_length=19,
                            description="Card number; never stored. Give pan or card_id.")
    card_id: str | None = Field(default=None, max_length=64,
                                description="SmartGuard's card id, instead of the pan")
    kind: MessageKind
    amount: Amount = Field(description="Transaction amount in minor units")
    currency: str = Field(default="CNY", description="ISO 4217 alpha or numeric")
    billing_amount: Amount | None = Field(
        default=None, description="Amount in the card's currency; required when the "
        "transaction currency differs from the card's")
    terminal: TerminalType
    card_present: StrictBool
    entry_mode: EntryMode
    pin_verified: StrictBool = False
    merchant_id: str = Field(default="", max_length=15)
    merchant_name: str = Field(default="", max_length=40)
    mcc: str = Field(default="", pattern=r"^([0-9]{4})?$")
    country: str = Field(description="ISO 3166-1 alpha-2 of the merchant; HK/MO/TW are "
                         "overseas")
    region: str | None = Field(default=None, description="Province for CN: CN-BJ, 110000 ...")
    city: str = Field(default="", max_length=40)
    acquirer_id: str = Field(min_length=1, max_length=11)
    stan: str = Field(pattern=r"^[0-9]{6}$")
    transmission_time: str = Field(min_length=1, max_length=32,
                                   description="As sent by the acquirer (ISO 8583 field 7)")
    rrn: str = Field(default="", max_length=12)
    agreement_id: str | None = Field(default=None, max_length=64)


class ReasonOut(BaseModel):
    reason: str
    detail: str
    message: str


class ChallengeRef(BaseModel):
    id: str = Field(examples=["chl_7a6b5c4d"])
    expires_at: str | None = Field(default=None, description="absent on a repeat",
                                   examples=["2026-12-02T08:05:00+00:00"])
    amount: int | None = Field(default=None, description="absent on a repeat",
                               examples=[120_000])


class AuthorizationOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "authorization_id": "auth_0c9d8e7f", "outcome": "decline", "response_code": "57",
        "primary_reason": "night_lock",
        "reasons": [{"reason": "night_lock", "detail": "23:00-05:00",
                     "message": "Declined by your night lock (23:00-05:00)."}],
        "alerts": [], "approval_code": None, "balance": 1_000_000, "currency": "CNY",
        "challenge": None, "duplicate": False,
        "received_at": "2026-12-02T15:30:00+00:00"}]})

    authorization_id: str
    outcome: Literal["approve", "decline", "verification_required"]
    response_code: str
    primary_reason: str | None
    reasons: list[ReasonOut]
    alerts: list[ReasonOut] = Field(default_factory=list, description=(
        "Findings of controls in alert-only mode: the payment went through and the "
        "cardholder was alerted"))
    approval_code: str | None
    balance: int
    currency: str
    challenge: ChallengeRef | None
    duplicate: bool
    received_at: datetime


def card_ref(app: App, pan: str | None, card_id: str | None) -> az.CardRef:
    if (pan is None) == (card_id is None):
        raise InvalidInput("pan", "give exactly one of pan and card_id", "card_required")
    if pan is not None:
        return az.CardRef.from_pan(pan, app.ctx.hash_pan)
    return az.CardRef(card_id=card_id)


def to_request(body: AuthorizationIn) -> AuthorizationRequest:
    currency = normalize_currency(body.currency)
    if currency is None:
        raise InvalidInput("currency", f"'{body.currency}' is not an ISO 4217 currency",
                           "unknown_currency")
    country = country_code(body.country, "country")
    region = province_code(body.region, "region") if body.region and country == "CN" \
        else None
    check_amount("amount", body.amount, zero=body.kind is MessageKind.BALANCE_INQUIRY)
    check_consistent(body.kind, body.amount, body.terminal)
    return AuthorizationRequest(
        kind=body.kind, amount=body.amount, currency=currency,
        billing_amount=body.amount if body.billing_amount is None else body.billing_amount,
        terminal=body.terminal, card_present=body.card_present, entry_mode=body.entry_mode,
        country=country, region=region, pin_verified=body.pin_verified,
        merchant_id=body.merchant_id, merchant_name=body.merchant_name, mcc=body.mcc,
        city=body.city, acquirer_id=body.acquirer_id, stan=body.stan,
        transmission_time=body.transmission_time, rrn=body.rrn,
        agreement_id=body.agreement_id,
    )


def authorization_out(result: az.AuthorizationResult, language: str = "en") -> dict[str, Any]:
    r: AuthorizationRecord = result.record
    challenge = None
    if result.challenge is not None:
        c = result.challenge.challenge
        challenge = {"id": c.id, "expires_at": c.expires_at.isoformat(), "amount": c.amount}
    elif r.challenge_id:
        challenge = {"id": r.challenge_id}
    return {
        "authorization_id": r.id, "outcome": r.outcome.value,
        "response_code": r.response_code,
        "primary_reason": r.verdicts[0].reason.value if r.verdicts else None,
        "reasons": [{"reason": v.reason.value, "detail": v.detail,
                     "message": explain(v, language)} for v in r.verdicts],
        "alerts": [{"reason": v.reason.value, "detail": v.detail,
                    "message": explain(v, language)} for v in r.alerts],
        "approval_code": r.approval_code, "balance": r.balance_after,
        "currency": result.card.account.currency, "challenge": challenge,
        "duplicate": result.duplicate, "received_at": r.received_at.isoformat(),
    }


_AUTHORIZE_DOC = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/AuthorizationIn"}}},
    },
}


def openapi_components() -> dict[str, Any]:
    """Schemas the authorize route's documentation refers to (see ``app.py``)."""
    schema = AuthorizationIn.model_json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = schema.pop("$defs", {})
    return {**defs, "AuthorizationIn": schema}


@router.post("/authorizations", response_model=None, openapi_extra=_AUTHORIZE_DOC,
             responses={200: {"model": AuthorizationOut}})
async def authorize_endpoint(request: Request, _: Processor) -> Response:
    """Decide an authorization. A decline is an answer (200), not an error.

    The hot path: ``fastpath.AuthorizeFastPath`` answers this path in front of FastAPI with
    the same checks and :func:`authorize_json`; this route documents it and serves it when
    the fast path is not installed."""
    answer = await authorize_json(request.app.state.smartguard, await request.body())
    return Response(orjson.dumps(answer), media_type="application/json")


async def authorize_json(app: App, raw: bytes) -> dict[str, Any]:
    """Validate a JSON authorization request, decide it, and return the JSON answer."""
    body = parse_body(AuthorizationIn, raw)
    ref = card_ref(app, body.pan, body.card_id)
    req = to_request(body)
    given = body.billing_amount is not None

    def job(uow: UnitOfWork) -> tuple[az.AuthorizationResult, float]:
        started = perf_counter()
        found = az.authorize(uow, app.ctx, ref, req, billing_given=given)
        return found, perf_counter() - started

    submitted = perf_counter()
    result, seconds = await app.awrite(job, ref.lock_for(req))
    app.telemetry.decided(HTTP, result.record, seconds, perf_counter() - submitted,
                          result.duplicate)
    return authorization_out(result)


class OriginalIn(Strict):
    acquirer_id: str = Field(min_length=1, max_length=11)
    stan: str = Field(pattern=r"^[0-9]{6}$")
    transmission_time: str = Field(min_length=1, max_length=32)


class ReversalIn(Strict):
    acquirer_id: str = Field(min_length=1, max_length=11)
    stan: str = Field(pattern=r"^[0-9]{6}$")
    transmission_time: str = Field(min_length=1, max_length=32)
    original: OriginalIn
    pan: str | None = Field(default=None, min_length=13, max_length=19)
    amount: Amount | None = None
    actual_amount: Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)] | None = Field(
        default=None, description="A partial reversal: the amount that really took place, "
        "in the original's currency (minor units); the rest is given back. Absent or 0: "
        "a full reversal.")


class ReversalOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "reversal_id": "rev_4e5f6a7b", "status": "applied",
        "authorization_id": "auth_0c9d8e7f", "repeat": False, "given_back": 10_000}]})

    reversal_id: str
    status: Literal["applied", "no_effect", "pending"]
    authorization_id: str | None
    repeat: bool
    given_back: int | None = Field(
        default=None, description="When applied: what was given back to the card, in its "
        "currency (minor units)")


@router.post("/reversals", response_model=ReversalOut)
async def reverse_endpoint(body: ReversalIn, request: Request, _: Processor) -> ReversalOut:
    """Reverse an authorization: applied at most once, always acknowledged; a reversal whose
    original is unknown is recorded and applied if the original shows up later."""
    app: App = request.app.state.smartguard
    ref = az.CardRef.from_pan(body.pan, app.ctx.hash_pan) if body.pan else None
    rev = ReversalRequest(
        body.acquirer_id, body.stan, body.transmission_time, body.original.acquirer_id,
        body.original.stan, body.original.transmission_time, body.amount,
        actual_amount=body.actual_amount or None)
    result = await app.awrite(lambda uow: reverse.reverse(uow, app.ctx, rev, ref),
                              reverse.lock_for(ref, rev))
    rec = result.record
    return ReversalOut(reversal_id=rec.id, status=rec.status.value,
                       authorization_id=rec.authorization_id, repeat=result.repeat,
                       given_back=rec.amount if rec.status is ReversalStatus.APPLIED else None)


class PostingIn(Strict):
    posting_id: str = Field(min_length=1, max_length=64)
    account_id: str = Field(min_length=1, max_length=64)
    amount: Annotated[StrictInt, Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT)] = Field(
        description="Signed minor units: credit > 0, debit < 0")
    description: str = Field(default="", max_length=80)


class PostingOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "posting_id": "core-20261202-000123", "account_id": "acc_1d2e3f4a5b6c7d8e",
        "amount": -25_000, "balance": 975_000, "duplicate": False}]})

    posting_id: str
    account_id: str
    amount: int
    balance: int
    duplicate: bool


@router.post("/postings", response_model=PostingOut, responses=may_answer(404))
async def post_endpoint(body: PostingIn, request: Request, _: Processor) -> PostingOut:
    """A balance movement from core banking, applied once per posting id."""
    app: App = request.app.state.smartguard
    p = Posting(body.posting_id, body.account_id, body.amount, body.description)
    rec, dup = await app.awrite(lambda uow: postings.post(uow, app.ctx, p),
                                ("account", p.account_id))
    return PostingOut(posting_id=rec.posting_id, account_id=rec.account_id, amount=rec.amount,
                      balance=rec.balance_after, duplicate=dup)
