"""Authorizations, reversals and postings through the real HTTP app."""

from __future__ import annotations

from typing import Any

from tests.conftest import Clock
from tests.e2e.conftest import OTHER_PAN, PAN, Api


def balance(api: Api, card: dict[str, Any]) -> int:
    value: int = api.get(f"/v1/cards/{card['id']}").json()["account"]["balance"]
    return value


def test_approved_purchase_lowers_the_balance(api: Api, card: dict[str, Any]) -> None:
    r = api.authorize(amount=12_345)
    assert r.status_code == 200
    body = r.json()
    assert body["outcome"] == "approve"
    assert body["response_code"] == "00"
    assert len(body["approval_code"]) == 6
    assert body["balance"] == 1_000_000 - 12_345
    assert balance(api, card) == 1_000_000 - 12_345


def test_decline_is_an_answer_with_reason_and_code(api: Api, card: dict[str, Any]) -> None:
    r = api.authorize(amount=2_000_000)
    assert r.status_code == 200
    assert r.json()["outcome"] == "decline"
    assert r.json()["response_code"] == "51"
    assert r.json()["primary_reason"] == "insufficient_funds"


def test_authorize_by_card_id_instead_of_pan(api: Api, card: dict[str, Any]) -> None:
    r = api.authorize(pan=None, card_id=card["id"], amount=100)
    assert r.status_code == 200, r.text
    assert r.json()["outcome"] == "approve"


def test_duplicate_returns_the_original_answer_without_a_second_effect(
    api: Api, card: dict[str, Any]
) -> None:
    first = api.authorize(stan="000777", amount=5_000).json()
    again = api.authorize(stan="000777", amount=5_000).json()
    assert again["duplicate"] is True
    assert again["authorization_id"] == first["authorization_id"]
    assert again["approval_code"] == first["approval_code"]
    assert balance(api, card) == 1_000_000 - 5_000


def test_same_key_with_different_amount_is_a_conflict(api: Api, card: dict[str, Any]) -> None:
    api.authorize(stan="000778", amount=5_000)
    r = api.authorize(stan="000778", amount=6_000)
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "idempotency_conflict"
    assert balance(api, card) == 1_000_000 - 5_000


def test_same_key_with_a_different_card_is_a_conflict(api: Api, card: dict[str, Any]) -> None:
    api.enrol(pan=OTHER_PAN, phone="+8613800000002")
    api.authorize(stan="000779", amount=5_000)
    r = api.authorize(pan=OTHER_PAN, stan="000779", amount=5_000)
    assert r.status_code == 409


def _reverse(api: Api, stan: str, original_stan: str, **extra: Any) -> Any:
    return api.post("/v1/reversals", {
        "acquirer_id": "10000001", "stan": stan, "transmission_time": "1125120500",
        "original": {"acquirer_id": "10000001", "stan": original_stan,
                     "transmission_time": "1125120000"}, **extra}, role="processor")


def test_a_partial_reversal_gives_back_only_the_difference(
    api: Api, card: dict[str, Any]
) -> None:
    api.authorize(stan="000110", amount=50_000)
    r = _reverse(api, "000111", "000110", actual_amount=30_000)
    assert (r.json()["status"], r.json()["given_back"]) == ("applied", 20_000)
    assert balance(api, card) == 1_000_000 - 30_000
    bad = _reverse(api, "000112", "000110", actual_amount=-1)
    assert bad.status_code == 422
    assert balance(api, card) == 1_000_000 - 30_000
    listed = api.get(f"/v1/cards/{card['id']}/decisions").json()["items"][0]["reversal"]
    assert (listed["partial"], listed["given_back"], listed["actual_amount"]) == \
        (True, 20_000, 30_000)


def test_reversal_restores_balance_once_however_often_repeated(
    api: Api, card: dict[str, Any]
) -> None:
    api.authorize(stan="000100", amount=30_000)
    first = _reverse(api, "000101", "000100")
    assert first.json()["status"] == "applied"
    for stan in ("000101", "000102", "000103"):
        again = _reverse(api, stan, "000100")
        assert again.status_code == 200
        assert again.json()["repeat"] is True
    assert balance(api, card) == 1_000_000


def test_reversal_gives_back_the_daily_count(api: Api, card: dict[str, Any]) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/limits/pos", {"daily_count": 1})
    api.authorize(stan="000200", amount=1_000)
    assert api.authorize(stan="000201", amount=1_000).json()["primary_reason"] == \
        "frequency_limit"
    _reverse(api, "000202", "000200")
    assert api.authorize(stan="000203", amount=1_000).json()["outcome"] == "approve"


def test_reversal_before_its_original_is_applied_when_the_original_arrives(
    api: Api, card: dict[str, Any]
) -> None:
    early = _reverse(api, "000301", "000300")
    assert early.json()["status"] == "pending"
    late = api.authorize(stan="000300", amount=40_000)
    assert late.status_code == 200
    assert balance(api, card) == 1_000_000
    decisions = api.get(f"/v1/cards/{card['id']}/decisions").json()["items"]
    assert decisions[0]["reversed_at"] is not None


def test_reversal_of_a_declined_authorization_has_no_effect(
    api: Api, card: dict[str, Any]
) -> None:
    api.authorize(stan="000400", amount=5_000_000)
    r = _reverse(api, "000401", "000400")
    assert r.json()["status"] == "no_effect"
    assert balance(api, card) == 1_000_000


def test_posting_moves_the_balance_once(api: Api, card: dict[str, Any]) -> None:
    body = {"posting_id": "core-1", "account_id": card["account"]["id"], "amount": 250_000,
            "description": "salary"}
    first = api.post("/v1/postings", body, role="processor")
    again = api.post("/v1/postings", body, role="processor")
    assert first.json()["balance"] == 1_250_000
    assert again.json()["duplicate"] is True
    assert balance(api, card) == 1_250_000


def test_refund_raises_the_balance_even_when_locks_are_on(
    api: Api, card: dict[str, Any]
) -> None:
    api.put(f"/v1/cards/{card['id']}/controls/region_lock",
            {"enabled": True, "places": ["CN-HA"]})
    r = api.authorize(kind="refund", amount=7_000, region="CN-GD")
    assert r.json()["outcome"] == "approve"
    assert balance(api, card) == 1_007_000


def test_magstripe_purchase_needs_verification_then_retry_is_approved_once(
    api: Api, card: dict[str, Any], clock: Clock
) -> None:
    first = api.authorize(entry_mode="magstripe", amount=30_000).json()
    assert first["outcome"] == "verification_required"
    assert first["response_code"] == "1A"
    challenge = first["challenge"]["id"]
    confirmed = api.post(f"/v1/challenges/{challenge}/confirm", role="cardholder_app")
    assert confirmed.json()["status"] == "confirmed"
    retry = api.authorize(entry_mode="magstripe", amount=30_000).json()
    assert retry["outcome"] == "approve"
    third = api.authorize(entry_mode="magstripe", amount=30_000).json()
    assert third["outcome"] == "verification_required"


def test_confirmed_challenge_does_not_cover_a_larger_amount(
    api: Api, card: dict[str, Any]
) -> None:
    first = api.authorize(entry_mode="magstripe", amount=30_000).json()
    api.post(f"/v1/challenges/{first['challenge']['id']}/confirm", role="cardholder_app")
    bigger = api.authorize(entry_mode="magstripe", amount=30_001).json()
    assert bigger["outcome"] == "verification_required"


def test_challenge_expires_after_ten_minutes(
    api: Api, card: dict[str, Any], clock: Clock
) -> None:
    first = api.authorize(entry_mode="magstripe", amount=30_000).json()
    clock.set_local("2026-11-25T12:10:00")
    r = api.post(f"/v1/challenges/{first['challenge']['id']}/confirm", role="cardholder_app")
    assert r.status_code == 409
    assert "expired" in r.json()["error"]["message"]


def test_rejected_challenge_does_not_let_the_retry_through(
    api: Api, card: dict[str, Any]
) -> None:
    first = api.authorize(entry_mode="magstripe", amount=30_000).json()
    api.post(f"/v1/challenges/{first['challenge']['id']}/reject", role="cardholder_app")
    assert api.authorize(entry_mode="magstripe", amount=30_000).json()["outcome"] == \
        "verification_required"


def test_unknown_card_is_404_with_a_code(api: Api, card: dict[str, Any]) -> None:
    from smartguard.domain.pan import with_check_digit

    r = api.authorize(pan=with_check_digit("400000000000000"))
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "unknown_card"
    assert PAN not in r.text
