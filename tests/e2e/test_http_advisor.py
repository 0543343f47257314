"""The advisor over HTTP: the check-up with its one-click fixes, recommendations, and the
preview of a change before it is saved; roles and cardholder ownership apply."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from smartguard.bootstrap import App
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests.conftest import Clock
from tests.e2e.conftest import OTHER_PAN, Api


def scoped_token(sg: App, cardholder_id: str) -> dict[str, str]:
    token = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.CARDHOLDER_APP,
                                                 cardholder_id=cardholder_id)[1])
    return {"Authorization": f"Bearer {token}"}


def henan_history(api: Api, clock: Clock, days: int = 31) -> list[str]:
    """A purchase in Henan every day, then an ATM withdrawal in Guangdong and a purchase
    in Sichuan; returns the ids of those two."""
    start = clock.now
    for d in range(days, 0, -1):
        clock.now = start - timedelta(days=d)
        assert api.authorize(region="CN-HA", amount=4_000).status_code == 200
    clock.now = start - timedelta(days=9)
    gd = api.authorize(region="CN-GD", kind="cash_withdrawal", terminal="atm",
                       amount=100_000).json()["authorization_id"]
    clock.now = start - timedelta(days=2)
    sc = api.authorize(region="CN-SC", amount=20_000).json()["authorization_id"]
    clock.now = start
    return [gd, sc]


def test_the_check_up_reports_a_score_and_findings_with_fixes(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    henan_history(api, clock)
    r = api.get(f"/v1/cards/{card['id']}/checkup", role="cardholder_app")
    assert r.status_code == 200
    body = r.json()
    assert 0 <= body["score"] < 100
    found = {f["id"]: f for f in body["findings"]}
    region = found["protection_off.region_lock"]
    assert region["severity"] == "medium"
    assert set(region["explanation"]) == {"zh-CN", "en"}
    assert region["fix"]["value"]["places"] == ["CN-HA", "CN-GD", "CN-SC"]
    assert region["fix_url"] == f"/v1/cards/{card['id']}/checkup/fixes/protection_off.region_lock"
    assert body["recommendations"]["basis"] == "history"


def test_a_one_click_fix_applies_exactly_the_recommended_change_and_is_audited(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    henan_history(api, clock)
    report = api.get(f"/v1/cards/{card['id']}/checkup", role="cardholder_app").json()
    night = next(f for f in report["findings"] if f["id"] == "protection_off.night_lock")
    r = api.post(night["fix_url"], {"expected": night["fix"]}, role="cardholder_app")
    assert r.status_code == 200, r.text
    assert r.json()["card"]["controls"]["night_lock"] == night["fix"]["value"]
    audit = api.get(f"/v1/cards/{card['id']}/audit").json()["items"]
    assert audit[0]["action"] == "set_controls.night_lock"
    assert audit[0]["new"] == night["fix"]["value"]
    again = api.post(night["fix_url"], None, role="cardholder_app")
    assert again.status_code == 404
    assert again.json()["error"]["code"] == "unknown_finding"


def test_a_fix_that_changed_since_it_was_shown_is_refused(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    henan_history(api, clock)
    url = f"/v1/cards/{card['id']}/checkup/fixes/protection_off.region_lock"
    stale = {"action": "set_protection", "protection": "region_lock",
             "value": {"enabled": True, "places": ["CN-HA"]}}
    r = api.post(url, {"expected": stale}, role="cardholder_app")
    assert r.status_code == 409
    assert api.get(f"/v1/cards/{card['id']}/controls").json()["region_lock"]["enabled"] is False


def test_a_freeze_fix_freezes_the_card(api: Api, card: dict[str, Any], clock: Clock) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/region_lock",
            {"enabled": True, "places": ["CN-HA"]})
    api.authorize(region="CN-GD", kind="cash_withdrawal", terminal="atm")
    r = api.post(f"/v1/cards/{card['id']}/checkup/fixes/lock_declines", role="cardholder_app")
    assert r.status_code == 200
    assert r.json()["card"]["status"] == "frozen"


def test_recommendations_with_too_little_history_are_safe_defaults(
        api: Api, card: dict[str, Any]) -> None:
    r = api.get(f"/v1/cards/{card['id']}/recommendations", role="cardholder_app").json()
    assert r["basis"] == "defaults"
    assert r["region_lock"]["value"] is None
    assert r["limits"]["atm_cash"]["value"]["daily_amount"] == 500_000
    assert "safe defaults" in r["note"]["en"]


def test_the_preview_lists_exactly_what_a_proposed_lock_would_have_declined(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    gd, sc = henan_history(api, clock)
    r = api.post(f"/v1/cards/{card['id']}/preview",
                 {"region_lock": {"enabled": True, "places": ["CN-HA"]}},
                 role="cardholder_app")
    assert r.status_code == 200, r.text
    body = r.json()
    assert [c["authorization_id"] for c in body["declined"]] == [gd, sc]
    first = body["declined"][0]
    assert (first["place"], first["recorded_outcome"], first["proposed_outcome"]) == (
        "CN-GD", "approve", "decline")
    assert first["reasons"][0]["reason"] == "region_lock"
    assert "Guangdong" in first["reasons"][0]["message"]["en"]
    assert body["replayed"] == 33 and body["days"] == 90
    controls = api.get(f"/v1/cards/{card['id']}/controls").json()
    assert controls["region_lock"]["enabled"] is False  # nothing was saved


def test_the_preview_can_propose_limits_and_a_shorter_window(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    gd, _ = henan_history(api, clock)
    r = api.post(f"/v1/cards/{card['id']}/preview",
                 {"days": 30, "limits": {"atm_cash": {"per_txn": 50_000}}},
                 role="cardholder_app")
    assert [c["authorization_id"] for c in r.json()["declined"]] == [gd]


def test_bad_preview_input_is_422_naming_the_field(api: Api, card: dict[str, Any]) -> None:
    url = f"/v1/cards/{card['id']}/preview"
    r = api.post(url, {"region_lock": {"enabled": True, "places": ["CN-HA", "CN-BJ",
                                                                   "CN-SH", "CN-GD"]}},
                 role="cardholder_app")
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "region_lock.places"
    r = api.post(url, {"days": 0}, role="cardholder_app")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "days"
    r = api.post(url, {"limits": {"atm_cash": {"daily_amount": 9_000_000}}},
                 role="cardholder_app")
    assert r.status_code == 422 and r.json()["error"]["code"] == "above_ceiling"


def test_another_cardholders_key_gets_403_and_a_processor_key_too(
        api: Api, sg: App, card: dict[str, Any]) -> None:
    other = api.enrol(pan=OTHER_PAN, phone="+8613800000002")
    headers = scoped_token(sg, other["cardholder"]["id"])
    for method, path in [("get", "checkup"), ("get", "recommendations"),
                         ("post", "preview"), ("post", "checkup/fixes/phone_unverified")]:
        r = getattr(api.client, method)(f"/v1/cards/{card['id']}/{path}", headers=headers,
                                        **({"json": {}} if method == "post" else {}))
        assert r.status_code == 403, path
    own = api.client.get(f"/v1/cards/{other['id']}/checkup", headers=headers)
    assert own.status_code == 200
    assert api.get(f"/v1/cards/{card['id']}/checkup", role="processor").status_code == 403


def test_a_cardholders_check_up_has_each_card_and_the_lowest_score(
        api: Api, sg: App, card: dict[str, Any]) -> None:
    holder = card["cardholder"]["id"]
    r = api.get(f"/v1/cardholders/{holder}/checkup", role="cardholder_app")
    assert r.status_code == 200
    body = r.json()
    assert [c["card_id"] for c in body["cards"]] == [card["id"]]
    assert body["score"] == body["cards"][0]["score"]
    other = api.enrol(pan=OTHER_PAN, phone="+8613800000002")
    headers = scoped_token(sg, other["cardholder"]["id"])
    assert api.client.get(f"/v1/cardholders/{holder}/checkup",
                          headers=headers).status_code == 403
    assert api.get("/v1/cardholders/chd_nope/checkup").status_code == 404


def test_the_preview_knows_the_channel_switches_and_categories(
        api: Api, card: dict[str, Any], clock: Clock) -> None:
    tap = api.authorize(entry_mode="contactless").json()["authorization_id"]
    bet = api.authorize(mcc="7995", terminal="none", card_present=False,
                        entry_mode="ecommerce", region=None).json()["authorization_id"]
    url = f"/v1/cards/{card['id']}/preview"
    off = api.post(url, {"switches_off": ["contactless"]}, role="cardholder_app").json()
    assert [c["authorization_id"] for c in off["declined"]] == [tap]
    assert off["declined"][0]["reasons"][0]["reason"] == "contactless_off"
    blocked = api.post(url, {"categories": {"gambling": {"blocked": True}}},
                       role="cardholder_app").json()
    assert [c["authorization_id"] for c in blocked["declined"]] == [bet]
    r = api.post(url, {"switches_off": ["teleport"]}, role="cardholder_app")
    assert r.status_code == 422 and r.json()["error"]["fields"][0]["field"] == "switches_off"
