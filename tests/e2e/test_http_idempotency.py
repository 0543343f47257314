"""Idempotency keys end to end (docs/api.md): a POST sent again with the same
``Idempotency-Key`` gets the first answer (status and body) and changes nothing; the same
key with another request is 409 with the error envelope; keys belong to one API key and
are forgotten after a day. Run on SQLite and PostgreSQL, served and bare."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from smartguard.bootstrap import App
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests.conftest import Clock
from tests.e2e.conftest import Api


def post(api: Api, path: str, key: str, body: Any = None, role: str = "cardholder_app",
         token: str | None = None) -> Any:
    headers = {**api.h(role), "Idempotency-Key": key}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return api.client.post(path, json=body, headers=headers)


def audit(api: Api, card_id: str) -> list[Any]:
    entries: list[Any] = api.get(f"/v1/cards/{card_id}/audit").json()["items"]
    return entries


def test_a_repeated_freeze_answers_as_the_first_and_is_audited_once(
        api: Api, card: dict[str, Any]) -> None:
    """Same key, same request: same status and body, marked as a replay; one audit row."""
    url = f"/v1/cards/{card['id']}/freeze"
    first = post(api, url, "freeze-1")
    before = audit(api, card["id"])
    again = post(api, url, "freeze-1")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert audit(api, card["id"]) == before


def test_a_retry_after_a_later_change_still_gets_the_first_answer(
        api: Api, card: dict[str, Any]) -> None:
    """A late retry of the freeze does not freeze the card the cardholder unfroze since."""
    url = f"/v1/cards/{card['id']}/freeze"
    first = post(api, url, "freeze-2").json()
    assert post(api, f"/v1/cards/{card['id']}/unfreeze", "unfreeze-2").status_code == 200
    again = post(api, url, "freeze-2").json()
    assert again == first and again["status"] == "frozen"
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "active"


def test_the_same_key_for_another_request_is_409_and_changes_nothing(
        api: Api, card: dict[str, Any]) -> None:
    post(api, f"/v1/cards/{card['id']}/freeze", "k-3")
    before = audit(api, card["id"])
    r = post(api, f"/v1/cards/{card['id']}/unfreeze", "k-3")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "idempotency_conflict"
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "frozen"
    assert audit(api, card["id"]) == before


def test_another_body_with_the_same_key_is_409(api: Api, card: dict[str, Any]) -> None:
    url = f"/v1/cards/{card['id']}/travel"
    trip = {"place": "JP", "starts_at": "2026-12-01T00:00", "ends_at": "2026-12-08T00:00"}
    first = post(api, url, "trip", trip)
    assert first.status_code == 201
    again = post(api, url, "trip", {**trip, "place": "TH"})
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "idempotency_conflict"
    listed = api.get(url, role="cardholder_app").json()
    assert [t["place"] for t in listed] == ["JP"]


def test_a_reordered_json_body_is_the_same_request(api: Api, card: dict[str, Any]) -> None:
    url = f"/v1/cards/{card['id']}/travel"
    trip = {"place": "JP", "starts_at": "2026-12-01T00:00", "ends_at": "2026-12-08T00:00"}
    first = post(api, url, "trip-2", trip)
    again = post(api, url, "trip-2", dict(reversed(list(trip.items()))))
    assert (again.status_code, again.json()) == (201, first.json())
    assert len(api.get(url, role="cardholder_app").json()) == 1


def test_enrolment_retried_enrols_one_cardholder(api: Api) -> None:
    body = {"name": "Li Lei", "phone": "+8613800000099"}
    first = post(api, "/v1/cardholders", "enrol-1", body, role="operator")
    again = post(api, "/v1/cardholders", "enrol-1", body, role="operator")
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    other = post(api, "/v1/cardholders", "enrol-2", body, role="operator")
    assert other.json()["id"] != first.json()["id"]


def test_a_key_creation_replayed_returns_the_same_working_token(api: Api) -> None:
    first = post(api, "/v1/keys", "key-1", {"role": "operator"}, role="admin")
    again = post(api, "/v1/keys", "key-1", {"role": "operator"}, role="admin")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = api.client.get("/v1/cards?last4=0001",
                            headers={"Authorization": f"Bearer {again.json()['token']}"})
    assert listed.status_code == 200


def test_keys_belong_to_the_api_key_that_sent_them(api: Api, card: dict[str, Any],
                                                   sg: Any) -> None:
    """Another caller's identical key is another request: it takes effect."""
    other = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.CARDHOLDER_APP)[1])
    url = f"/v1/cards/{card['id']}/freeze"
    post(api, url, "shared")
    post(api, f"/v1/cards/{card['id']}/unfreeze", "u")
    r = post(api, url, "shared", token=other)
    assert "Idempotent-Replayed" not in r.headers
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "frozen"


def test_a_key_is_forgotten_after_a_day(api: Api, card: dict[str, Any], clock: Clock) -> None:
    url = f"/v1/cards/{card['id']}/freeze"
    post(api, url, "old")
    post(api, f"/v1/cards/{card['id']}/unfreeze", "u-old")
    clock.now += timedelta(hours=24, seconds=1)
    r = post(api, url, "old")
    assert r.status_code == 200 and "Idempotent-Replayed" not in r.headers
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "frozen"


def test_a_failed_request_stores_nothing_and_its_retry_runs(
        api: Api, card: dict[str, Any]) -> None:
    """A refusal is not remembered: the effect did not happen, so a retry may."""
    api.post(f"/v1/cards/{card['id']}/block")
    url = f"/v1/cards/{card['id']}/unfreeze"
    assert post(api, url, "u-blocked").status_code == 409
    api.post(f"/v1/cards/{card['id']}/unblock")
    api.post(f"/v1/cards/{card['id']}/freeze", role="cardholder_app")
    r = post(api, url, "u-blocked")
    assert r.status_code == 200 and r.json()["status"] == "active"


def test_a_challenge_answer_retried_is_answered_once(api: Api, card: dict[str, Any]) -> None:
    first = api.authorize(entry_mode="magstripe", amount=30_000).json()
    url = f"/v1/challenges/{first['challenge']['id']}/confirm"
    one = post(api, url, "c-1")
    two = post(api, url, "c-1")
    assert one.status_code == two.status_code == 200
    assert two.json() == one.json() and two.json()["status"] == "confirmed"


def test_a_check_up_fix_retried_gets_its_first_answer(api: Api, card: dict[str, Any]) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/region_lock",
            {"enabled": True, "places": ["CN-HA"]})
    api.authorize(region="CN-GD", kind="cash_withdrawal", terminal="atm")
    url = f"/v1/cards/{card['id']}/checkup/fixes/lock_declines"
    one = post(api, url, "fix-1")
    two = post(api, url, "fix-1")  # the finding is gone now: still the first answer
    assert one.status_code == two.status_code == 200
    assert two.json() == one.json() and two.json()["card"]["status"] == "frozen"


def test_a_malformed_key_is_refused_with_the_envelope(api: Api, card: dict[str, Any]) -> None:
    r = post(api, f"/v1/cards/{card['id']}/freeze", "x" * 256)
    assert r.status_code == 422
    assert "error" in r.json()
    assert api.get(f"/v1/cards/{card['id']}").json()["status"] == "active"


def test_the_sweep_forgets_expired_keys_of_every_caller(
        api: Api, sg: App, card: dict[str, Any], clock: Clock) -> None:
    """A caller that stops writing (a revoked key) leaves its keys behind: the sweep of
    ``serve`` (housekeeping.py) deletes them once a day old, and only them."""
    import asyncio

    from smartguard.entrypoints.housekeeping import Housekeeping
    from smartguard.entrypoints.serve import services

    assert any(isinstance(svc, Housekeeping) for svc in services(sg))
    other = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.CARDHOLDER_APP)[1])
    url = f"/v1/cards/{card['id']}/freeze"
    post(api, url, "gone-1", token=other)
    post(api, f"/v1/cards/{card['id']}/unfreeze", "gone-2", token=other)
    clock.now += timedelta(hours=23)
    post(api, url, "kept")  # another caller, a key 23 hours younger
    sweep = Housekeeping(sg)
    assert asyncio.run(sweep.once()) == 0  # nothing is a day old yet
    clock.now += timedelta(hours=1, seconds=1)
    assert asyncio.run(sweep.once()) == 2
    assert asyncio.run(sweep.once()) == 0
    r = post(api, url, "kept")  # still remembered: its answer, replayed
    assert r.headers["Idempotent-Replayed"] == "true"
