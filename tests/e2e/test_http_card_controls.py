"""The controls beyond Smart Guard through HTTP (SPEC 3.12): each takes effect on the next
authorization; bad input answers 422 naming the field and changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api


def base(card: dict[str, Any]) -> str:
    return f"/v1/cards/{card['id']}/controls"


def controls(api: Api, card: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = api.get(base(card)).json()
    return body


def test_every_channel_is_on_for_a_new_card(api: Api, card: dict[str, Any]) -> None:
    assert set(controls(api, card)["switches"].values()) == {True}


def test_a_switched_off_channel_declines_with_its_own_reason(api: Api,
                                                             card: dict[str, Any]) -> None:
    r = api.put(base(card) + "/switches/contactless", {"enabled": False})
    assert r.status_code == 200 and r.json()["switches"]["contactless"] is False
    declined = api.authorize(entry_mode="contactless").json()
    assert (declined["primary_reason"], declined["response_code"]) == ("contactless_off", "57")
    assert api.authorize().json()["outcome"] == "approve"  # chip at the same till


def test_a_blocked_category_declines_by_mcc(api: Api, card: dict[str, Any]) -> None:
    assert api.put(base(card) + "/categories/gambling", {"blocked": True}).status_code == 200
    assert api.authorize(mcc="7995").json()["primary_reason"] == "category_blocked"
    assert api.authorize(mcc="5411").json()["outcome"] == "approve"
    lifted = api.put(base(card) + "/categories/gambling", {"blocked": False}).json()
    assert lifted["categories"]["gambling"]["lifts_at"] is not None  # the 48 h cool-down
    assert api.authorize(mcc="7995").json()["primary_reason"] == "category_blocked"


def test_block_a_merchant_from_a_payment(api: Api, card: dict[str, Any]) -> None:
    paid = api.authorize(merchant_id="SHOP9", merchant_name="Nine").json()
    r = api.post(base(card) + "/merchants/block-from-payment",
                 {"authorization_id": paid["authorization_id"]}, role="cardholder_app")
    assert r.status_code == 200, r.text
    assert r.json()["merchants"]["blocked"] == {"SHOP9": "Nine"}
    assert api.authorize(merchant_id="SHOP9").json()["primary_reason"] == "merchant_blocked"


def test_an_allowed_merchant_passes_the_overseas_cnp_lock(api: Api,
                                                        card: dict[str, Any]) -> None:
    api.put(base(card) + "/overseas_cnp_lock", {"enabled": True})
    api.put(base(card) + "/merchants/BILL1", {"list": "allowed", "name": "Cloud"})
    bill = {"terminal": "none", "card_present": False, "entry_mode": "credential_on_file",
            "country": "US", "region": None}
    assert api.authorize(merchant_id="BILL1", **bill).json()["outcome"] == "approve"
    assert api.authorize(merchant_id="OTHER", **bill).json()["primary_reason"] \
        == "overseas_cnp_lock"


def test_a_timed_unlock_opens_a_switch_and_can_be_closed(api: Api,
                                                         card: dict[str, Any]) -> None:
    api.put(base(card) + "/switches/pos", {"enabled": False})
    r = api.post(base(card) + "/unlocks", {"target": "switches.pos", "minutes": 30},
                 role="cardholder_app")
    assert r.status_code == 200, r.text
    assert api.authorize().json()["outcome"] == "approve"
    closed = api.client.delete(base(card) + "/unlocks/switches.pos",
                               headers=api.h("cardholder_app"))
    assert closed.status_code == 200 and closed.json()["unlocks"] == []
    assert api.authorize().json()["primary_reason"] == "pos_off"


def test_alert_only_approves_and_lists_the_finding(api: Api, card: dict[str, Any]) -> None:
    api.put(base(card) + "/switches/pos", {"enabled": False})
    api.put(base(card) + "/alert-only/switches.pos", {"enabled": True})
    answer = api.authorize().json()
    assert (answer["outcome"], answer["response_code"]) == ("approve", "00")
    assert [a["reason"] for a in answer["alerts"]] == ["pos_off"]
    listed = api.get(f"/v1/cards/{card['id']}/decisions").json()["items"]
    first = listed[0]  # newest first
    assert [a["reason"] for a in first["alerts"]] == ["pos_off"]


@pytest.mark.parametrize(("method", "path", "body", "field"), [
    ("put", "/switches/teleport", {"enabled": False}, "switch"),
    ("put", "/categories/astrology", {"blocked": True}, "category"),
    ("put", "/alert-only/categories.astrology", {"enabled": True}, "target"),
    ("post", "/unlocks", {"target": "region_lock", "minutes": 14}, "minutes"),
    ("post", "/unlocks", {"target": "region_lock", "minutes": 1441}, "minutes"),
    ("post", "/unlocks", {"target": "categories.gambling", "minutes": 30}, "target"),
    ("put", "/merchants/" + "M" * 16, {"list": "blocked"}, "merchant_id"),
])
def test_bad_input_is_422_naming_the_field_and_changes_nothing(
        api: Api, card: dict[str, Any], method: str, path: str, body: dict[str, Any],
        field: str) -> None:
    before = controls(api, card)
    if method == "put":
        r = api.put(base(card) + path, body)
    else:
        r = api.post(base(card) + path, body, role="cardholder_app")
    assert r.status_code == 422, r.text
    assert r.json()["error"]["fields"][0]["field"] == field
    assert controls(api, card) == before


def test_an_mcc_that_is_not_4_digits_is_refused(api: Api, card: dict[str, Any]) -> None:
    r = api.authorize(mcc="799")
    assert r.status_code == 422
    assert "mcc" in r.json()["error"]["fields"][0]["field"]


def test_the_category_table_is_published(api: Api, card: dict[str, Any]) -> None:
    table = {c["category"]: c for c in api.get("/v1/merchant-categories").json()}
    assert table["gambling"]["mcc_ranges"] == [["7801", "7802"], ["7995", "7995"]]
    assert table["gambling"]["cooldown_hours"] == 48
