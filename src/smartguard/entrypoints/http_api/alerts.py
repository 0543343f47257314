"""Alerts over HTTP: a card's alert preferences and the cardholder's phone (cardholder app,
operators); the outbox and its dead letters (operators); the signed inbound-SMS hook (the
SMS provider)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from smartguard.adapters.webhook import signing
from smartguard.bootstrap import App
from smartguard.domain import alerts as a
from smartguard.domain.money import MAX_AMOUNT
from smartguard.entrypoints.http_api.alert_models import (
    AlertPreferencesOut,
    InboundOut,
    OutboxStatsOut,
    PhoneOut,
)
from smartguard.entrypoints.http_api.auth import Principal, parse_body, require
from smartguard.entrypoints.http_api.errors import may_answer
from smartguard.entrypoints.http_api.idempotency import Once
from smartguard.entrypoints.http_api.models import OutboxOut, OutboxPage
from smartguard.entrypoints.http_api.paging import Cursor, Limit, decode, page
from smartguard.entrypoints.notifier import channel_status, rate_limit
from smartguard.errors import NotFound, TooLarge, Unauthenticated
from smartguard.service_layer import alert_preferences
from smartguard.service_layer.alert_preferences import mask_phone
from smartguard.service_layer.messages import OutboxMessage, OutboxStatus
from smartguard.service_layer.records import Role
from smartguard.service_layer.sms_inbound import InboundSms, handle_inbound

router = APIRouter(prefix="/v1", tags=["alerts"])
Holder = Annotated[Principal, Depends(require(Role.CARDHOLDER_APP, Role.OPERATOR))]
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
MAX_INBOUND = 4096


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PreferencesIn(Strict):
    channels: dict[str, list[str]] = Field(
        default_factory=dict, description="Alert kind -> channels (sms, webhook). Kinds: "
        + ", ".join(a.CHOOSABLE) + ". Verification and security always include sms.")
    balance_threshold: Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)] = Field(
        default=0, description="Smallest balance change (minor units) that is alerted")


class PhoneIn(Strict):
    phone: str = Field(description="E.164, e.g. +8613800138000")


class InboundIn(Strict):
    message_id: str = Field(min_length=1, max_length=64, description="The SMS centre's id")
    sender: str = Field(alias="from", min_length=2, max_length=16)
    to: str = Field(default="", max_length=21)
    text: str = Field(max_length=1600)


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


def outbox_view(m: OutboxMessage) -> dict[str, Any]:
    return {
        "id": m.id, "created_at": m.created_at.isoformat(), "channel": m.channel,
        "kind": m.kind, "event": m.event, "status": m.status.value,
        "recipient": mask_phone(m.recipient) if m.recipient else None, "text": m.text,
        "card_id": m.card_id, "attempts": m.attempts, "last_error": m.last_error,
        "next_attempt_at": m.next_attempt_at.isoformat() if m.next_attempt_at else None,
        "sent_at": m.sent_at.isoformat() if m.sent_at else None,
        "provider_ref": m.provider_ref, "receipt": m.receipt,
    }


@router.get("/cards/{card_id}/alerts", response_model=AlertPreferencesOut)
def get_alert_preferences(card_id: str, request: Request, p: Holder) -> dict[str, Any]:
    """Which channels each kind of alert goes to, and the balance-change threshold."""
    app = _app(request)
    prefs = app.read(lambda uow: alert_preferences.get_preferences(uow, p.actor, card_id))
    return _shown(app, prefs)


@router.put("/cards/{card_id}/alerts", response_model=AlertPreferencesOut)
async def put_alert_preferences(card_id: str, body: PreferencesIn, request: Request,
                                p: Holder) -> dict[str, Any]:
    """Change alert preferences (audited; the cardholder's phone is told)."""
    app = _app(request)
    new = a.preferences(body.channels, body.balance_threshold)
    saved = await app.awrite(
        lambda uow: alert_preferences.set_preferences(uow, app.ctx, p.actor, card_id, new))
    return _shown(app, saved)


def _shown(app: App, prefs: a.AlertPreferences) -> dict[str, Any]:
    """The preferences as this bank sends them: a channel it has not set up (webhooks
    without URLs) is not listed, though the choice is kept for when it is."""
    written = app.settings.alerts.written_channels
    found = a.preferences_to_dict(prefs)
    found["channels"] = {kind: [c for c in chosen if c in written]
                         for kind, chosen in found["channels"].items()}
    found["available"] = sorted(written)
    return found


@router.put("/cardholders/{cardholder_id}/phone", response_model=PhoneOut)
async def put_phone(cardholder_id: str, body: PhoneIn, request: Request,
                    p: Holder) -> dict[str, Any]:
    """Change the registered phone; the old and the new number both get an alert."""
    app = _app(request)
    phone = await app.awrite(lambda uow: alert_preferences.change_phone(
        uow, app.ctx, p.actor, cardholder_id, body.phone))
    return {"cardholder_id": cardholder_id, "phone": mask_phone(phone)}


@router.get("/outbox", tags=["operations"], response_model=OutboxPage)
def list_outbox(request: Request, _: Operator, status: OutboxStatus | None = None,
                channel: str | None = None, card_id: str | None = None,
                limit: Limit = 100, cursor: Cursor = None) -> dict[str, Any]:
    """Alert messages, newest first; ``status=dead`` lists the dead letters."""
    at = decode(cursor, (str,))
    found = _app(request).read(lambda uow: uow.outbox.list(
        status, channel, card_id, limit + 1, str(at[0]) if at else None))
    return page(found, limit, lambda m: [m.id], outbox_view)


@router.get("/outbox/stats", tags=["operations"], response_model=OutboxStatsOut)
def outbox_stats(request: Request, _: Operator) -> dict[str, Any]:
    """Messages per channel and status, and whether each channel is configured."""
    app = _app(request)
    counts = app.read(lambda uow: uow.outbox.counts())
    by_channel: dict[str, dict[str, int]] = {}
    for (channel, status), n in counts.items():
        by_channel.setdefault(channel, {})[status] = n
    return {"channels": channel_status(app), "messages": by_channel}


@router.post("/outbox/{message_id}/requeue", tags=["operations"],
             response_model=OutboxOut)
async def requeue(message_id: str, request: Request, p: Operator,
                  once: Once) -> dict[str, Any]:
    """Send a dead-lettered message again (its attempts start over)."""
    app = _app(request)
    return await once.write(lambda uow: outbox_view(
        alert_preferences.requeue_message(uow, app.ctx, p.actor, message_id)))


@router.post("/sms/inbound", tags=["alerts"], openapi_extra={
    "requestBody": {"required": True, "content": {"application/json": {
        "schema": InboundIn.model_json_schema()}}}}, response_model=InboundOut,
    responses=may_answer(401, 404, 413))
async def sms_inbound(request: Request) -> dict[str, Any]:
    """A mobile-originated SMS from an HTTP SMS provider, signed like SmartGuard's webhooks
    (``SmartGuard-Signature: t=...,v1=...`` with an ``[sms_inbound]`` secret)."""
    app = _app(request)
    secrets = app.settings.alerts.sms_inbound.secrets
    if not secrets:
        raise NotFound("the inbound SMS hook is not configured")
    raw = await request.body()
    if len(raw) > MAX_INBOUND:
        raise TooLarge(f"the body is larger than {MAX_INBOUND} bytes")
    if not signing.verify(raw, request.headers.get(signing.HEADER, ""), secrets):
        raise Unauthenticated("missing, stale or wrong SmartGuard-Signature")
    body = parse_body(InboundIn, raw)
    sms = InboundSms("http", body.message_id, _e164(body.sender), body.text)
    limit = rate_limit(app)
    result = await app.awrite(lambda uow: handle_inbound(uow, app.ctx, sms, limit))
    return {"message_id": body.message_id, "duplicate": result.duplicate,
            "outcome": result.outcome}


def _e164(number: str) -> str:
    return number if number.startswith("+") else "+" + number
