"""Every request needs an API key with the right role; scoped keys see only their cards."""

from __future__ import annotations

from typing import Any

from smartguard.bootstrap import App
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests.e2e.conftest import OTHER_PAN, Api


def test_no_key_is_401(api: Api, card: dict[str, Any]) -> None:
    r = api.client.get(f"/v1/cards/{card['id']}")
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "unauthenticated"


def test_wrong_key_is_401(api: Api, card: dict[str, Any]) -> None:
    r = api.client.get(f"/v1/cards/{card['id']}",
                       headers={"Authorization": "Bearer sg_nope_nope"})
    assert r.status_code == 401


def test_processor_cannot_change_protections(api: Api, card: dict[str, Any]) -> None:
    r = api.client.put(f"/v1/cards/{card['id']}/controls/overseas_cnp_lock",
                       json={"enabled": True}, headers=api.h("processor"))
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "forbidden"


def test_cardholder_app_cannot_authorize(api: Api, card: dict[str, Any]) -> None:
    r = api.client.post("/v1/authorizations", json={}, headers=api.h("cardholder_app"))
    assert r.status_code == 403


def test_cardholder_app_cannot_block(api: Api, card: dict[str, Any]) -> None:
    r = api.post(f"/v1/cards/{card['id']}/block", role="cardholder_app")
    assert r.status_code == 403


def test_key_scoped_to_a_cardholder_cannot_read_another_cardholders_card(
    api: Api, sg: App, card: dict[str, Any]
) -> None:
    other = api.enrol(pan=OTHER_PAN, phone="+8613800000002", name="Li Wei")
    _, token = sg.write(lambda uow: keys.create_key(
        uow, sg.ctx, Role.CARDHOLDER_APP, "wang only", card["cardholder"]["id"]))
    headers = {"Authorization": f"Bearer {token}"}
    assert api.client.get(f"/v1/cards/{card['id']}", headers=headers).status_code == 200
    assert api.client.get(f"/v1/cards/{other['id']}", headers=headers).status_code == 403
    r = api.client.post(f"/v1/cards/{other['id']}/freeze", headers=headers)
    assert r.status_code == 403
    assert api.get(f"/v1/cards/{other['id']}").json()["status"] == "active"


def test_admin_creates_keys_and_the_token_works(api: Api, card: dict[str, Any]) -> None:
    r = api.post("/v1/keys", {"role": "operator", "label": "alice"}, role="admin")
    assert r.status_code == 201
    token = r.json()["token"]
    ok = api.client.get(f"/v1/cards/{card['id']}", headers={"X-API-Key": token})
    assert ok.status_code == 200


def test_health_needs_no_key(api: Api) -> None:
    assert api.client.get("/healthz").json() == {"status": "ok"}
