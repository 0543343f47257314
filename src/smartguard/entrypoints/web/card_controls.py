"""The controls beyond Smart Guard on the cardholder's page (SPEC 3.12), on one tab:
channel switches (rows with the security centre's switch, ``switches.py``; several at
once, with a preview, in a folded form), merchant categories (a folded row each with its
setting in words: block, daily amount, the cool-down's end), merchant lists, timed
unlocks and alert-only mode; "block this merchant" from the
transactions tab. Every form goes through ``service_layer.card_controls``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.controls import spending as sp
from smartguard.domain.controls.categories import CATEGORIES, category
from smartguard.domain.controls.values import Protection, ProtectionChange
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import format_amount
from smartguard.entrypoints.web import forms, i18n, views
from smartguard.entrypoints.web import switches as sw
from smartguard.entrypoints.web.advisor import preview
from smartguard.entrypoints.web.cardholder import DONE, CardPage, back_to, card_page
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, redirect, render, web
from smartguard.entrypoints.web.sessions import check_form, form_list
from smartguard.service_layer import card_controls as cc
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork

router = APIRouter(route_class=WebRoute, include_in_schema=False)
UNLOCK_MINUTES = (15, 30, 60, 120, 240, 480, 1440)


def _targets(t: Callable[..., str]) -> list[dict[str, str]]:
    return [{"key": k, "name": t(f"target.{k}")} for k in sp.UNLOCK_TARGETS]


def _page(request: Request, page: CardPage, status: int = 200, **extra: Any) -> Response:
    lang, ctl = page.lang, page.record.controls
    t = i18n.translator(lang)
    tz, cur = page.record.cardholder.timezone, page.record.account.currency
    now = web(request).sg.ctx.clock()
    cats = []
    for info in CATEGORIES:
        c = ctl.categories.get(info.category, sp.CategoryControl())
        lifting = c.lifts_at is not None and c.blocks_at(now)
        lifts_at = views.when(c.lifts_at, tz) if lifting and c.lifts_at else ""
        cats.append({"key": info.category.value,
                     "name": i18n.sentence(info.zh if lang == "zh-CN" else info.en, lang),
                     "blocked": c.blocks_at(now) and not lifting, "lifting": lifting,
                     "lifts_at": lifts_at, "state": _category_state(c, now, lifts_at, t, cur),
                     "amount": forms.amount_text(c.daily_amount, cur),
                     "alert_only": f"categories.{info.category.value}" in ctl.alert_only})
    unlocks = [{"key": u.target, "name": t(f"target.{u.target}"),
                "until": views.when(u.ends_at, tz)} for u in ctl.unlocks if u.ends_at > now]
    q = request.query_params
    done, opened = q.get("done"), extra.pop("opened", q.get("at", ""))
    switched = sw.notice(q, page.record.card.id, lang, back="controls")
    return render(request, "controls.html", t("tab.controls"), status=status,
                  **page.context("controls"), opened=opened, undo=switched and
                  switched["undo"], channel_rows=sw.rows(page.record, lang, sw.CHANNELS,
                                                         back="controls"), switches=[
                      {"key": s.value, "name": t(f"target.switches.{s.value}"),
                       "on": ctl.switches.is_on(s)} for s in sp.Switch],
                  categories=cats, unlocks=unlocks, targets=_targets(t),
                  minutes=UNLOCK_MINUTES, alert_only=sorted(ctl.alert_only),
                  blocked=sorted(ctl.merchants.blocked.items()),
                  allowed=sorted(ctl.merchants.allowed.items()),
                  notice=t(done) if done in DONE else (switched and switched["text"]),
                  **extra)


def _category_state(c: sp.CategoryControl, now: datetime, lifts_at: str,
                    t: Callable[..., str], cur: str) -> str:
    """A category's setting in words, for its folded row."""
    if lifts_at:
        return t("controls.state_lifting", at=lifts_at)
    if c.blocks_at(now):
        return t("controls.state_blocked")
    if c.daily_amount is not None:
        return t("controls.state_amount", amount=format_amount(c.daily_amount, cur))
    return t("controls.state_open")


@router.get("/cards/{card_id}/controls")
async def controls(card_id: str, request: Request) -> Response:
    return _page(request, await card_page(request, card_id))


def _refused(request: Request, page: CardPage, exc: InvalidInput, anchor: str) -> Response:
    """The page again, the refused form unfolded with the error next to its field (a
    category's fields are named after it: nine forms share the field names)."""
    field = f"{exc.field}.{anchor[9:]}" if anchor.startswith("category-") else exc.field
    return _page(request, page, 422, opened=anchor,
                 errors={field: i18n.error_text(exc, page.lang)})


async def _save(request: Request, page: CardPage,
                job: Callable[[UnitOfWork, Actor], object], anchor: str,
                back: str | None = None) -> Response:
    w = web(request)
    try:
        await w.sg.awrite(lambda uow: job(uow, page.visitor.actor))
    except InvalidInput as exc:
        return _refused(request, page, exc, anchor)
    if back:
        return redirect(request, f"{back}?done=done.merchant_blocked")
    return redirect(request, f"/cards/{page.record.card.id}/controls?done=done.saved&at={anchor}"
                             f"#{anchor}")


@router.post("/cards/{card_id}/controls/switches")
async def set_switches(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    on = set(await form_list(request, "on"))
    off = frozenset(s for s in sp.Switch if s.value not in on)
    if form.get("intent") == "preview":
        change = ProtectionChange(Protection.SWITCHES, sp.Switches(off))
        found = await preview(request, page, [change])
        return _page(request, page, preview=found, preview_for="switches")
    turned_on = [s for s in sp.Switch
                 if s not in off and not page.record.controls.switches.is_on(s)]
    if turned_on and form.get("confirm") != "1":  # lowers the protection: ask first
        return _confirm_switches(request, page, sorted(on), turned_on)
    ctx = web(request).sg.ctx
    return await _save(request, page, lambda uow, actor: cc.set_switches(
        uow, ctx, actor, card_id, off), "switches")


def _confirm_switches(request: Request, page: CardPage, on: list[str],
                      turned_on: list[sp.Switch]) -> Response:
    """The question a switch row asks before it turns a channel on, for every channel the
    form turns on at once (its answer posts the same choice again, confirmed)."""
    lang = page.lang
    t = i18n.translator(lang)
    names = (("、" if lang == "zh-CN" else ", ").join(
        i18n.inline(t(f"target.switches.{s.value}"), lang) for s in turned_on))
    asked = {**sw.ask(sw.CHANNEL + turned_on[0].value, lang),
             "title": t("centre.confirm_on_title", name=names)}
    if len(turned_on) > 1:
        asked.update(lowers=t("centre.confirm_on_many_lowers"),
                     text=t("centre.channels_on_risk"), yes=t("centre.confirm_on_many"),
                     no=t("centre.keep_off_many"))
    card_id = page.record.card.id
    return render(request, "centre_confirm.html", asked["title"], **page.context("controls"),
                  ask=asked, ons=on, back=None, action=f"/cards/{card_id}/controls/switches",
                  keep=f"/cards/{card_id}/controls#channels")


@router.post("/cards/{card_id}/controls/categories/{name}")
async def set_category(card_id: str, name: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    try:
        chosen = category(name)
    except InvalidInput:
        raise PageNotFound(request.url.path) from None
    ctx = web(request).sg.ctx
    cur = page.record.account.currency
    blocked = forms.checked(form, "blocked")
    if form.get("intent") == "preview":  # what the control itself would have declined
        try:
            value = sp.category_control(blocked, forms.amount(
                form.get("daily_amount", ""), "daily_amount", cur))
        except InvalidInput as exc:
            return _refused(request, page, exc, f"category-{name}")
        proposed = {**page.record.controls.categories, chosen: value}
        found = await preview(request, page, [ProtectionChange(Protection.CATEGORIES,
                                                               proposed)])
        return _page(request, page, preview=found, preview_for=f"category-{name}")

    def job(uow: UnitOfWork, actor: Actor) -> object:
        amount = forms.amount(form.get("daily_amount", ""), "daily_amount", cur)
        return cc.set_category(uow, ctx, actor, card_id, chosen, blocked, amount)
    return await _save(request, page, job, f"category-{name}")


@router.post("/cards/{card_id}/controls/alert-only")
async def set_alert_only(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    await check_form(request, page.visitor.csrf)
    chosen = frozenset(await form_list(request, "targets"))
    ctx = web(request).sg.ctx
    return await _save(request, page, lambda uow, actor: cc.set_alert_only_targets(
        uow, ctx, actor, card_id, chosen), "alert-only")


@router.post("/cards/{card_id}/controls/unlocks")
async def open_unlock(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    ctx = web(request).sg.ctx
    minutes = forms.count(form.get("minutes", ""), "minutes") or 0
    return await _save(request, page, lambda uow, actor: cc.open_unlock(
        uow, ctx, actor, card_id, form.get("target", ""), minutes), "unlocks")


@router.post("/cards/{card_id}/controls/unlocks/{target}/close")
async def close_unlock(card_id: str, target: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    await check_form(request, page.visitor.csrf)
    ctx = web(request).sg.ctx
    return await _save(request, page, lambda uow, actor: cc.close_unlock(
        uow, ctx, actor, card_id, target), "unlocks")


@router.post("/cards/{card_id}/controls/merchants")
async def set_merchant(card_id: str, request: Request) -> Response:
    """Add a merchant to a list, or (``list`` empty) take it off."""
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    ctx = web(request).sg.ctx
    listed = form.get("list") or None
    return await _save(request, page, lambda uow, actor: cc.set_merchant(
        uow, ctx, actor, card_id, form.get("merchant_id", ""), form.get("name", ""),
        listed), "merchants")


@router.post("/cards/{card_id}/controls/block-merchant")
async def block_merchant(card_id: str, request: Request) -> Response:
    """"Block this merchant" next to a payment on the transactions tab."""
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    ctx = web(request).sg.ctx
    back = back_to(form, card_id) if form.get("back") else None
    return await _save(request, page, lambda uow, actor: cc.block_merchant_of(
        uow, ctx, actor, card_id, form.get("authorization_id", "")), "merchants", back)
