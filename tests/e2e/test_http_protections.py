"""Reading and changing protections through HTTP: validation, effect and audit."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clock
from tests.e2e.conftest import Api


def controls(api: Api, card: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = api.get(f"/v1/cards/{card['id']}/controls").json()
    return body


def test_new_card_has_locks_off_and_magstripe_verification_on(
    api: Api, card: dict[str, Any]
) -> None:
    c = controls(api, card)
    assert not c["region_lock"]["enabled"]
    assert not c["overseas_lock"]["enabled"]
    assert not c["night_lock"]["enabled"]
    assert not c["overseas_cnp_lock"]["enabled"]
    assert c["verification"]["magstripe"] is True
    assert c["verification"]["large_purchase"] is False
    assert c["ceilings"]["channels"]["atm_cash"]["daily_amount"] == 2_000_000


def test_region_lock_takes_effect_on_the_next_transaction(
    api: Api, card: dict[str, Any]
) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/region_lock",
                {"enabled": True, "places": ["CN-HA", "110000"]})
    assert r.status_code == 200
    assert r.json()["region_lock"]["places"] == ["CN-HA", "CN-BJ"]
    assert api.authorize(region="CN-GD").json()["primary_reason"] == "region_lock"
    assert api.authorize(region="CN-BJ").json()["outcome"] == "approve"


def test_four_provinces_are_refused_and_nothing_changes(
    api: Api, card: dict[str, Any]
) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/region_lock",
                {"enabled": True, "places": ["CN-HA", "CN-BJ", "CN-SH", "CN-GD"]})
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["code"] == "too_many_places"
    assert err["fields"][0]["field"] == "region_lock.places"
    assert controls(api, card)["region_lock"]["places"] == []


def test_cn_is_not_an_overseas_place(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/overseas_lock",
                {"enabled": True, "places": ["CN"]})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "not_overseas"


def test_unknown_province_is_refused(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/region_lock",
                {"enabled": True, "places": ["CN-XX"]})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_province"


def test_night_window_with_start_equal_to_end_is_refused(
    api: Api, card: dict[str, Any]
) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/night_lock",
                {"enabled": True, "start": "23:00", "end": "23:00"})
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "night_lock.end"


def test_night_lock_declines_an_atm_withdrawal_at_0200(
    api: Api, card: dict[str, Any], clock: Clock
) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/night_lock", {"enabled": True})
    clock.set_local("2026-11-26T02:00:00")
    r = api.authorize(kind="cash_withdrawal", terminal="atm", amount=10_000)
    assert r.json()["primary_reason"] == "night_lock"
    assert r.json()["response_code"] == "57"
    clock.set_local("2026-11-26T05:00:00")
    assert api.authorize(kind="cash_withdrawal", terminal="atm").json()["outcome"] == "approve"


def test_limit_above_the_bank_ceiling_is_refused(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/limits/atm_cash",
                {"daily_amount": 2_000_001})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "above_ceiling"
    assert r.json()["error"]["fields"][0]["field"] == "limits.atm_cash.daily_amount"


def test_fractional_amount_is_refused(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/controls/limits/pos", {"per_txn": 100.5})
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "per_txn"


def test_personal_limit_declines_with_amount_limit(api: Api, card: dict[str, Any]) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/limits/pos", {"per_txn": 50_000})
    r = api.authorize(amount=50_001).json()
    assert r["primary_reason"] == "amount_limit"
    assert r["response_code"] == "61"
    assert api.authorize(amount=50_000).json()["outcome"] == "approve"


def test_every_change_is_audited_with_old_and_new(api: Api, card: dict[str, Any]) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/overseas_cnp_lock", {"enabled": True})
    audit = api.get(f"/v1/cards/{card['id']}/audit").json()["items"]
    entry = audit[0]
    assert entry["action"] == "set_controls.overseas_cnp_lock"
    assert entry["old"] == {"enabled": False}
    assert entry["new"] == {"enabled": True}
    assert entry["channel"] == "api"
    assert entry["actor"].startswith("key:")


def test_refused_change_writes_no_audit_record(api: Api, card: dict[str, Any]) -> None:
    before = len(api.get(f"/v1/cards/{card['id']}/audit").json()["items"])
    api.put(f"/v1/cards/{card['id']}/controls/region_lock",
            {"enabled": True, "places": ["A", "B", "C", "D"]})
    assert len(api.get(f"/v1/cards/{card['id']}/audit").json()["items"]) == before


def test_freeze_declines_debits_and_unfreeze_restores(api: Api, card: dict[str, Any]) -> None:
    assert api.post(f"/v1/cards/{card['id']}/freeze", role="cardholder_app").json()[
        "status"] == "frozen"
    assert api.authorize().json()["primary_reason"] == "card_frozen"
    assert api.authorize(kind="balance_inquiry", amount=0, terminal="atm").json()[
        "outcome"] == "approve"
    api.post(f"/v1/cards/{card['id']}/unfreeze", role="cardholder_app")
    assert api.authorize().json()["outcome"] == "approve"


def test_cardholder_cannot_unfreeze_a_card_the_bank_blocked(
    api: Api, card: dict[str, Any]
) -> None:
    api.post(f"/v1/cards/{card['id']}/block", role="operator")
    r = api.post(f"/v1/cards/{card['id']}/unfreeze", role="cardholder_app")
    assert r.status_code == 409
    assert "only the bank" in r.json()["error"]["message"]


def test_the_banks_unblock_keeps_the_cardholders_freeze(
    api: Api, card: dict[str, Any]
) -> None:
    api.post(f"/v1/cards/{card['id']}/freeze", role="cardholder_app")
    api.post(f"/v1/cards/{card['id']}/block", role="operator")
    r = api.post(f"/v1/cards/{card['id']}/unblock", role="operator")
    assert r.json()["status"] == "frozen"
    assert api.authorize().json()["primary_reason"] == "card_frozen"
    api.post(f"/v1/cards/{card['id']}/unfreeze", role="cardholder_app")
    assert api.authorize().json()["outcome"] == "approve"


def test_decisions_list_explains_each_decision(api: Api, card: dict[str, Any]) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/region_lock",
            {"enabled": True, "places": ["CN-HA"]})
    api.authorize(region="CN-GD")
    d = api.get(f"/v1/cards/{card['id']}/decisions?language=zh-CN").json()["items"][0]
    assert d["outcome"] == "decline"
    assert d["reasons"][0]["message"] == "地区锁：广东省不是您设置的常用地"
