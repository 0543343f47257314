"""The security check-up on the page, with its one-click fixes, and the preview of what a
change of protections would have done to the card's recorded transactions before it is
saved. Both run the advisor's use cases (``service_layer/checkup.py``, ``preview.py``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.advisor.findings import Finding, Fix, FixAction
from smartguard.domain.advisor.preview import Change
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import name as category_name
from smartguard.domain.controls.spending import Switch, Switches
from smartguard.domain.explain import explain
from smartguard.domain.money import format_amount
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.web import i18n, views
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import (
    WebRoute,
    json_answer,
    redirect,
    render,
    wants_json,
    web,
)
from smartguard.entrypoints.web.sessions import check_form
from smartguard.errors import Conflict
from smartguard.service_layer import checkup
from smartguard.service_layer import preview as pv

router = APIRouter(route_class=WebRoute, include_in_schema=False)


def fix_text(fix: Fix, lang: str, currency: str = "CNY") -> str:
    """What the one-click fix will do, in plain words."""
    t = i18n.translator(lang)
    v = fix.value
    if fix.action is FixAction.FREEZE_CARD:
        return t("fix.freeze")
    if fix.action is FixAction.SUSPEND_AGREEMENT:
        return t("fix.suspend", agreement=fix.agreement_id or "")
    if fix.action is FixAction.SET_LIMITS and isinstance(v, s.ChannelLimits) and fix.channel:
        parts = [t(f"fix.limit_{n}", value=format_amount(getattr(v, n), currency)
                   if n != "daily_count" else getattr(v, n))
                 for n in ("per_txn", "daily_amount", "daily_count", "monthly_amount")
                 if getattr(v, n) is not None]
        return t("fix.limits", channel=i18n.inline(t(f"channel.{fix.channel.value}"), lang),
                 limits="、".join(parts) if lang == "zh-CN" else ", ".join(parts))
    if isinstance(v, s.RegionLock | s.OverseasLock):
        key = "locks.region" if isinstance(v, s.RegionLock) else "locks.overseas"
        places = views.places_text(v.places, lang) or t("overview.nowhere_abroad")
        return t("fix.turn_on_at", name=i18n.inline(t(key), lang), detail=places)
    if isinstance(v, s.NightLock):
        return t("fix.turn_on_at", name=i18n.inline(t("locks.night"), lang),
                 detail=f"{v.start:%H:%M}–{v.end:%H:%M}" + ("，" if lang == "zh-CN" else ", ")
                 + t(f"locks.scope_{v.scope.value}_short"))
    if isinstance(v, s.Verification):
        return t("fix.verification", amount=format_amount(v.large_threshold, currency))
    return _controls_fix_text(fix, lang)


def _controls_fix_text(fix: Fix, lang: str) -> str:
    """The channels switched off, the merchant categories blocked, the CNP lock on."""
    t = i18n.translator(lang)
    v, zh = fix.value, lang == "zh-CN"
    if isinstance(v, Switches):
        names = [i18n.inline(t(f"target.switches.{sw.value}"), lang)
                 for sw in Switch if sw in v.off]
        return t("fix.switches_off", channels=("、" if zh else ", ").join(names))
    blocked = [category_name(c, lang) for c, ctl in v.items() if ctl.blocked] \
        if fix.protection is s.Protection.CATEGORIES and isinstance(v, Mapping) else []
    if blocked:
        return t("fix.block_categories", categories=("，" if zh else "; ").join(blocked))
    return t("fix.turn_on", name=i18n.inline(t("locks.cnp"), lang))


def score_view(score: int, findings: int, lang: str) -> dict[str, Any]:
    """The gauge: the score, its band (good / fair / poor) and what it means."""
    t = i18n.translator(lang)
    band = "good" if score >= 80 else ("fair" if score >= 50 else "poor")
    return {"score": score, "band": band, "words": t(f"centre.band_{band}"),
            "meaning": t(f"centre.meaning_{band}", count=findings)}


def finding_item(f: Finding, lang: str, currency: str) -> dict[str, Any]:
    return {"id": f.id, "severity": f.severity.value,
            "severity_text": i18n.translator(lang)(f"severity.{f.severity.value}"),
            "title": f.title.get(lang), "explanation": f.explanation.get(lang),
            "fix": fix_text(f.fix, lang, currency) if f.fix else "",
            "expected": json.dumps(f.fix.as_dict(), ensure_ascii=False) if f.fix else ""}


@router.get("/cards/{card_id}/checkup")
async def checkup_page(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    w = web(request)
    checked = await w.read(lambda uow: checkup.run_check_up(uow, w.sg.ctx, page.visitor.actor,
                                                            card_id))
    report, lang = checked.report, page.lang
    t = i18n.translator(lang)
    done = request.query_params.get("done")
    return render(request, "checkup.html", t("tab.checkup"), **page.context("checkup"),
                  score=report.score, note=report.recommendations.note.get(lang),
                  gauge=score_view(report.score, len(report.findings), lang),
                  findings=[finding_item(f, lang, page.record.account.currency)
                            for f in report.findings],
                  notice=t(done) if done in DONE else None)


@router.post("/cards/{card_id}/checkup/fixes/{finding_id}")
async def apply_fix(card_id: str, finding_id: str, request: Request) -> Response:
    """The same steps as the API: recompute the check-up, find the finding, check that its
    fix is still the one shown, apply it through the ordinary use cases. Sent by the
    centre's script (``Accept: application/json``) it answers ``{ok, notice}``."""
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    w = web(request)
    actor = page.visitor.actor
    checked = await w.read(lambda uow: checkup.run_check_up(uow, w.sg.ctx, actor, card_id))
    found = checkup.finding(checked, finding_id)
    assert found.fix is not None
    if form.get("expected") and _shown(form["expected"]) != found.fix.as_dict():
        raise Conflict("the recommended fix changed since you saw it; run the check-up again")
    seen = checked.card.controls
    await w.sg.awrite(lambda uow: checkup.apply_fix(uow, w.sg.ctx, actor, card_id, found, seen))
    if wants_json(request):  # sg-centre.js: it redraws the centre from the page itself
        return json_answer(request, {"ok": True,
                                     "notice": i18n.translator(page.lang)("done.fixed")})
    back = "" if form.get("back") == "centre" else "/checkup"
    return redirect(request, f"/cards/{card_id}{back}?done=done.fixed")


def _shown(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


# --- preview before saving ---------------------------------------------------------------

def change_item(c: Change, lang: str, timezone: str) -> dict[str, Any]:
    q = c.past.request
    t = i18n.translator(lang)
    return {"when": views.when(c.past.at, timezone),
            "what": t("what.online", kind=t(f"kind.{q.kind.value}"))
            if not q.card_present else t("what.at", kind=t(f"kind.{q.kind.value}"),
                                         terminal=t(f"terminal.{q.terminal.value}")),
            "amount": format_amount(q.amount, q.currency),
            "merchant": q.merchant_name or q.merchant_id,
            "reasons": [explain(v, lang) for v in c.proposed.verdicts]}


async def preview(request: Request, page: CardPage, changes: list[s.ProtectionChange],
                  limits: dict[Channel, s.ChannelLimits] | None = None) -> dict[str, Any]:
    """What the proposed change would have done in the last 90 days (nothing is saved);
    raises InvalidInput like the change itself would."""
    w = web(request)
    card_id, actor = page.record.card.id, page.visitor.actor
    result, _ = await w.read(lambda uow: pv.preview_change(
        uow, w.sg.ctx, actor, card_id, changes, limits or {}, pv.DEFAULT_DAYS))
    tz, lang = page.record.cardholder.timezone, page.lang
    return {"days": pv.DEFAULT_DAYS, "replayed": result.replayed,
            "declined": [change_item(c, lang, tz) for c in result.declined],
            "verification": [change_item(c, lang, tz) for c in result.verification],
            "approved": [change_item(c, lang, tz) for c in result.approved]}
