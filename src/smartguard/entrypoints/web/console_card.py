"""The console's card page: the card's whole story (decisions, alerts and their delivery,
dead letters, challenges, the audit trail) and the operator's actions on it (block, unblock,
requeue a dead letter), through the same use cases as the API."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.cards import StatusAction
from smartguard.entrypoints.web import i18n, views
from smartguard.entrypoints.web.console import ZONE, card_row, operator
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, language, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form
from smartguard.service_layer import alert_preferences, cards, history
from smartguard.service_layer.alert_preferences import mask_phone
from smartguard.service_layer.messages import OutboxMessage, OutboxStatus
from smartguard.service_layer.ports import UnitOfWork

router = APIRouter(prefix="/console", route_class=WebRoute, include_in_schema=False)
DONE = ("done.blocked", "done.unblocked", "done.requeued")


def _audit_row(e: Any) -> dict[str, Any]:
    def text(value: Any) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False)

    return {"at": views.when(e.at, ZONE), "actor": e.actor, "channel": e.channel,
            "action": e.action, "old": text(e.old), "new": text(e.new)}


def _message_row(m: OutboxMessage, lang: str) -> dict[str, Any]:
    return views.message_item(m, lang, ZONE) | {
        "recipient": mask_phone(m.recipient) if m.recipient else "",
        "receipt": m.receipt or ""}


def _story(uow: UnitOfWork, actor: Any, card_id: str, lang: str) -> dict[str, Any]:
    rec = cards.card_for(uow, actor, card_id)
    tz = rec.cardholder.timezone
    messages = uow.outbox.list(None, None, card_id, 100)
    dead = uow.outbox.list(OutboxStatus.DEAD, None, card_id, 100)
    return {
        "card": card_row(rec, lang) | {
            "timezone": views.zone_text(tz, lang),
            "language": views.language_text(rec.cardholder.language.value)},
        "glance": views.glance(rec, lang),
        "decisions": [views.decision_item(r, lang, tz, advice=False, reversal=b)
                      for r, b in history.decided(uow, card_id, 50)],
        "messages": [_message_row(m, lang) for m in messages],
        "dead": [_message_row(m, lang) for m in dead],
        "challenges": [views.challenge_item(c, lang, tz) | {"status": c.status.value}
                       for c in uow.challenges.for_card(card_id)],
        "audit": [_audit_row(e) for e in uow.audit.for_card(card_id, 200)],
    }


@router.get("/cards/{card_id}")
async def card_detail(card_id: str, request: Request) -> Response:
    v, w = await operator(request), web(request)
    lang = language(request)
    t = i18n.translator(lang)
    detail = await w.read(lambda uow: _story(uow, v.actor, card_id, lang))
    done = request.query_params.get("done")
    return render(request, "console/card.html", detail["card"]["masked"], lang=lang,
                  visitor=v, notice=t(done) if done in DONE else None, **detail)


@router.post("/cards/{card_id}/{action}")
async def change_status(card_id: str, action: str, request: Request) -> Response:
    v, w = await operator(request), web(request)
    await check_form(request, v.csrf)
    if action not in ("block", "unblock"):
        raise PageNotFound(request.url.path)
    wanted = StatusAction(action)
    await w.sg.awrite(lambda uow: cards.change_status(uow, w.sg.ctx, v.actor, card_id, wanted))
    return redirect(request, f"/console/cards/{card_id}?done=done.{action}ed")


@router.post("/cards/{card_id}/messages/{message_id}/requeue")
async def requeue(card_id: str, message_id: str, request: Request) -> Response:
    v, w = await operator(request), web(request)
    await check_form(request, v.csrf)
    await w.sg.awrite(lambda uow: alert_preferences.requeue_message(uow, w.sg.ctx, v.actor,
                                                                 message_id))
    return redirect(request, f"/console/cards/{card_id}?done=done.requeued#dead")
