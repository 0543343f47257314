"""The bank's monitoring rules (operators): write, check, move through the lifecycle, see
their hits, backtest (docs/rules.md). A rule that does not compile is a 422 whose field
gives the line and column."""

from __future__ import annotations

from dataclasses import asdict
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from smartguard.bootstrap import App
from smartguard.domain.rules import MonitoringRule, RuleAction, RuleStatus
from smartguard.entrypoints.http_api.alert_models import (
    BacktestOut,
    CheckOut,
    HitCountOut,
    RuleDetail,
    RuleOut,
)
from smartguard.entrypoints.http_api.auth import Principal, require
from smartguard.service_layer import backtest as bt
from smartguard.service_layer import monitoring
from smartguard.service_layer import rules as ru
from smartguard.service_layer.records import Role

router = APIRouter(prefix="/v1/rules", tags=["monitoring rules"])
Operator = Annotated[Principal, Depends(require(Role.OPERATOR))]
Text = Annotated[str, Field(min_length=1, max_length=4_000)]
Message = Annotated[str, Field(min_length=1, max_length=200)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RuleIn(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,47}$")]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    expression: Text
    action: RuleAction
    message_zh: Message
    message_en: Message


class RuleEdit(Strict):
    name: Annotated[str, Field(min_length=1, max_length=80)] | None = None
    expression: Text | None = None
    action: RuleAction | None = None
    message_zh: Message | None = None
    message_en: Message | None = None


class StatusIn(Strict):
    status: RuleStatus


class CheckIn(Strict):
    expression: Text


class BacktestIn(Strict):
    expression: Text
    days: Annotated[int, Field(ge=1, le=bt.MAX_DAYS)] = 30
    product: str | None = None


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


def rule_view(r: MonitoringRule) -> dict[str, Any]:
    return {"id": r.id, "version": r.version, "name": r.name, "expression": r.expression,
            "action": r.action.value, "status": r.status.value, "message_zh": r.message_zh,
            "message_en": r.message_en, "author": r.author,
            "updated_at": r.updated_at.isoformat(),
            "activation_requested_by": r.activation_requested_by,
            "errors_since_start": monitoring.ERRORS.get(r.id, 0)}


@router.get("", response_model=list[RuleOut])
def list_rules(request: Request, _: Operator) -> list[dict[str, Any]]:
    return [rule_view(r) for r in _app(request).read(lambda uow: uow.rules.all())]


@router.post("", status_code=201, response_model=RuleOut)
async def create_rule(body: RuleIn, request: Request, p: Operator) -> dict[str, Any]:
    """A new rule, a draft, compiled first (422 with the position if it does not)."""
    app = _app(request)
    return rule_view(await app.awrite(lambda uow: ru.create(
        uow, app.ctx, p.actor, body.id, body.name, body.expression, body.action,
        body.message_zh, body.message_en)))


@router.post("/check", response_model=CheckOut)
def check_rule(body: CheckIn, request: Request, _: Operator) -> dict[str, Any]:
    """Compile without saving: 200 ``{"ok": true}``, or the 422 a save would give."""
    language = _app(request).ctx.rule_language
    if language is not None:
        language.compile(body.expression)
    return {"ok": language is not None}


@router.post("/backtest", response_model=BacktestOut)
def backtest(body: BacktestIn, request: Request, _: Operator) -> dict[str, Any]:
    """Run an expression over the recorded decisions of the last ``days``."""
    app = _app(request)
    result = app.read(lambda uow: bt.backtest(uow, app.ctx, body.expression, body.days,
                                              body.product))
    return asdict(result)


@router.get("/{rule_id}", response_model=RuleDetail)
def get_rule(rule_id: str, request: Request, _: Operator) -> dict[str, Any]:
    """Every version, newest last."""
    app = _app(request)
    versions = app.read(lambda uow: uow.rules.versions(rule_id))
    if not versions:
        raise ru.UnknownRule(f"no rule {rule_id}")
    return {**rule_view(versions[-1]), "versions": [rule_view(v) for v in versions]}


@router.put("/{rule_id}", response_model=RuleOut)
async def edit_rule(rule_id: str, body: RuleEdit, request: Request,
                    p: Operator) -> dict[str, Any]:
    """A new version (a draft); the live version stays live until this one replaces it."""
    app = _app(request)
    return rule_view(await app.awrite(lambda uow: ru.edit(
        uow, app.ctx, p.actor, rule_id, **body.model_dump(exclude_none=True))))


@router.post("/{rule_id}/status", response_model=RuleOut)
async def move_rule(rule_id: str, body: StatusIn, request: Request,
                    p: Operator) -> dict[str, Any]:
    """shadow, active (with four eyes: asked by one operator, done by another), retired."""
    app = _app(request)
    return rule_view(await app.awrite(
        lambda uow: ru.move(uow, app.ctx, p.actor, rule_id, body.status)))


@router.get("/{rule_id}/hits", response_model=list[HitCountOut])
def rule_hits(rule_id: str, request: Request, _: Operator,
              days: Annotated[int, Query(ge=1, le=90)] = 7) -> list[dict[str, Any]]:
    """Hits and run-time failures by UTC hour."""
    app = _app(request)
    since = app.ctx.clock() - timedelta(days=days)
    return [asdict(c) for c in app.read(lambda uow: uow.rules.hit_counts(rule_id, since))]
