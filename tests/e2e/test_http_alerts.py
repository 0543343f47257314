"""Alerts over the HTTP API: preferences and phone (cardholder app, audited), the outbox
and its dead letters (operators), and the signed inbound-SMS hook."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from smartguard.adapters.webhook import signing
from smartguard.alerts_config import AlertSettings, InboundSettings
from smartguard.bootstrap import bootstrap
from smartguard.config import Settings
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests.conftest import Clock
from tests.e2e.conftest import PAN, Api

SECRET = "inbound-secret"


@pytest.fixture
def api(store_settings: Settings, clock: Clock) -> Iterator[Api]:
    alerts = AlertSettings(sms_inbound=InboundSettings(secrets=(SECRET,)))
    sg = bootstrap(replace(store_settings, alerts=alerts), clock=clock)
    tokens = {r.value: sg.write(lambda uow, r=r: keys.create_key(uow, sg.ctx, r)[1])
              for r in Role}
    with TestClient(create_asgi(sg)) as client:  # type: ignore[arg-type]
        yield Api(client, tokens)
    sg.close()


@pytest.fixture
def card(api: Api) -> dict[str, Any]:
    return api.enrol()


def inbound(api: Api, text: str, message_id: str, sender: str = "+8613800000001",
            secret: str = SECRET) -> Any:
    raw = json.dumps({"message_id": message_id, "from": sender, "text": text}).encode()
    headers = {signing.HEADER: signing.sign(raw, [secret]), "content-type": "application/json"}
    return api.client.post("/v1/sms/inbound", content=raw, headers=headers)


def test_alert_preferences_default_to_every_channel_the_bank_sends_on(
        api: Api, card: dict[str, Any]) -> None:
    r = api.get(f"/v1/cards/{card['id']}/alerts", role="cardholder_app")
    assert r.status_code == 200
    # this bank has no webhook URLs: webhook is not listed for any alert kind
    assert r.json()["available"] == ["sms"]
    assert all(chosen == ["sms"] for chosen in r.json()["channels"].values())
    assert r.json()["balance_threshold"] == 0


def test_changing_preferences_is_audited_and_applies_to_the_next_alert(
    api: Api, card: dict[str, Any]
) -> None:
    r = api.put(f"/v1/cards/{card['id']}/alerts",
                {"channels": {"balance_change": ["webhook"]}, "balance_threshold": 50_000})
    assert r.status_code == 200, r.text
    assert r.json()["channels"]["balance_change"] == []  # kept, but this bank has no webhooks
    audit = api.get(f"/v1/cards/{card['id']}/audit").json()["items"]
    assert audit[0]["action"] == "set_alerts"
    assert audit[0]["new"]["channels"]["balance_change"] == ["webhook"]
    api.authorize(amount=10_000)
    sms = api.get("/v1/outbox", params={"card_id": card["id"], "channel": "sms"}).json()["items"]
    assert [m["event"] for m in sms] == ["security.protection"]


def test_security_alerts_cannot_be_taken_off_sms(api: Api, card: dict[str, Any]) -> None:
    r = api.put(f"/v1/cards/{card['id']}/alerts", {"channels": {"security": ["webhook"]}})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "sms_required"


def test_phone_change_answers_masked_and_alerts_both_numbers(
    api: Api, card: dict[str, Any]
) -> None:
    holder = card["cardholder"]["id"]
    r = api.put(f"/v1/cardholders/{holder}/phone", {"phone": "+8613900000002"})
    assert r.status_code == 200 and r.json()["phone"] == "+86139****0002"
    sent = api.get("/v1/outbox", params={"channel": "sms"}).json()["items"]
    assert {m["recipient"] for m in sent} == {"+86138****0001", "+86139****0002"}


def test_outbox_lists_messages_for_operators_only(api: Api, card: dict[str, Any]) -> None:
    api.authorize(amount=1_000)
    assert api.get("/v1/outbox", role="cardholder_app").status_code == 403
    stats = api.get("/v1/outbox/stats").json()
    assert stats["messages"]["sms"] == {"pending": 1}
    assert stats["channels"]["sms"].startswith("not configured")


def test_requeue_of_a_message_that_is_not_dead_is_not_found(
    api: Api, card: dict[str, Any]
) -> None:
    api.authorize(amount=1_000)
    message = api.get("/v1/outbox").json()["items"][0]
    assert api.post(f"/v1/outbox/{message['id']}/requeue").status_code == 404


def test_signed_inbound_zf_freezes_the_card(api: Api, card: dict[str, Any]) -> None:
    r = inbound(api, "ZF " + PAN[-4:], "http-1")
    assert r.status_code == 200, r.text
    assert r.json() == {"message_id": "http-1", "duplicate": False, "outcome": "frozen"}
    assert api.authorize(amount=100).json()["primary_reason"] == "card_frozen"
    assert inbound(api, "ZF " + PAN[-4:], "http-1").json()["duplicate"] is True


def test_inbound_with_a_wrong_signature_is_refused_and_changes_nothing(
    api: Api, card: dict[str, Any]
) -> None:
    r = inbound(api, "ZF", "http-2", secret="guess")
    assert r.status_code == 401
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "active"


def test_inbound_from_an_unregistered_number_changes_nothing(
    api: Api, card: dict[str, Any]
) -> None:
    assert inbound(api, "ZF", "http-3", sender="+8613999999999").json()["outcome"] \
        == "unregistered"
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "active"


def test_an_oversized_inbound_body_is_refused(api: Api, card: dict[str, Any]) -> None:
    r = inbound(api, "x" * 1600, "http-4")
    assert r.status_code == 200 and r.json()["outcome"] == "help:too_long"
    raw = b"{" + b" " * 5000 + b"}"
    big = api.client.post("/v1/sms/inbound", content=raw, headers={
        signing.HEADER: signing.sign(raw, [SECRET])})
    assert big.status_code == 413 and big.json()["error"]["code"] == "too_large"
