"""The security centre (安全中心), the cardholder's home: the card with its status and
balance, the check-up score as a gauge with what it means and its one-tap fixes, and every
protection as a row with a switch. A switch is a form (it works without JavaScript, with a
confirmation page where turning it off lowers the protection and an undo after it);
``sg.js`` sends the same form with ``fetch`` and gets JSON back, so the switch acts at once."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.alerts import AlertKind
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.web import i18n, switches, views
from smartguard.entrypoints.web.advisor import finding_item, score_view
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import (
    PageNotFound,
    WebRoute,
    json_answer,
    redirect,
    render,
    wants_json,
    web,
)
from smartguard.entrypoints.web.sessions import check_form
from smartguard.service_layer import checkup, history
from smartguard.service_layer import protections as prot
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord

router = APIRouter(route_class=WebRoute, include_in_schema=False)
FIXES_SHOWN = 3


def _notice(request: Request, rec: CardRecord, lang: str) -> dict[str, Any] | None:
    """What was just done (``done`` or a switch turned on or off, with its undo)."""
    q = request.query_params
    if q.get("done") in DONE:
        return {"text": i18n.translator(lang)(q["done"]), "undo": None}
    return switches.notice(q, rec.card.id, lang)


@router.get("/cards/{card_id}")
async def overview(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    w = web(request)
    lang, tz = page.lang, page.record.cardholder.timezone

    def job(uow: UnitOfWork) -> tuple[Any, Any, checkup.CheckUp]:
        sent = [m for m in uow.outbox.list(None, None, card_id, 20)
                if m.kind != AlertKind.SIGN_IN.value][:5]  # sign-in codes are no alerts
        return (history.decided(uow, card_id, 3), sent,
                checkup.run_check_up(uow, w.sg.ctx, page.visitor.actor, card_id))

    found, sent, checked = await w.read(job)
    report, cur = checked.report, page.record.account.currency
    fixes = [finding_item(f, lang, cur) for f in report.findings if f.fix][:FIXES_SHOWN]
    t = i18n.translator(lang)
    notice = _notice(request, page.record, lang)
    return render(request, "centre.html", t("tab.overview"), **page.context("overview"),
                  glance=views.glance(page.record, lang)[len(switches.SWITCHES):],
                  rows=switches.rows(page.record, lang), pending=page.pending,
                  channel_rows=switches.rows(page.record, lang, switches.CHANNELS),
                  gauge=score_view(report.score, len(report.findings), lang), fixes=fixes,
                  decisions=[views.decision_item(r, lang, tz, reversal=b) for r, b in found],
                  messages=[views.message_item(m, lang, tz) for m in sent],
                  notice=notice["text"] if notice else None,
                  undo=notice["undo"] if notice else None)


@router.post("/cards/{card_id}/switches/{name}")
async def flip(card_id: str, name: str, request: Request) -> Response:
    """Turn one protection on (``on=1``) or off (``on=0``; ``confirm=1`` once the
    cardholder has said yes)."""
    if not switches.known(name):
        raise PageNotFound(request.url.path)
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    on = form.get("on") == "1"
    back = form.get("back") if form.get("back") in switches.BACK else None
    if form.get("on") == switches.lowering(name) and form.get("confirm") != "1":
        return _confirm(request, page, name, back)
    base = f"/cards/{card_id}"
    t = i18n.translator(page.lang)
    try:
        wanted = switches.change(page.record.controls, name, on)
    except InvalidInput:
        href = base + switches.SWITCHES[name][1]  # only the locks can be refused here
        if wants_json(request):
            return json_answer(request, {"ok": False, "href": href,
                                   "message": t(f"centre.needs.{name}")}, 422)
        path, _, anchor = href.partition("#")
        return redirect(request, f"{path}?done=done.needs_places#{anchor}")
    w = web(request)
    rec: CardRecord = await w.sg.awrite(lambda uow: prot.set_protection(
        uow, w.sg.ctx, page.visitor.actor, card_id, wanted))
    now = "on" if on else "off"
    if not wants_json(request):
        return redirect(request, f"{switches.back_path(card_id, back)}?switched={name}&now={now}"
                                 f"#sw-{name.replace('.', '-')}")
    label = t(switches.label_key(name))
    checked = await w.read(lambda uow: checkup.run_check_up(uow, w.sg.ctx, page.visitor.actor,
                                                            card_id))
    gauge = score_view(checked.report.score, len(checked.report.findings), page.lang)
    return json_answer(request, {"ok": True, "on": on, "undo": "0" if on else "1", "gauge": gauge,
                           "text": switches.setting_text(rec, name, page.lang),
                           "notice": t(f"centre.switched_{now}", name=label),
                           "state": t("common.on") if on else t("common.off")})


def _confirm(request: Request, page: CardPage, name: str, back: str | None) -> Response:
    """Without JavaScript: ask before a change that lowers the protection (the answer goes
    back to the page the switch is on)."""
    asked = switches.ask(name, page.lang)
    card_id = page.record.card.id
    if wants_json(request):
        return json_answer(request, {"ok": False, "confirm": asked["text"]}, 409)
    here = "controls" if back == "controls" else "overview"
    return render(request, "centre_confirm.html", asked["title"], **page.context(here),
                  ask=asked, on=switches.lowering(name), back=back,
                  action=f"/cards/{card_id}/switches/{name}",
                  keep=switches.back_path(card_id, back)
                  + ("#channels" if back else "#protections"))
