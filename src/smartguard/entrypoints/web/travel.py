"""Travel exceptions (出行例外) on the page: open the region lock for one province, or the
overseas lock for one country or region, for a trip; it closes by itself. Dates and
times are typed (or picked with ``static/sg-dates.js``) as wall-clock times in the
cardholder's zone, in the page's language (``dates.py``). Same use cases as the API
(audited, alerted).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.errors import InvalidInput
from smartguard.domain.geography import place_name
from smartguard.domain.periods import local_time
from smartguard.entrypoints.web import dates, i18n, views
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import WebRoute, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form
from smartguard.service_layer import travel as tr

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def _examples(today: datetime, lang: str) -> tuple[str, str]:
    """A trip from tomorrow 09:00 to a week later 18:00, as the page writes them."""
    start = today.replace(hour=9, minute=0, second=0, microsecond=0) + timedelta(days=1)
    end = start.replace(hour=18) + timedelta(days=6)
    return dates.field_text(start, lang), dates.field_text(end, lang)


async def _page(request: Request, page: CardPage, status: int = 200,
                sent: dict[str, str] | None = None, **extra: Any) -> Response:
    w = web(request)
    now = w.sg.ctx.clock()
    tz, lang = page.record.cardholder.timezone, page.lang
    t = i18n.translator(lang)
    found = await w.read(lambda uow: tr.list_travel(uow, page.visitor.actor,
                                                    page.record.card.id, now))
    items = []
    for r in found:
        state = tr.view(r, now)["state"]
        items.append({"id": r.id, "place": place_name(r.place, lang), "state": state,
                      "state_text": t(f"travel.{state}"), "kind": t(f"travel.kind_{r.kind}"),
                      "starts": dates.field_text(local_time(r.starts_at, tz), lang),
                      "ends": dates.field_text(local_time(r.ends_at, tz), lang)})
    done = request.query_params.get("done")
    return render(request, "travel.html", t("tab.travel"), status=status,
                  **page.context("travel"), trips=items, provinces=views.provinces(lang),
                  countries=views.countries(lang),
                  picker=dates.picker(lang, local_time(now, tz).date()),
                  examples=_examples(local_time(now, tz), lang),
                  sent=sent or {"place": "", "starts_at": "", "ends_at": ""},
                  notice=t(done) if done in DONE else None, **extra)


@router.get("/cards/{card_id}/travel")
async def travel(card_id: str, request: Request) -> Response:
    return await _page(request, await card_page(request, card_id))


def _read(sent: dict[str, str], lang: str
          ) -> tuple[datetime | None, datetime | None, dict[str, str]]:
    """The two instants as typed, and every field's error at once (not only the first)."""
    errors: dict[str, str] = {}
    if not sent["place"]:
        errors["place"] = i18n.error_text(InvalidInput(
            "place", "choose a province or a country", "place_required"), lang)
    found: list[datetime | None] = []
    for field, end in (("starts_at", False), ("ends_at", True)):
        try:
            found.append(dates.parse(sent[field], field, end))
        except InvalidInput as exc:
            found.append(None)
            errors[field] = i18n.error_text(exc, lang)
    return found[0], found[1], errors


@router.post("/cards/{card_id}/travel")
async def add_travel(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    sent = {k: form.get(k, "") for k in ("place", "starts_at", "ends_at")}
    w = web(request)
    starts, ends, errors = _read(sent, page.lang)
    if errors or starts is None or ends is None:
        return await _page(request, page, 422, sent=sent, errors=errors)
    try:
        await w.sg.awrite(lambda uow: tr.add_travel(
            uow, w.sg.ctx, page.visitor.actor, card_id, sent["place"], starts, ends))
    except InvalidInput as exc:
        return await _page(request, page, 422, sent=sent,
                           errors={exc.field: i18n.error_text(exc, page.lang)})
    return redirect(request, f"/cards/{card_id}/travel?done=done.travel_added")


@router.post("/cards/{card_id}/travel/{travel_id}/cancel")
async def cancel(card_id: str, travel_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    await check_form(request, page.visitor.csrf)
    w = web(request)
    await w.sg.awrite(lambda uow: tr.cancel_travel(uow, w.sg.ctx, page.visitor.actor,
                                                   card_id, travel_id))
    return redirect(request, f"/cards/{card_id}/travel?done=done.travel_cancelled")
