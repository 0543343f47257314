"""The operator console: sign in with an operator API key, find cards, messages per channel,
the chart of the last 24 hours, and the bank's ceilings (the card page is console_card.py).
Actions run the API's use cases as ``Actor("console:key:<id>", "console")``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.controls import values as s
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.http_api.views import mask_phone
from smartguard.entrypoints.web import forms, i18n, views
from smartguard.entrypoints.web.chart import WINDOW, decision_chart
from smartguard.entrypoints.web.pages import WebRoute, language, redirect, render, web
from smartguard.entrypoints.web.sessions import (
    CONSOLE_COOKIE,
    Visitor,
    anon_basis,
    check_form,
    set_cookie,
    visitor,
)
from smartguard.service_layer import protections as prot
from smartguard.service_layer import sessions, signin
from smartguard.service_layer.messages import OutboxStatus
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.web_records import SessionKind

router = APIRouter(prefix="/console", route_class=WebRoute, include_in_schema=False)
ZONE = "Asia/Shanghai"  # the bank's own time zone, for the console's times
LIMIT_FIELDS = ("per_txn", "daily_amount", "daily_count", "monthly_amount")


async def operator(request: Request) -> Visitor:
    w = web(request)
    return await run_in_threadpool(visitor, request, w.sg, w.signer, SessionKind.OPERATOR)


@router.get("/signin")
async def signin_form(request: Request) -> Response:
    lang = language(request)
    return render(request, "console/signin.html", i18n.translator(lang)("console.signin"),
                  lang=lang)


@router.post("/signin")
async def signin_check(request: Request) -> Response:
    w, lang = web(request), language(request)
    form = await check_form(request, w.signer.csrf(anon_basis(request, w.signer)))
    client = request.client.host if request.client else "unknown"
    result = await w.sg.awrite(lambda uow: signin.operator_sign_in(
        uow, w.sg.ctx, form.get("api_key", ""), client))
    if result.token is None:
        t = i18n.translator(lang)
        key = "signin.throttled" if result.outcome is signin.SignInStatus.THROTTLED \
            else "console.refused"
        return render(request, "console/signin.html", t("console.signin"), lang=lang,
                      status=429 if key == "signin.throttled" else 401,
                      errors={"api_key": t(key)})
    response = redirect(request, "/console")
    set_cookie(request, response, CONSOLE_COOKIE, w.signer.sign(result.token),
               path="/console", strict=True, max_age=int(sessions.MAX_AGE.total_seconds()))
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    w = web(request)
    v = await operator(request)
    await check_form(request, v.csrf)
    await w.sg.awrite(lambda uow: sessions.end_session(uow, w.sg.ctx, v.token))
    response = redirect(request, "/console/signin")
    response.delete_cookie(CONSOLE_COOKIE, path="/console")
    return response


def _search(uow: UnitOfWork, last4: str, phone: str, card_id: str) -> list[CardRecord]:
    if card_id:
        found = uow.cards.get(card_id)
        return [found] if found else []
    if not last4 and not phone:
        return []
    return uow.cards.search(last4 or None, phone or None, 50)


@router.get("")
async def home(request: Request, last4: str = "", phone: str = "",
               card_id: str = "") -> Response:
    """Find cards, and the decisions of the last 24 hours by reason."""
    v, w = await operator(request), web(request)
    lang = language(request)
    t = i18n.translator(lang)
    errors: dict[str, str] = {}
    number = ""
    if phone.strip():
        try:
            number = signin.normalize_phone(phone)
        except InvalidInput as exc:
            errors["phone"] = i18n.error_text(exc, lang)
    now = w.sg.ctx.clock()
    found, counts, messages = await w.read(lambda uow: (
        _search(uow, last4.strip(), number, card_id.strip()),
        uow.authorizations.decision_counts(now - WINDOW), uow.outbox.counts()))
    chart = decision_chart(counts, now, ZONE, t("console.chart"),
                           lambda k: t(f"reason.{k}"))
    searched = bool(last4.strip() or phone.strip() or card_id.strip())
    return render(request, "console/home.html", t("console.name"), lang=lang, visitor=v,
                  status=422 if errors else 200, errors=errors,
                  values={"last4": last4, "phone": phone, "card_id": card_id},
                  results=[card_row(r, lang) for r in found], searched=searched,
                  chart=chart, outbox=_outbox_rows(messages, lang))


def _outbox_rows(counts: dict[tuple[str, str], int], lang: str) -> list[dict[str, Any]]:
    t = i18n.translator(lang)
    return [{"channel": t(f"alert_channel.{ch}") if ch in ("sms", "webhook") else ch,
             "counts": [counts.get((ch, s.value), 0) for s in OutboxStatus]}
            for ch in sorted({ch for ch, _ in counts})]


def card_row(rec: CardRecord, lang: str) -> dict[str, Any]:
    return views.card_view(rec, lang) | {"phone": mask_phone(rec.cardholder.phone),
                                         "product": views.product_text(rec.card.product,
                                                                       lang)}


# --- bank ceilings -------------------------------------------------------------------------

def _ceiling_rows(c: s.Ceilings, sent: dict[str, str], lang: str) -> list[dict[str, Any]]:
    t = i18n.translator(lang)
    rows = []
    for ch in Channel:
        lim = c.channels[ch]
        cells = []
        for n in LIMIT_FIELDS:
            key = f"{ch.value}.{n}"
            value = getattr(lim, n)
            shown = str(value) if n == "daily_count" else forms.amount_text(value)
            cells.append({"name": key, "field": f"ceilings.{key}", "label": t(f"limits.{n}"),
                          "value": sent.get(key, shown)})
        rows.append({"name": t(f"channel.{ch.value}"), "cells": cells})
    return rows


def _ceilings_page(request: Request, v: Visitor, product: str, c: s.Ceilings,
                   status: int = 200, sent: dict[str, str] | None = None,
                   **extra: Any) -> Response:
    lang = language(request)
    t = i18n.translator(lang)
    sent = sent or {}
    overseas = sent.get("atm_cash_overseas_daily",
                        forms.amount_text(c.atm_cash_overseas_daily))
    return render(request, "console/ceilings.html", t("console.ceilings"), lang=lang,
                  visitor=v, status=status, product=product,
                  rows=_ceiling_rows(c, sent, lang), overseas=overseas, **extra)


@router.get("/ceilings")
async def ceilings(request: Request, product: str = "debit_standard") -> Response:
    v, w = await operator(request), web(request)
    found = await w.read(lambda uow: prot.ceilings_for(uow, w.sg.ctx, product))
    done = request.query_params.get("done") == "done.saved"
    t = i18n.translator(language(request))
    return _ceilings_page(request, v, product, found,
                          notice=t("done.saved") if done else None)


def _ceiling_value(form: Mapping[str, str], name: str, count: bool = False) -> int:
    field = f"ceilings.{name}"
    text = form.get(name, "")
    value = forms.count(text, field) if count else forms.amount(text, field)
    if value is None:
        raise InvalidInput(field, "every ceiling is required", "required")
    return value


@router.post("/ceilings")
async def set_ceilings(request: Request) -> Response:
    v, w = await operator(request), web(request)
    form = await check_form(request, v.csrf)
    product = form.get("product", "").strip()
    try:
        channels = {ch: s.ChannelCeiling(**{
            n: _ceiling_value(form, f"{ch.value}.{n}", n == "daily_count")
            for n in LIMIT_FIELDS}) for ch in Channel}
        new = s.Ceilings(channels, _ceiling_value(form, "atm_cash_overseas_daily"))
        await w.sg.awrite(lambda uow: prot.set_ceilings(uow, w.sg.ctx, v.actor, product, new))
    except InvalidInput as exc:
        current = await w.read(lambda uow: prot.ceilings_for(uow, w.sg.ctx, product))
        lang = language(request)
        return _ceilings_page(request, v, product, current, 422, dict(form),
                              errors={exc.field: i18n.error_text(exc, lang)})
    return redirect(request, f"/console/ceilings?product={quote(product)}&done=done.saved")
