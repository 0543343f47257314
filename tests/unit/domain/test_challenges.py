"""Verification challenges (SPEC 3.5): a confirmed, unexpired challenge lets one retry at
the same merchant for at most the confirmed amount through; a pending one is reused for a
retry of the same purchase."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from smartguard.domain.challenges import (
    DEFAULT_VALIDITY,
    Challenge,
    ChallengeStatus,
    open_for,
    usable_credit,
)
from tests.builders import atm_withdrawal, beijing, cny, pos_purchase

NOW = beijing(12)
MERCHANT = "MER000000000001"


def challenge(status=ChallengeStatus.PENDING, amount: int = cny(6_000), merchant=MERCHANT,
              expires_in=DEFAULT_VALIDITY) -> Challenge:
    return Challenge(
        id="chl_1", card_id="card_1", authorization_id="auth_1",
        reason="large_purchase_verification", merchant_id=merchant, merchant_name="Mart",
        amount=amount, currency="CNY", code_hash="h", created_at=NOW,
        expires_at=NOW + expires_in, status=status,
    )


def test_default_validity_is_ten_minutes():
    assert timedelta(minutes=10) == DEFAULT_VALIDITY


def test_a_challenge_expires_at_its_expiry_instant():
    c = challenge()
    assert not c.expired(NOW + DEFAULT_VALIDITY - timedelta(seconds=1))
    assert c.expired(NOW + DEFAULT_VALIDITY)


def test_confirming_records_the_status_and_time():
    answered = challenge().resolve(True, NOW + timedelta(minutes=1))
    assert answered.status is ChallengeStatus.CONFIRMED
    assert answered.resolved_at == NOW + timedelta(minutes=1)


def test_rejecting_records_the_status():
    assert challenge().resolve(False, NOW).status is ChallengeStatus.REJECTED


def test_a_confirmed_challenge_gives_credit_for_the_same_amount_at_the_same_merchant():
    credit = usable_credit([challenge(ChallengeStatus.CONFIRMED)], pos_purchase(cny(6_000)),
                           NOW)
    assert credit is not None
    assert (credit.challenge_id, credit.amount) == ("chl_1", cny(6_000))


def test_a_confirmed_challenge_covers_a_smaller_retry():
    assert usable_credit([challenge(ChallengeStatus.CONFIRMED)], pos_purchase(cny(10)), NOW)


def test_a_confirmed_challenge_does_not_cover_a_larger_retry():
    req = pos_purchase(cny(6_000, 1))
    assert usable_credit([challenge(ChallengeStatus.CONFIRMED)], req, NOW) is None


def test_a_confirmed_challenge_does_not_cover_another_merchant():
    req = pos_purchase(cny(6_000), merchant_id="MER000000000002")
    assert usable_credit([challenge(ChallengeStatus.CONFIRMED)], req, NOW) is None


def test_an_expired_confirmation_gives_no_credit():
    c = challenge(ChallengeStatus.CONFIRMED)
    assert usable_credit([c], pos_purchase(cny(6_000)), c.expires_at) is None


def test_pending_rejected_or_used_challenges_give_no_credit():
    for status in (ChallengeStatus.PENDING, ChallengeStatus.REJECTED, ChallengeStatus.USED):
        assert usable_credit([challenge(status)], pos_purchase(cny(6_000)), NOW) is None


def test_a_confirmed_purchase_challenge_gives_no_credit_to_a_cash_withdrawal():
    req = atm_withdrawal(cny(6_000))
    assert usable_credit([challenge(ChallengeStatus.CONFIRMED)], req, NOW) is None


def test_a_pending_challenge_is_reused_for_the_same_merchant_and_amount():
    c = challenge()
    assert open_for([c], pos_purchase(cny(6_000)), NOW + timedelta(minutes=1)) == c


def test_a_pending_challenge_is_not_reused_for_another_amount():
    assert open_for([challenge()], pos_purchase(cny(5_999)), NOW) is None


def test_an_expired_pending_challenge_is_not_reused():
    c = challenge()
    assert open_for([c], pos_purchase(cny(6_000)), c.expires_at) is None


def test_an_answered_challenge_is_not_reused():
    c = replace(challenge(), status=ChallengeStatus.CONFIRMED)
    assert open_for([c], pos_purchase(cny(6_000)), NOW) is None
