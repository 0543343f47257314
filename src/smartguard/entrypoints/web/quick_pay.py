"""Quick-payment agreements (快捷支付安全管理) on the page: every binding of the card with
who, since when, last used, its own limits and today's use; suspend, resume, revoke, and set
its limits, through the same use cases as the API (audited)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.agreements import AgreementAction
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import format_amount
from smartguard.domain.periods import agreement_key, day_key, local_time, month_key
from smartguard.entrypoints.web import forms, i18n, views
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form
from smartguard.service_layer import agreements as ag
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AgreementRecord

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _item(uow: UnitOfWork, page: CardPage, r: AgreementRecord, now: Any) -> dict[str, Any]:
    t = i18n.translator(page.lang)
    tz, cur = page.record.cardholder.timezone, page.record.account.currency
    local = local_time(now, tz)
    key = agreement_key(r.id)
    used = uow.usage.get(r.card_id, [key], day_key(local), month_key(local)).get(key)
    return {"id": r.id, "payee": r.payee, "status": r.status.value,
            "status_text": t(f"agreement.{r.status.value}"),
            "since": views.when(r.created_at, tz),
            "last_used": views.when(r.last_used_at, tz) if r.last_used_at else t("agreement.never"),
            "per_txn": forms.amount_text(r.per_txn_limit, cur),
            "daily": forms.amount_text(r.daily_limit, cur),
            "used_today": format_amount(used.day_amount if used else 0, cur)}


async def _page(request: Request, page: CardPage, status: int = 200,
                sent: dict[str, dict[str, str]] | None = None, **extra: Any) -> Response:
    w = web(request)
    now = w.sg.ctx.clock()

    def job(uow: UnitOfWork) -> list[dict[str, Any]]:
        found = ag.agreements_for(uow, page.visitor.actor, page.record.card.id)
        return [_item(uow, page, r, now) for r in found]

    items = await w.read(job)
    for item in items:
        item.update((sent or {}).get(item["id"], {}))
    t = i18n.translator(page.lang)
    done = request.query_params.get("done")
    return render(request, "agreements.html", t("tab.agreements"), status=status,
                  **page.context("agreements"), agreements=items,
                  notice=t(done) if done in DONE else None, **extra)


@router.get("/cards/{card_id}/agreements")
async def agreements(card_id: str, request: Request) -> Response:
    return await _page(request, await card_page(request, card_id))


@router.post("/cards/{card_id}/agreements/{agreement_id}/limits")
async def set_limits(card_id: str, agreement_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    cur = page.record.account.currency
    w = web(request)
    try:
        limits = (forms.amount(form.get("per_txn", ""), "per_txn_limit", cur),
                  forms.amount(form.get("daily", ""), "daily_limit", cur))
        await w.sg.awrite(lambda uow: ag.set_agreement_limits(
            uow, w.sg.ctx, page.visitor.actor, card_id, agreement_id, limits))
    except InvalidInput as exc:
        sent = {agreement_id: {"per_txn": form.get("per_txn", ""),
                               "daily": form.get("daily", "")}}
        return await _page(request, page, 422, sent=sent, errors={
            f"{agreement_id}.{exc.field}": i18n.error_text(exc, page.lang)})
    return redirect(request, f"/cards/{card_id}/agreements?done=done.saved")


@router.post("/cards/{card_id}/agreements/{agreement_id}/{action}")
async def change(card_id: str, agreement_id: str, action: str, request: Request) -> Response:
    try:
        wanted = AgreementAction(action)
    except ValueError:
        raise PageNotFound(request.url.path) from None
    page = await card_page(request, card_id)
    await check_form(request, page.visitor.csrf)
    w = web(request)
    await w.sg.awrite(lambda uow: ag.change_agreement(
        uow, w.sg.ctx, page.visitor.actor, card_id, agreement_id, wanted))
    return redirect(request, f"/cards/{card_id}/agreements?done=done.agreement_{action}")
