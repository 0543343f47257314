"""The cardholder's alerts on the page: which alerts go by SMS and to the bank's app
(webhook), the smallest balance change worth an alert, and the alerts sent lately with their
delivery status. Saved through the same use case as the API (audited, and the phone is told).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain import alerts as a
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.web import forms, i18n, views
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import WebRoute, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form
from smartguard.service_layer import alert_preferences
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.ports import UnitOfWork

router = APIRouter(route_class=WebRoute, include_in_schema=False)
RECENT = 30


def recent_alerts(uow: UnitOfWork, card_id: str, limit: int = RECENT) -> list[OutboxMessage]:
    return uow.outbox.list(None, None, card_id, limit)


def _rows(prefs: a.AlertPreferences, sent: dict[str, Any] | None, lang: str,
          channels: frozenset[str]) -> list[dict[str, Any]]:
    t = i18n.translator(lang)
    rows = []
    for kind in a.CHOOSABLE:
        chosen = prefs.channels_for(kind)
        boxes = []
        for ch in a.DeliveryChannel:
            if ch.value not in channels:
                continue
            fixed = ch is a.DeliveryChannel.SMS and kind in a.ALWAYS_SMS
            on = ch in chosen if sent is None else (fixed or sent.get(f"{kind}.{ch}") == "on")
            boxes.append({"name": f"{kind.value}.{ch.value}", "on": on, "fixed": fixed,
                          "label": t(f"alert_channel.{ch.value}")})
        rows.append({"kind": kind.value, "name": t(f"alert_kind.{kind.value}"),
                     "boxes": boxes, "always": kind in a.ALWAYS_SMS})
    return rows


async def _page(request: Request, page: CardPage, status: int = 200,
                sent: dict[str, Any] | None = None, **extra: Any) -> Response:
    w = web(request)
    lang, tz = page.lang, page.record.cardholder.timezone
    card_id = page.record.card.id

    def job(uow: UnitOfWork) -> tuple[a.AlertPreferences, list[OutboxMessage]]:
        return (alert_preferences.get_preferences(uow, page.visitor.actor, card_id),
                recent_alerts(uow, card_id))

    prefs, found = await w.read(job)
    t = i18n.translator(lang)
    threshold = sent["balance_threshold"] if sent else forms.amount_text(
        prefs.balance_threshold, page.record.account.currency)
    done = request.query_params.get("done")
    return render(request, "alerts.html", t("tab.alerts"), status=status,
                  **page.context("alerts"),
                  rows=_rows(prefs, sent, lang, w.sg.ctx.alert_channels),
                  threshold=threshold, messages=[views.message_item(m, lang, tz) for m in found],
                  notice=t(done) if done in DONE else None, **extra)


@router.get("/cards/{card_id}/alerts")
async def alerts(card_id: str, request: Request) -> Response:
    return await _page(request, await card_page(request, card_id))


@router.post("/cards/{card_id}/alerts")
async def set_alerts(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    channels = {kind.value: [ch.value for ch in a.DeliveryChannel
                             if form.get(f"{kind.value}.{ch.value}") == "on"
                             or (ch is a.DeliveryChannel.SMS and kind in a.ALWAYS_SMS)]
                for kind in a.CHOOSABLE}
    w = web(request)
    try:
        threshold = forms.amount(form.get("balance_threshold", ""), "balance_threshold",
                                 page.record.account.currency) or 0
        new = a.preferences(channels, threshold)
        await w.sg.awrite(lambda uow: alert_preferences.set_preferences(
            uow, w.sg.ctx, page.visitor.actor, card_id, new))
    except InvalidInput as exc:
        return await _page(request, page, 422, sent=form,
                           errors={exc.field: i18n.error_text(exc, page.lang)})
    return redirect(request, f"/cards/{card_id}/alerts?done=done.saved")
