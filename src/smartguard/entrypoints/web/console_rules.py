"""The console's monitoring-rule pages (docs/rules.md): the list with each rule's recent
hits, a new rule, and a rule's page (edit, the lifecycle with four eyes, hits by day, a
backtest, its versions). Forms post without JavaScript; a rule that does not compile is
shown again with the compiler's message and position next to the expression. The same use
cases as ``/v1/rules`` and ``smartguard rules``."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from smartguard.domain.errors import InvalidInput
from smartguard.domain.rules import (
    TRANSITIONS,
    MonitoringRule,
    RuleAction,
    RuleCompileError,
    RuleStatus,
)
from smartguard.entrypoints.web import forms, i18n, views
from smartguard.entrypoints.web.console import ZONE, operator
from smartguard.entrypoints.web.pages import PageNotFound, WebRoute, language, redirect, render, web
from smartguard.entrypoints.web.rule_views import backtest_view, by_day, hits_week
from smartguard.entrypoints.web.sessions import Visitor, check_form
from smartguard.service_layer import backtest as bt
from smartguard.service_layer import monitoring, starter_pack
from smartguard.service_layer import rules as ru
from smartguard.service_layer.ports import UnitOfWork

router = APIRouter(prefix="/console", route_class=WebRoute, include_in_schema=False)
FIELDS = ("id", "name", "expression", "action", "message_zh", "message_en")
DONE = {f"done.rule_{s}" for s in ("created", "edited", "shadow", "active", "retired",
                                   "draft", "requested")}
HIT_DAYS = 14
MOVES = (RuleStatus.SHADOW, RuleStatus.ACTIVE, RuleStatus.DRAFT, RuleStatus.RETIRED)


def _values(rule: MonitoringRule) -> dict[str, str]:
    return {"id": rule.id, "name": rule.name, "expression": rule.expression,
            "action": rule.action.value, "message_zh": rule.message_zh,
            "message_en": rule.message_en}


def _errors(exc: InvalidInput, lang: str) -> tuple[dict[str, str], dict[str, Any] | None]:
    """The words next to the field, and for a compile error the line it points at."""
    if not isinstance(exc, RuleCompileError):
        return {exc.field: i18n.error_text(exc, lang)}, None
    t = i18n.translator(lang)
    text = t("rules.error_at", line=exc.line, column=exc.column, message=exc.plain)
    return {"expression": text}, {"line": exc.line, "column": exc.column}


def _pointer(source: str, where: dict[str, Any] | None) -> dict[str, str] | None:
    if where is None:
        return None
    lines = source.splitlines() or [""]
    text = lines[min(where["line"], len(lines)) - 1]
    return {"text": text, "caret": " " * max(0, where["column"] - 1) + "^"}


def _list(uow: UnitOfWork, now: datetime) -> list[dict[str, Any]]:
    return [{"rule": r, "hits": hits_week(uow.rules.hit_counts(r.id, now - timedelta(7)))}
            for r in uow.rules.all()]


def _list_page(request: Request, v: Visitor, rows: list[dict[str, Any]], status: int = 200,
               **extra: Any) -> Response:
    lang = language(request)
    t = i18n.translator(lang)
    items = [_item(row["rule"], lang) | {"hits": row["hits"]} for row in rows]
    extra.setdefault("pointer", None)
    return render(request, "console/rules.html", t("rules.title"), lang=lang, visitor=v,
                  status=status, rules=items, actions=[a.value for a in RuleAction],
                  **extra)


def _item(r: MonitoringRule, lang: str) -> dict[str, Any]:
    t = i18n.translator(lang)
    return {"id": r.id, "name": r.name, "version": r.version, "status": r.status.value,
            "status_text": t(f"rule_status.{r.status.value}"),
            "action_text": t(f"rule_action.{r.action.value}"), "author": r.author,
            "updated": views.when(r.updated_at, ZONE), "expression": r.expression,
            "requested_by": r.activation_requested_by,
            "errors": monitoring.ERRORS.get(r.id, 0)}


@router.get("/rules")
async def rules_list(request: Request) -> Response:
    v, w = await operator(request), web(request)
    rows = await w.read(lambda uow: _list(uow, w.sg.ctx.clock()))
    done = request.query_params.get("done", "")
    t = i18n.translator(language(request))
    count = request.query_params.get("count", "0")
    notice = t("done.starter", count=count) if done == "done.starter" else None
    return _list_page(request, v, rows, notice=notice, values={"action": "alert"})


@router.post("/rules")
async def rules_create(request: Request) -> Response:
    v, w = await operator(request), web(request)
    form = await check_form(request, v.csrf)
    sent = {k: form.get(k, "").strip() for k in FIELDS}
    try:
        action = _action(sent["action"])
        await w.sg.awrite(lambda uow: ru.create(
            uow, w.sg.ctx, v.actor, sent["id"], sent["name"], sent["expression"], action,
            sent["message_zh"], sent["message_en"]))
    except InvalidInput as exc:
        errors, where = _errors(exc, language(request))
        rows = await w.read(lambda uow: _list(uow, w.sg.ctx.clock()))
        return _list_page(request, v, rows, 422, errors=errors, values=sent,
                          pointer=_pointer(sent["expression"], where))
    return redirect(request, f"/console/rules/{quote(sent['id'])}?done=done.rule_created")


def _action(text: str) -> RuleAction:
    try:
        return RuleAction(text)
    except ValueError:
        raise InvalidInput("action", "choose an action", "required") from None


@router.post("/rules/starter-pack")
async def rules_starter_pack(request: Request) -> Response:
    v, w = await operator(request), web(request)
    await check_form(request, v.csrf)
    done = await w.sg.awrite(lambda uow: starter_pack.install(uow, w.sg.ctx, v.actor))
    count = sum(1 for i in done if i.installed)
    return redirect(request, f"/console/rules?done=done.starter&count={count}")


def _detail(uow: UnitOfWork, rule_id: str, now: datetime) -> dict[str, Any]:
    versions = uow.rules.versions(rule_id)
    if not versions:
        raise ru.UnknownRule(f"no rule {rule_id}")
    return {"versions": versions,
            "counts": uow.rules.hit_counts(rule_id, now - timedelta(days=HIT_DAYS))}


async def _rule_page(request: Request, v: Visitor, rule_id: str, status: int = 200,
                     **extra: Any) -> Response:
    w, lang = web(request), language(request)
    found = await w.read(lambda uow: _detail(uow, rule_id, w.sg.ctx.clock()))
    latest: MonitoringRule = found["versions"][-1]
    moves = [s.value for s in MOVES if s in TRANSITIONS[latest.status]]
    extra.setdefault("values", _values(latest))
    extra.setdefault("bt_values", {"days": "30", "product": ""})
    extra.setdefault("backtest", None)
    extra.setdefault("pointer", None)
    return render(request, "console/rule.html", latest.name, lang=lang, visitor=v,
                  status=status, rule=_item(latest, lang), moves=moves,
                  four_eyes=w.sg.ctx.four_eyes, actions=[a.value for a in RuleAction],
                  versions=[_item(r, lang) for r in reversed(found["versions"])],
                  days=by_day(found["counts"], ZONE), **extra)


@router.get("/rules/{rule_id}")
async def rule_detail(rule_id: str, request: Request) -> Response:
    v = await operator(request)
    t = i18n.translator(language(request))
    done = request.query_params.get("done", "")
    return await _rule_page(request, v, rule_id, notice=t(done) if done in DONE else None)


@router.get("/rules/{rule_id}/backtest")
async def rule_backtest(rule_id: str, request: Request, days: str = "30",
                        product: str = "") -> Response:
    v, w, lang = await operator(request), web(request), language(request)
    sent = {"days": days, "product": product}
    try:
        n = forms.count(days, "days")
        if n is None:
            raise InvalidInput("days", "1 to 90", "invalid_count")
        result = await w.read(lambda uow: bt.backtest(
            uow, w.sg.ctx, ru.get(uow, rule_id).expression, n, product.strip() or None))
    except InvalidInput as exc:
        return await _rule_page(request, v, rule_id, 422, bt_values=sent,
                                errors={"days": i18n.error_text(exc, lang)})
    return await _rule_page(request, v, rule_id, bt_values=sent,
                            backtest=backtest_view(result))


@router.post("/rules/{rule_id}")
async def rule_edit(rule_id: str, request: Request) -> Response:
    v, w = await operator(request), web(request)
    form = await check_form(request, v.csrf)
    sent = {k: form.get(k, "").strip() for k in FIELDS if k != "id"}
    try:
        action = _action(sent["action"])
        await w.sg.awrite(lambda uow: ru.edit(
            uow, w.sg.ctx, v.actor, rule_id, name=sent["name"], action=action,
            expression=sent["expression"], message_zh=sent["message_zh"],
            message_en=sent["message_en"]))
    except InvalidInput as exc:
        errors, where = _errors(exc, language(request))
        return await _rule_page(request, v, rule_id, 422, errors=errors,
                                values=sent | {"id": rule_id},
                                pointer=_pointer(sent["expression"], where))
    return redirect(request, f"/console/rules/{quote(rule_id)}?done=done.rule_edited")


@router.post("/rules/{rule_id}/status/{status}")
async def rule_move(rule_id: str, status: str, request: Request) -> Response:
    v, w = await operator(request), web(request)
    await check_form(request, v.csrf)
    try:
        wanted = RuleStatus(status)
    except ValueError:
        raise PageNotFound(request.url.path) from None
    moved = await w.sg.awrite(lambda uow: ru.move(uow, w.sg.ctx, v.actor, rule_id, wanted))
    done = ("rule_requested" if moved.status is not wanted and moved.activation_requested_by
            else f"rule_{wanted.value}")
    return redirect(request, f"/console/rules/{quote(rule_id)}?done=done.{done}")
