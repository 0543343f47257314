"""Cursor pagination of the list endpoints end to end (docs/api.md, "Pages"): every item
once, in a stable order, across page boundaries, also when rows are written between two
pages; ``limit`` has a maximum; a cursor that is not one is 422 with the envelope."""

from __future__ import annotations

from typing import Any

import pytest

from smartguard.domain.pan import with_check_digit
from tests.e2e.conftest import Api


def walk(api: Api, path: str, limit: int, between: Any = None, **params: Any) -> list[Any]:
    """Every page of ``path``; ``between`` runs after the first page."""
    items: list[Any] = []
    cursor = None
    while True:
        q = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        r = api.get(path, params=q)
        assert r.status_code == 200, r.text
        body = r.json()
        assert len(body["items"]) <= limit
        items += body["items"]
        cursor = body["next_cursor"]
        if between is not None:
            between()
            between = None
        if cursor is None:
            return items


def test_decisions_page_through_every_one_newest_first(api: Api,
                                                       card: dict[str, Any]) -> None:
    """The clock stands still in tests: every decision has the same time, so the order
    rests on the id alone — and still no page repeats or skips one."""
    ids = [api.authorize(amount=100 + i).json()["authorization_id"] for i in range(7)]
    listed = walk(api, f"/v1/cards/{card['id']}/decisions", 3)
    assert [d["authorization_id"] for d in listed] == ids[::-1]


def test_decisions_made_between_two_pages_do_not_shift_the_next(
        api: Api, card: dict[str, Any]) -> None:
    ids = [api.authorize(amount=100 + i).json()["authorization_id"] for i in range(5)]
    late: list[str] = []

    def more() -> None:
        late.extend(api.authorize(amount=900 + i).json()["authorization_id"]
                    for i in range(3))

    listed = walk(api, f"/v1/cards/{card['id']}/decisions", 2, between=more)
    assert [d["authorization_id"] for d in listed] == ids[::-1]
    assert len(late) == 3
    first = api.get(f"/v1/cards/{card['id']}/decisions", params={"limit": 3}).json()
    assert [d["authorization_id"] for d in first["items"]] == late[::-1]


def test_the_audit_trail_pages_with_changes_made_between(api: Api,
                                                         card: dict[str, Any]) -> None:
    for hour in ("21:00", "22:00", "23:00"):
        api.put(f"/v1/cards/{card['id']}/controls/night_lock",
                {"enabled": True, "start": hour, "end": "05:00"})
    whole = api.get(f"/v1/cards/{card['id']}/audit").json()
    assert whole["next_cursor"] is None

    def change() -> None:
        api.post(f"/v1/cards/{card['id']}/freeze", role="cardholder_app")

    paged = walk(api, f"/v1/cards/{card['id']}/audit", 2, between=change)
    assert paged == whole["items"]


def test_the_outbox_pages_newest_first(api: Api, card: dict[str, Any]) -> None:
    for _ in range(3):
        api.post(f"/v1/cards/{card['id']}/freeze", role="cardholder_app")
        api.post(f"/v1/cards/{card['id']}/unfreeze", role="cardholder_app")
    whole = api.get("/v1/outbox", params={"card_id": card["id"]}).json()["items"]
    assert len(whole) >= 3
    paged = walk(api, "/v1/outbox", 2, card_id=card["id"])
    assert [m["id"] for m in paged] == [m["id"] for m in whole]


def test_cards_page_in_enrolment_order_with_a_card_enrolled_between(api: Api) -> None:
    first = [api.enrol(pan=with_check_digit(f"62220210000000010{i}"),
                       phone=f"+861380000010{i}")["id"] for i in range(5)]
    late: list[str] = []

    def enrol() -> None:
        late.append(api.enrol(pan=with_check_digit("622202100000000199"),
                              phone="+8613800000199")["id"])

    listed = walk(api, "/v1/cards", 2, between=enrol)
    assert [c["id"] for c in listed] == first + late


@pytest.mark.parametrize("cursor", ["not-a-cursor", "WyJ4Il0", "e30"])
def test_a_cursor_that_is_not_one_is_422(api: Api, card: dict[str, Any], cursor: str) -> None:
    """Garbage, a cards cursor (one string) and a JSON object are refused for decisions."""
    r = api.get(f"/v1/cards/{card['id']}/decisions", params={"cursor": cursor})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_cursor"


def test_limit_has_a_maximum(api: Api, card: dict[str, Any]) -> None:
    r = api.get(f"/v1/cards/{card['id']}/audit", params={"limit": 501})
    assert r.status_code == 422
    assert "error" in r.json()
