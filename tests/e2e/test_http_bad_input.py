"""Bad input gets a clear 4xx with a machine-readable code; nothing changes; the service
keeps running."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api


def balance(api: Api, card: dict[str, Any]) -> int:
    value: int = api.get(f"/v1/cards/{card['id']}").json()["account"]["balance"]
    return value


def test_malformed_json_is_400(api: Api, card: dict[str, Any]) -> None:
    r = api.client.post("/v1/authorizations", content=b'{"pan": ', headers={
        **api.h("processor"), "Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["error"]["code"] == "malformed_json"
    assert api.authorize().json()["outcome"] == "approve"


@pytest.mark.parametrize(("fields", "field", "code"), [
    ({"amount": 0}, "amount", "invalid_amount"),
    ({"amount": -5}, "amount", "invalid_amount"),
    ({"amount": 10**13}, "amount", "invalid_amount"),
    ({"amount": 12.5}, "amount", "invalid_amount"),
    ({"currency": "XYZ"}, "currency", "unknown_currency"),
    ({"country": "ZZ"}, "country", "unknown_country"),
    ({"region": "CN-XX"}, "region", "unknown_province"),
    ({"kind": "teleport"}, "kind", "validation_error"),
    ({"stan": "12"}, "stan", "validation_error"),
    ({"pan": "4111111111111112"}, "pan", "invalid_pan"),
    ({"surprise": 1}, "surprise", "validation_error"),
])
def test_bad_authorization_fields_are_refused(
    api: Api, card: dict[str, Any], fields: dict[str, Any], field: str, code: str
) -> None:
    r = api.authorize(**fields)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["code"] == code
    assert err["fields"][0]["field"] == field
    assert balance(api, card) == 1_000_000


def test_foreign_currency_needs_a_billing_amount(api: Api, card: dict[str, Any]) -> None:
    r = api.authorize(currency="USD", country="US", region=None)
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "billing_amount"


def test_bad_phone_and_zone_at_enrolment(api: Api) -> None:
    r = api.post("/v1/cardholders", {"name": "X", "phone": "13800000000"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_phone"
    r = api.post("/v1/cardholders", {"name": "X", "phone": "+8613800000009",
                                     "timezone": "Mars/Olympus"})
    assert r.json()["error"]["code"] == "invalid_timezone"


def test_unknown_card_in_path_is_404(api: Api) -> None:
    r = api.get("/v1/cards/card_nope")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_card"


def test_enrolling_the_same_pan_twice_is_409(api: Api, card: dict[str, Any]) -> None:
    from tests.e2e.conftest import PAN

    r = api.post("/v1/cards", {"pan": PAN, "account_id": card["account"]["id"]})
    assert r.status_code == 409
    assert PAN not in r.text


def test_oversized_body_is_refused_and_the_service_keeps_running(
    api: Api, card: dict[str, Any]
) -> None:
    huge = b'{"pan": "' + b"1" * 200_000 + b'"}'
    r = api.client.post("/v1/authorizations", content=huge, headers={
        **api.h("processor"), "Content-Type": "application/json"})
    assert r.status_code in (413, 422)
    assert api.authorize().json()["outcome"] == "approve"
