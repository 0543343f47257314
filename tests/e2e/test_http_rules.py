"""Monitoring rules over HTTP: 422 with the position, lifecycle, shadow hits that decline
nothing, the same rule active declining an authorization (59), four eyes, backtest."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from smartguard.bootstrap import App
from tests.conftest import Clock
from tests.e2e.conftest import Api

RULE = {"id": "night_atm_cash", "name": "Night ATM cash", "action": "decline",
        "expression": 'kind == "cash_withdrawal" && local_hour < 6',
        "message_zh": "夜间ATM取现", "message_en": "ATM cash at night"}


def atm_cash(api: Api) -> Any:
    return api.authorize(kind="cash_withdrawal", terminal="atm", amount=50_000)


def test_a_rule_that_does_not_compile_is_a_422_with_its_position(api: Api) -> None:
    r = api.post("/v1/rules", {**RULE, "expression": "amount > 1 &&\n  kind =! 3"})
    assert r.status_code == 422
    [field] = r.json()["error"]["fields"]
    assert field["field"] == "expression" and field["line"] == "2"
    unknown = api.post("/v1/rules/check", {"expression": "amount > 1 && colour == 'red'"})
    assert unknown.status_code == 422
    assert unknown.json()["error"]["fields"][0] | {} == {
        "field": "expression", "message": "unknown variable 'colour'", "line": "1",
        "column": "15"}
    assert api.get("/v1/rules").json() == []


def test_shadow_then_active_over_http(api: Api, card: dict[str, Any], clock: Clock) -> None:
    assert api.post("/v1/rules", RULE).status_code == 201
    assert api.post("/v1/rules/night_atm_cash/status", {"status": "shadow"}).status_code == 200
    clock.set_local("2026-11-26T02:30:00")  # night in Beijing
    shadow = atm_cash(api)
    assert shadow.json()["outcome"] == "approve"
    hits = api.get("/v1/rules/night_atm_cash/hits").json()
    assert [(h["result"], h["enforced"], h["count"]) for h in hits] == [("hit", False, 1)]
    assert api.post("/v1/rules/night_atm_cash/status", {"status": "active"}).status_code == 200
    active = atm_cash(api).json()
    assert (active["outcome"], active["response_code"]) == ("decline", "59")
    assert api.authorize().json()["outcome"] == "approve"  # a purchase: not its pattern
    result = api.post("/v1/rules/backtest", {"expression": RULE["expression"], "days": 1})
    assert result.json()["hits"] == 2 and result.json()["already_declined"] == 1


def test_four_eyes(api: Api, sg: App) -> None:
    sg.ctx = replace(sg.ctx, four_eyes=True)  # as rules_four_eyes = true would
    api.post("/v1/rules", RULE)
    asked = api.post("/v1/rules/night_atm_cash/status", {"status": "active"}).json()
    assert asked["status"] == "draft" and asked["activation_requested_by"]
    again = api.post("/v1/rules/night_atm_cash/status", {"status": "active"}).json()
    assert again["status"] == "draft"  # the same operator cannot be the second pair of eyes
    other = api.post("/v1/rules/night_atm_cash/status", {"status": "active"}, role="admin")
    assert other.json()["status"] == "active"
