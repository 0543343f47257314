"""The cardholder's protections on the page: locks (region, overseas, night, overseas
card-not-present), personal limits per channel under the bank's ceilings, and verification.
A refused value re-shows the form as it was sent, with the server's message next to the
field that caused it; nothing is changed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.advisor.recommend import Recommendations
from smartguard.domain.controls import values as s
from smartguard.domain.controls.values import Ceilings, Controls
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import format_amount
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.web import forms, i18n, pickers
from smartguard.entrypoints.web.advisor import preview
from smartguard.entrypoints.web.cardholder import DONE, CardPage, card_page
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form, form_list
from smartguard.service_layer import checkup
from smartguard.service_layer import protections as prot

router = APIRouter(route_class=WebRoute, include_in_schema=False)
LIMIT_FIELDS = ("per_txn", "daily_amount", "daily_count", "monthly_amount")


def lock_values(ctl: Controls) -> dict[str, Any]:
    n = ctl.night_lock
    return {
        "region": {"enabled": ctl.region_lock.enabled, "places": list(ctl.region_lock.places)},
        "overseas": {"enabled": ctl.overseas_lock.enabled,
                     "places": list(ctl.overseas_lock.places)},
        "night": {"enabled": n.enabled, "start": f"{n.start:%H:%M}", "end": f"{n.end:%H:%M}",
                  "scope": n.scope.value},
        "cnp": {"enabled": ctl.overseas_cnp_lock},
    }


def _locks_page(request: Request, page: CardPage, status: int = 200,
                **extra: Any) -> Response:
    lang = page.lang
    t = i18n.translator(lang)
    locks = lock_values(page.record.controls) | extra.pop("sent", {})
    done = request.query_params.get("done")
    return render(request, "locks.html", t("tab.locks"), status=status,
                  **page.context("locks"), locks=locks, provinces=pickers.province_groups(lang),
                  countries=pickers.country_groups(lang), clock_choices=pickers.clock_choices,
                  too_many_places=t("errors.too_many_places"),
                  notice=t(done) if done in DONE else None, **extra)


@router.get("/cards/{card_id}/locks")
async def locks(card_id: str, request: Request) -> Response:
    return _locks_page(request, await card_page(request, card_id))


@router.post("/cards/{card_id}/locks/{name}")
async def set_lock(card_id: str, name: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    places = await form_list(request, "places")
    on = forms.checked(form, "enabled")
    sent = {"region_lock": ("region", {"enabled": on, "places": places}),
            "overseas_lock": ("overseas", {"enabled": on, "places": places}),
            "night_lock": ("night", {"enabled": on, "start": form.get("start", ""),
                                     "end": form.get("end", ""),
                                     "scope": form.get("scope", "")}),
            "overseas_cnp_lock": ("cnp", {"enabled": on})}
    if name not in sent:
        raise PageNotFound(request.url.path)
    section, values = sent[name]
    try:
        change = s.ProtectionChange(s.Protection(name), _lock(name, on, places, form))
        if form.get("intent") == "preview":
            found = await preview(request, page, [change])
            return _locks_page(request, page, sent={section: values}, preview=found,
                               preview_for=name)
        await _save(request, page, change)
    except InvalidInput as exc:
        return _locks_page(request, page, 422, sent={section: values},
                           errors={exc.field: i18n.error_text(exc, page.lang)})
    return redirect(request, f"/cards/{card_id}/locks?done=done.saved#{name}")


def _lock(name: str, on: bool, places: list[str], form: dict[str, str]
          ) -> s.ProtectionValue:
    if name == "region_lock":
        return s.region_lock(on, places)
    if name == "overseas_lock":
        return s.overseas_lock(on, places)
    if name == "night_lock":
        return s.night_lock(on, forms.clock_time(form.get("start", ""), "night_lock.start"),
                            forms.clock_time(form.get("end", ""), "night_lock.end"),
                            form.get("scope", "domestic"))
    return on


async def _save(request: Request, page: CardPage, change: s.ProtectionChange) -> None:
    w = web(request)
    await w.sg.awrite(lambda uow: prot.set_protection(
        uow, w.sg.ctx, page.visitor.actor, page.record.card.id, change))


# --- limits --------------------------------------------------------------------------------

def _limit_text(name: str, value: int | None, currency: str) -> str:
    if name == "daily_count":
        return "" if value is None else str(value)
    return forms.amount_text(value, currency)


def _ceiling_text(name: str, value: int, currency: str, t: Callable[..., str]) -> str:
    return t("limits.count", count=value) if name == "daily_count" else \
        format_amount(value, currency)


def channel_views(page: CardPage, ceilings: Ceilings, sent: dict[str, dict[str, str]],
                  recs: Recommendations | None = None) -> list[dict[str, Any]]:
    t = i18n.translator(page.lang)
    cur = page.record.account.currency
    found = []
    for ch in Channel:
        mine = page.record.controls.limits.get(ch, s.ChannelLimits())
        cap = ceilings.channels[ch]
        fields = [{"name": n, "field": f"limits.{ch.value}.{n}", "label": t(f"limits.{n}"),
                   "value": sent.get(ch.value, {}).get(n, _limit_text(n, getattr(mine, n), cur)),
                   "hint": t("limits.ceiling", value=_ceiling_text(n, getattr(cap, n), cur, t)),
                   "presets": pickers.limit_presets(ch, n, getattr(cap, n), cur, recs, t)}
                  for n in LIMIT_FIELDS]
        note = t("limits.overseas_note", amount=format_amount(
            ceilings.atm_cash_overseas_daily, cur)) if ch is Channel.ATM_CASH else ""
        found.append({"key": ch.value, "name": t(f"channel.{ch.value}"), "fields": fields,
                      "note": note})
    return found


async def _recommended(request: Request, page: CardPage) -> Recommendations:
    """The check-up's limits from the card's own usage (the presets offer them)."""
    w = web(request)
    found: Recommendations = await w.read(lambda uow: checkup.run_check_up(
        uow, w.sg.ctx, page.visitor.actor, page.record.card.id).report.recommendations)
    return found


async def _ceilings(request: Request, page: CardPage) -> Ceilings:
    w = web(request)
    product = page.record.card.product
    found: Ceilings = await w.read(lambda uow: prot.ceilings_for(uow, w.sg.ctx, product))
    return found


@router.get("/cards/{card_id}/limits")
async def limits(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    t = i18n.translator(page.lang)
    done = request.query_params.get("done")
    return render(request, "limits.html", t("tab.limits"), **page.context("limits"),
                  channels=channel_views(page, await _ceilings(request, page), {},
                                         await _recommended(request, page)),
                  notice=t(done) if done in DONE else None)


async def _limits_page(request: Request, page: CardPage, form: dict[str, str], ch: Channel,
                       status: int = 200, **extra: Any) -> Response:
    """The limits page showing channel ``ch`` as it was sent."""
    sent = {ch.value: {n: form.get(n, "") for n in LIMIT_FIELDS}}
    channels = channel_views(page, await _ceilings(request, page), sent,
                             await _recommended(request, page))
    return render(request, "limits.html", i18n.translator(page.lang)("tab.limits"),
                  status=status, **page.context("limits"), channels=channels, **extra)


@router.post("/cards/{card_id}/limits/{channel}")
async def set_limits(card_id: str, channel: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    try:
        ch = Channel(channel)
    except ValueError:
        raise PageNotFound(request.url.path) from None
    cur = page.record.account.currency
    w = web(request)
    try:
        values = {n: forms.count(form.get(n, ""), f"limits.{ch.value}.{n}")
                  if n == "daily_count" else
                  forms.amount(form.get(n, ""), f"limits.{ch.value}.{n}", cur)
                  for n in LIMIT_FIELDS}
        new = s.ChannelLimits(**values)
        if form.get("intent") == "preview":
            found = await preview(request, page, [], {ch: new})
            return await _limits_page(request, page, form, ch, preview=found,
                                      preview_for=f"limits-{ch.value}")
        await w.sg.awrite(lambda uow: prot.set_limits(
            uow, w.sg.ctx, page.visitor.actor, card_id, ch, new))
    except InvalidInput as exc:
        ceilings = await _ceilings(request, page)
        t = i18n.translator(page.lang)
        name = exc.field.rsplit(".", 1)[-1]
        cap = getattr(ceilings.channels[ch], name, None)
        limit = _ceiling_text(name, cap, cur, t) if isinstance(cap, int) else ""
        return await _limits_page(request, page, form, ch, 422, errors={
            exc.field: i18n.error_text(exc, page.lang, limit=limit)})
    return redirect(request, f"/cards/{card_id}/limits?done=done.saved#limits-{ch.value}")


# --- verification --------------------------------------------------------------------------

def _verification_page(request: Request, page: CardPage, status: int = 200,
                       **extra: Any) -> Response:
    t = i18n.translator(page.lang)
    v = page.record.controls.verification
    values = {"magstripe": v.magstripe, "large_purchase": v.large_purchase,
              "large_threshold": forms.amount_text(v.large_threshold,
                                                   page.record.account.currency)}
    values |= extra.pop("sent", {})
    done = request.query_params.get("done")
    return render(request, "verification.html", t("tab.verification"), status=status,
                  **page.context("verification"), verification=values,
                  notice=t(done) if done in DONE else None, **extra)


@router.get("/cards/{card_id}/verification")
async def verification(card_id: str, request: Request) -> Response:
    return _verification_page(request, await card_page(request, card_id))


@router.post("/cards/{card_id}/verification")
async def set_verification(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    magstripe, large = forms.checked(form, "magstripe"), forms.checked(form, "large_purchase")
    sent = {"magstripe": magstripe, "large_purchase": large,
            "large_threshold": form.get("large_threshold", "")}
    try:
        threshold = forms.amount(form.get("large_threshold", ""),
                                 "verification.large_threshold",
                                 page.record.account.currency)
        change = s.ProtectionChange(s.Protection.VERIFICATION, s.verification(
            magstripe, large, threshold or s.DEFAULT_LARGE_THRESHOLD))
        if form.get("intent") == "preview":
            found = await preview(request, page, [change])
            return _verification_page(request, page, sent=sent, preview=found,
                                      preview_for="verification")
        await _save(request, page, change)
    except InvalidInput as exc:
        return _verification_page(request, page, 422, sent=sent,
                                  errors={exc.field: i18n.error_text(exc, page.lang)})
    return redirect(request, f"/cards/{card_id}/verification?done=done.saved")
