"""The cardholder's page: sign-in by SMS code, the card overview, freeze and unfreeze,
pending verifications and recent transactions. Every action runs the same use case as the
API, as ``Actor("web:<cardholder>", "web", <cardholder>)``, so ownership is checked by the
service layer and the audit trail says ``web``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.cards import StatusAction
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.web import i18n, views
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, language, redirect, render, web
from smartguard.entrypoints.web.sessions import (
    LANG_COOKIE,
    PAGE_COOKIE,
    PENDING_COOKIE,
    Visitor,
    anon_basis,
    check_form,
    set_cookie,
    visitor,
)
from smartguard.errors import UnknownCard
from smartguard.service_layer import cards, challenges, history, sessions, signin
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.web_records import SessionKind

router = APIRouter(route_class=WebRoute, include_in_schema=False)


@dataclass(frozen=True)
class CardPage:
    """What every page about one card shows around its own content."""

    visitor: Visitor
    lang: str
    record: CardRecord
    cards: list[CardRecord]
    pending: list[Challenge]

    def context(self, current: str) -> dict[str, Any]:
        rec, lang = self.record, self.lang
        return {"visitor": self.visitor, "lang": lang, "card": views.card_view(rec, lang),
                "cards": [views.card_view(c, lang) for c in self.cards],
                "tabs": views.tabs(rec.card.id, current, lang, len(self.pending)),
                "timezone": views.zone_text(rec.cardholder.timezone, lang)}


async def holder(request: Request) -> Visitor:
    w = web(request)
    return await run_in_threadpool(visitor, request, w.sg, w.signer, SessionKind.CARDHOLDER)


async def card_page(request: Request, card_id: str) -> CardPage:
    """The signed-in cardholder's card ``card_id`` (another's answers as unknown)."""
    v = await holder(request)
    w = web(request)
    assert v.cardholder is not None
    now = w.sg.ctx.clock()

    def job(uow: UnitOfWork) -> CardPage:
        rec = cards.card_for(uow, v.actor, card_id)
        pending = [c for c in uow.challenges.for_card(card_id, (ChallengeStatus.PENDING,))
                   if c.is_open(now)]
        mine = uow.cards.for_cardholder(v.cardholder.id) if v.cardholder else [rec]
        return CardPage(v, language(request, rec.cardholder.language.value), rec, mine,
                        pending)

    page: CardPage = await w.read(job)
    return page


# --- sign in and out ---------------------------------------------------------------------

@router.get("/signin")
async def signin_form(request: Request) -> Response:
    lang = language(request)
    return render(request, "signin.html", i18n.translator(lang)("signin.title"), lang=lang)


@router.post("/signin")
async def signin_send(request: Request) -> Response:
    w, lang = web(request), language(request)
    t = i18n.translator(lang)
    form = await check_form(request, w.signer.csrf(anon_basis(request, w.signer)))
    client = request.client.host if request.client else "unknown"
    try:
        result = await w.sg.awrite(lambda uow: signin.request_code(
            uow, w.sg.ctx, form.get("last4", ""), form.get("phone", ""), client))
    except InvalidInput as exc:
        errors = {exc.field: i18n.error_text(exc, lang)}
        if exc.field == "last4":  # say what is wrong with the phone too, not one at a time
            try:
                signin.normalize_phone(form.get("phone", ""))
            except InvalidInput as also:
                errors[also.field] = i18n.error_text(also, lang)
        return render(request, "signin.html", t("signin.title"), lang=lang, status=422,
                      values=form, errors=errors)
    refused = {signin.SignInStatus.THROTTLED: (429, "signin.throttled"),
               signin.SignInStatus.UNAVAILABLE: (503, "signin.no_sms")}.get(result.outcome)
    if refused is not None:
        return render(request, "signin.html", t("signin.title"), lang=lang,
                      status=refused[0], values=form, notice=t(refused[1]), notice_bad=True)
    response = redirect(request, "/signin/code")
    assert result.code_id is not None
    set_cookie(request, response, PENDING_COOKIE, w.signer.sign(result.code_id),
               max_age=int(signin.CODE_VALIDITY.total_seconds()))
    return response


@router.get("/signin/code")
async def code_form(request: Request) -> Response:
    lang = language(request)
    if web(request).signer.unsign(request.cookies.get(PENDING_COOKIE)) is None:
        return redirect(request, "/signin")
    return render(request, "signin_code.html", i18n.translator(lang)("signin.code_title"),
                  lang=lang)


@router.post("/signin/code")
async def code_check(request: Request) -> Response:
    w, lang = web(request), language(request)
    t = i18n.translator(lang)
    form = await check_form(request, w.signer.csrf(anon_basis(request, w.signer)))
    code_id = w.signer.unsign(request.cookies.get(PENDING_COOKIE))
    if code_id is None:
        return redirect(request, "/signin")
    client = request.client.host if request.client else "unknown"
    result = await w.sg.awrite(lambda uow: signin.verify_code(
        uow, w.sg.ctx, code_id, form.get("code", ""), client))
    if result.outcome is not signin.SignInStatus.SIGNED_IN or result.token is None:
        key = "signin.throttled" if result.outcome is signin.SignInStatus.THROTTLED \
            else "signin.wrong_code"
        status = 429 if result.outcome is signin.SignInStatus.THROTTLED else 422
        return render(request, "signin_code.html", t("signin.code_title"), lang=lang,
                      status=status, errors={"code": t(key)})
    response = redirect(request, "/")
    response.delete_cookie(PENDING_COOKIE, path="/")
    set_cookie(request, response, PAGE_COOKIE, w.signer.sign(result.token),
               max_age=int(sessions.MAX_AGE.total_seconds()))
    return response


@router.post("/signout")
async def signout(request: Request) -> Response:
    w = web(request)
    v = await holder(request)
    await check_form(request, v.csrf)
    await w.sg.awrite(lambda uow: sessions.end_session(uow, w.sg.ctx, v.token))
    response = redirect(request, "/signin")
    response.delete_cookie(PAGE_COOKIE, path="/")
    return response


@router.get("/lang/{choice}")
async def choose_language(choice: str, request: Request, next: str = "/") -> Response:
    """Switch zh-CN / en and go back to the page (a local path only)."""
    parts = urlsplit(next)
    target = next if next.startswith("/") and not parts.netloc and not next.startswith("//") \
        else "/"
    response = redirect(request, target)
    if choice in i18n.LANGUAGES:
        set_cookie(request, response, LANG_COOKIE, choice, max_age=365 * 24 * 3600)
    return response


# --- the card ------------------------------------------------------------------------------

@router.get("/")
async def home(request: Request) -> Response:
    v = await holder(request)
    mine = await web(request).read(lambda uow: uow.cards.for_cardholder(v.session.subject))
    card_id = v.session.label if any(r.card.id == v.session.label for r in mine) else \
        (mine[0].card.id if mine else None)
    if card_id is None:
        raise UnknownCard("this cardholder has no card")
    return redirect(request, f"/cards/{card_id}")


DONE = frozenset({"done.frozen", "done.unfrozen", "done.saved", "done.confirmed",
                  "done.rejected", "done.fixed", "done.agreement_suspend",
                  "done.agreement_resume", "done.agreement_revoke", "done.travel_added",
                  "done.travel_cancelled", "done.needs_places",
                  "done.merchant_blocked"})


async def _change(request: Request, card_id: str, action: StatusAction) -> Response:
    page = await card_page(request, card_id)
    form = await check_form(request, page.visitor.csrf)
    w = web(request)
    await w.sg.awrite(lambda uow: cards.change_status(uow, w.sg.ctx, page.visitor.actor,
                                                      card_id, action))
    done = "done.frozen" if action is StatusAction.FREEZE else "done.unfrozen"
    return redirect(request, f"{back_to(form, card_id)}?done={done}")


def back_to(form: dict[str, str], card_id: str) -> str:
    """Where a form asks to go back to (``back``): a page of this card, else its home."""
    home = f"/cards/{card_id}"
    back = form.get("back", "")
    ok = back.startswith(home + "/") and all(c.isalnum() or c in "/_-" for c in back)
    return back if ok else home


@router.post("/cards/{card_id}/freeze")
async def freeze(card_id: str, request: Request) -> Response:
    return await _change(request, card_id, StatusAction.FREEZE)


@router.post("/cards/{card_id}/unfreeze")
async def unfreeze(card_id: str, request: Request) -> Response:
    return await _change(request, card_id, StatusAction.UNFREEZE)


@router.get("/cards/{card_id}/pending")
async def pending(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    tz, lang = page.record.cardholder.timezone, page.lang
    done = request.query_params.get("done")
    return render(request, "pending.html", i18n.translator(lang)("tab.pending"),
                  **page.context("pending"),
                  pending=[views.challenge_item(c, lang, tz) for c in page.pending],
                  notice=i18n.translator(lang)(done) if done in DONE else None)


@router.post("/cards/{card_id}/challenges/{challenge_id}/{answer}")
async def answer(card_id: str, challenge_id: str, answer: str, request: Request) -> Response:
    if answer not in ("confirm", "reject"):
        raise PageNotFound(request.url.path)
    page = await card_page(request, card_id)
    await check_form(request, page.visitor.csrf)
    w = web(request)
    await w.sg.awrite(lambda uow: challenges.answer_challenge(
        uow, w.sg.ctx, page.visitor.actor, challenge_id, answer == "confirm"))
    done = "done.confirmed" if answer == "confirm" else "done.rejected"
    return redirect(request, f"/cards/{card_id}/pending?done={done}")


@router.get("/cards/{card_id}/transactions")
async def transactions(card_id: str, request: Request) -> Response:
    page = await card_page(request, card_id)
    tz = page.record.cardholder.timezone
    found = await web(request).read(lambda uow: history.decided(uow, card_id, 50))
    return render(request, "transactions.html", i18n.translator(page.lang)("tab.transactions"),
                  **page.context("transactions"),
                  decisions=[views.decision_item(r, page.lang, tz, reversal=b)
                             for r, b in found])
