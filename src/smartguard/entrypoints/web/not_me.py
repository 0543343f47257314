""""Not me" (不是我) from any transaction: the transaction, then the three things to do
about it on one page: freeze the card, block the merchant, and what to do next (call the
bank, check the rest, keep the codes to yourself). Each form comes back here."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.entrypoints.web import i18n, views
from smartguard.entrypoints.web.cardholder import DONE, card_page
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, render, web
from smartguard.service_layer import history

router = APIRouter(route_class=WebRoute, include_in_schema=False)
SEARCHED = 200  # how far back a transaction can be found (the list shows 50)
NEXT_STEPS = ("notme.step_call", "notme.step_check", "notme.step_bindings",
              "notme.step_codes")


@router.get("/cards/{card_id}/transactions/{authorization_id}/not-me")
async def not_me(card_id: str, authorization_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    found = await web(request).read(lambda uow: history.decided(uow, card_id, SEARCHED))
    match = [(r, b) for r, b in found if r.id == authorization_id]
    if not match:
        raise PageNotFound(request.url.path)
    rec, reversal = match[0]
    lang, tz = page.lang, page.record.cardholder.timezone
    t = i18n.translator(lang)
    item = views.decision_item(rec, lang, tz, reversal=reversal)
    blocked = rec.request.merchant_id in page.record.controls.merchants.blocked
    done = request.query_params.get("done")
    return render(request, "not_me.html", t("notme.title"), **page.context("transactions"),
                  item=item, blocked=blocked, steps=[t(k) for k in NEXT_STEPS],
                  here=request.url.path, notice=t(done) if done in DONE else None)
