"""Travel exceptions and quick-payment agreements over HTTP."""

from __future__ import annotations

from typing import Any

from smartguard.bootstrap import App
from tests.conftest import Clock
from tests.e2e.conftest import OTHER_PAN, PAN, Api
from tests.e2e.test_http_advisor import scoped_token


def lock_to_henan(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/region_lock",
                {"enabled": True, "places": ["CN-HA"]})
    assert r.status_code == 200


def test_a_travel_exception_opens_the_lock_and_closes_by_itself(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    lock_to_henan(api, card)
    clock.set_local("2026-11-25T12:00:00")
    r = api.post(f"/v1/cards/{card['id']}/travel",
                 {"place": "CN-HI", "starts_at": "2026-11-26T08:00:00",
                  "ends_at": "2026-11-28T20:00:00"}, role="cardholder_app")
    assert r.status_code == 201, r.text
    trip = r.json()
    assert (trip["place"], trip["kind"], trip["state"]) == ("CN-HI", "region", "scheduled")
    assert trip["starts_at"] == "2026-11-26T00:00:00+00:00"
    clock.set_local("2026-11-27T10:00:00")
    assert api.authorize(region="CN-HI").json()["outcome"] == "approve"
    clock.set_local("2026-11-28T20:00:00")
    assert api.authorize(region="CN-HI").json()["primary_reason"] == "region_lock"
    assert api.get(f"/v1/cards/{card['id']}/travel", role="cardholder_app").json() == []
    past = api.get(f"/v1/cards/{card['id']}/travel?include_past=true",
                   role="cardholder_app").json()
    assert [t["state"] for t in past] == ["ended"]


def test_a_travel_exception_can_be_cancelled(api: Api, card: dict[str, Any],
                                             clock: Clock) -> None:
    lock_to_henan(api, card)
    trip = api.post(f"/v1/cards/{card['id']}/travel",
                    {"place": "CN-HI", "starts_at": "2026-11-25T08:00:00+08:00",
                     "ends_at": "2026-11-25T20:00:00+08:00"}, role="cardholder_app").json()
    assert trip["state"] == "active"
    r = api.client.delete(f"/v1/cards/{card['id']}/travel/{trip['id']}",
                          headers=api.h("cardholder_app"))
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert api.authorize(region="CN-HI").json()["primary_reason"] == "region_lock"
    gone = api.client.delete(f"/v1/cards/{card['id']}/travel/nope",
                             headers=api.h("cardholder_app"))
    assert gone.status_code == 404


def test_bad_travel_input_is_422_naming_the_field(api: Api, card: dict[str, Any]) -> None:
    url = f"/v1/cards/{card['id']}/travel"
    r = api.post(url, {"place": "CN", "starts_at": "2026-11-26T08:00:00",
                       "ends_at": "2026-11-27T08:00:00"}, role="cardholder_app")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "place"
    r = api.post(url, {"place": "JP", "starts_at": "2026-11-27T08:00:00",
                       "ends_at": "2026-11-26T08:00:00"}, role="cardholder_app")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "ends_at"
    r = api.post(url, {"place": "JP", "starts_at": "soon", "ends_at": "later"},
                 role="cardholder_app")
    assert r.status_code == 422
    assert {f["field"] for f in r.json()["error"]["fields"]} == {"starts_at", "ends_at"}


def register(api: Api, **fields: Any) -> Any:
    body = {"pan": PAN, "agreement_id": "AGR1", "payee": "Fast Pay Co", **fields}
    return api.post("/v1/agreements", body, role="processor")


def quick(api: Api, amount: int = 10_000) -> dict[str, Any]:
    body: dict[str, Any] = api.authorize(
        kind="purchase", terminal="none", card_present=False, entry_mode="credential_on_file",
        region=None, agreement_id="AGR1", amount=amount).json()
    return body


def test_a_processor_registers_a_binding_that_the_cardholder_then_sees(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    r = register(api, daily_limit=50_000)
    assert r.status_code == 201, r.text
    assert register(api, daily_limit=50_000).status_code == 200
    assert quick(api)["outcome"] == "approve"
    listed = api.get(f"/v1/cards/{card['id']}/agreements", role="cardholder_app").json()
    assert len(listed) == 1
    a = listed[0]
    assert (a["payee"], a["status"], a["daily_limit"], a["used_today"]) == (
        "Fast Pay Co", "active", 50_000, 10_000)
    assert a["last_used_at"] == clock.now.isoformat()
    assert api.get(f"/v1/cards/{card['id']}/agreements").status_code == 200  # operator


def test_each_agreement_state_declines_with_its_own_reason(
        api: Api, card: dict[str, Any]) -> None:
    assert quick(api)["primary_reason"] == "agreement_unknown"
    register(api)
    base = f"/v1/cards/{card['id']}/agreements/AGR1"
    assert api.post(f"{base}/suspend", role="cardholder_app").json()["status"] == "suspended"
    assert quick(api)["primary_reason"] == "agreement_suspended"
    assert api.post(f"{base}/resume", role="cardholder_app").json()["status"] == "active"
    r = api.client.put(f"{base}/limits", json={"per_txn_limit": 5_000, "daily_limit": 8_000},
                       headers=api.h("cardholder_app"))
    assert r.status_code == 200
    assert quick(api, 5_001)["primary_reason"] == "agreement_limit"
    assert quick(api, 5_000)["outcome"] == "approve"
    assert quick(api, 3_001)["primary_reason"] == "agreement_limit"
    assert api.post(f"{base}/revoke", role="cardholder_app").json()["status"] == "revoked"
    assert quick(api, 100)["primary_reason"] == "agreement_revoked"
    assert api.post(f"{base}/resume", role="cardholder_app").status_code == 409


def test_agreement_roles_and_ownership(api: Api, sg: App, card: dict[str, Any]) -> None:
    assert api.post("/v1/agreements", {"pan": PAN, "agreement_id": "A", "payee": "P"},
                    role="cardholder_app").status_code == 403
    register(api)
    base = f"/v1/cards/{card['id']}/agreements/AGR1"
    assert api.post(f"{base}/suspend", role="operator").status_code == 403
    other = api.enrol(pan=OTHER_PAN, phone="+8613800000002")
    headers = scoped_token(sg, other["cardholder"]["id"])
    assert api.client.post(f"{base}/revoke", headers=headers).status_code == 403
    assert api.client.get(f"/v1/cards/{card['id']}/agreements",
                          headers=headers).status_code == 403


def test_bad_agreement_input_is_422_naming_the_field(api: Api, card: dict[str, Any]) -> None:
    r = register(api, daily_limit=10_000_000)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "daily_limit"
    r = register(api, per_txn_limit=-1)
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "per_txn_limit"
    r = api.post("/v1/agreements", {"card_id": card["id"], "agreement_id": "A2"},
                 role="processor")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "payee"
    register(api)
    r = api.client.put(f"/v1/cards/{card['id']}/agreements/AGR1/limits",
                       json={"per_txn_limit": 9_000, "daily_limit": 8_000},
                       headers=api.h("cardholder_app"))
    assert r.status_code == 422 and r.json()["error"]["code"] == "inconsistent"
    r = api.post(f"/v1/cards/{card['id']}/agreements/NOPE/suspend", role="cardholder_app")
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_agreement"
