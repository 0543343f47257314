"""Step-up verification (SPEC 3.2, 3.3, 3.5): a card-present purchase read by magnetic
stripe or fallback (on by default), and a purchase at or above the large-purchase threshold
(off by default, 5,000.00 CNY), need the cardholder's confirmation. A confirmed challenge
(``state.credit``) lets one retry through."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smartguard.domain.controls.values import DEFAULT_LARGE_THRESHOLD, Verification
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.state import Credit
from smartguard.domain.transactions import EntryMode
from tests.builders import (
    atm_withdrawal,
    beijing,
    card_state,
    cny,
    judge,
    large_purchase,
    magstripe_purchase,
    online_purchase,
    pos_purchase,
)

# --- magnetic stripe (磁条卡消费交易附加验证) -----------------------------------------------

def test_magstripe_purchase_needs_verification_by_default():
    decision = judge(magstripe_purchase(), card_state())
    assert decision.outcome is Outcome.VERIFY
    assert decision.primary is Reason.MAGSTRIPE_VERIFICATION


def test_magstripe_fallback_purchase_needs_verification():
    decision = judge(pos_purchase(entry_mode=EntryMode.MAGSTRIPE_FALLBACK))
    assert decision.outcome is Outcome.VERIFY
    assert decision.primary is Reason.MAGSTRIPE_VERIFICATION


@pytest.mark.parametrize("mode", [EntryMode.CHIP, EntryMode.CONTACTLESS])
def test_chip_and_contactless_purchases_need_no_verification(mode):
    assert judge(pos_purchase(entry_mode=mode)).approved


def test_atm_cash_read_by_magstripe_needs_no_verification():
    """The rule is about purchases only."""
    assert judge(atm_withdrawal(entry_mode=EntryMode.MAGSTRIPE)).approved


def test_magstripe_verification_can_be_switched_off():
    state = card_state(verification=Verification(magstripe=False))
    assert judge(magstripe_purchase(), state).approved


def test_verification_required_answer_has_its_documented_response_code():
    assert judge(magstripe_purchase()).response_code == "1A"


# --- large purchase (借记卡大额消费核实) ------------------------------------------------------

def test_large_purchase_verification_is_off_by_default_with_a_5000_cny_threshold():
    assert Verification().large_purchase is False
    assert Verification().large_threshold == DEFAULT_LARGE_THRESHOLD == cny(5_000)
    assert judge(pos_purchase(cny(9_000))).approved


def test_purchase_exactly_at_the_large_purchase_threshold_needs_verification():
    decision = judge(pos_purchase(cny(5_000)), card_state(verification=large_purchase()))
    assert decision.outcome is Outcome.VERIFY
    assert decision.primary is Reason.LARGE_PURCHASE_VERIFICATION
    assert decision.verdicts[0].detail == str(cny(5_000))


def test_purchase_one_fen_below_the_large_purchase_threshold_needs_none():
    decision = judge(pos_purchase(cny(5_000) - 1), card_state(verification=large_purchase()))
    assert decision.approved


def test_large_purchase_verification_covers_card_not_present_purchases():
    decision = judge(online_purchase(cny(6_000)), card_state(verification=large_purchase()))
    assert decision.primary is Reason.LARGE_PURCHASE_VERIFICATION


def test_large_purchase_is_judged_on_the_amount_in_the_card_currency():
    # 800.00 USD billed as 5,760.00 CNY.
    req = pos_purchase(cny(800), currency="USD", billing_amount=cny(5_760), country="US")
    decision = judge(req, card_state(verification=large_purchase()))
    assert decision.primary is Reason.LARGE_PURCHASE_VERIFICATION


def test_large_atm_withdrawal_needs_no_verification():
    assert judge(atm_withdrawal(cny(5_000)), card_state(verification=large_purchase())).approved


def test_a_personal_threshold_is_honoured():
    state = card_state(verification=large_purchase(threshold=cny(1_000)))
    assert judge(pos_purchase(cny(1_000)), state).outcome is Outcome.VERIFY
    assert judge(pos_purchase(cny(999, 99)), state).approved


def test_magstripe_large_purchase_lists_both_reasons_magstripe_first():
    decision = judge(magstripe_purchase(cny(6_000)), card_state(verification=large_purchase()))
    assert decision.outcome is Outcome.VERIFY
    assert decision.reasons == (Reason.MAGSTRIPE_VERIFICATION,
                                Reason.LARGE_PURCHASE_VERIFICATION)


# --- a confirmed challenge lets a retry through -------------------------------------------------

CREDIT = Credit("chl_1", "MER000000000001", cny(6_000), beijing(12) + timedelta(minutes=10))


def test_confirmed_challenge_credit_approves_the_retry_and_names_the_challenge_used():
    state = card_state(verification=large_purchase(), credit=CREDIT)
    decision = judge(magstripe_purchase(cny(6_000)), state)
    assert decision.outcome is Outcome.APPROVE
    assert decision.challenge_used == "chl_1"
    assert decision.verdicts == ()


def test_credit_does_not_lift_a_decline():
    state = card_state(verification=large_purchase(), credit=CREDIT, balance=cny(100))
    decision = judge(magstripe_purchase(cny(6_000)), state)
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.INSUFFICIENT_FUNDS
    assert decision.challenge_used is None


def test_approval_without_a_credit_uses_no_challenge():
    assert judge(pos_purchase()).challenge_used is None
