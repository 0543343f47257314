"""Use case authorize (SPEC 2, 3, 3.5): decide with the guard's clock in the cardholder's
zone, then apply the effects of the answer in the same unit of work: an approved debit lowers
the balance and adds to the usage counters; a verification opens (or reuses) a challenge;
a confirmed challenge lets one retry through and is then used up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from smartguard.domain.cards import StatusAction
from smartguard.domain.challenges import ChallengeStatus
from smartguard.domain.controls.values import (
    Ceilings,
    ChannelCeiling,
    Controls,
    Verification,
)
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.periods import OVERSEAS_CASH
from smartguard.domain.state import AgreementStatus
from smartguard.domain.transactions import Channel
from smartguard.errors import UnknownCard
from smartguard.service_layer import authorize as az
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.challenges import answer_challenge
from smartguard.service_layer.records import AgreementRecord
from tests.builders import (
    at,
    atm_withdrawal,
    balance_inquiry,
    beijing,
    cny,
    controls,
    large_purchase,
    limits,
    magstripe_purchase,
    night_lock,
    pos_purchase,
    quick_payment,
    refund,
)
from tests.fakes import everything_stored
from tests.unit.service.world import Enrolled, World

# --- approvals and their effects ------------------------------------------------------------

def test_approved_purchase_lowers_the_balance_by_the_billing_amount(world, card):
    result = world.authorize(card, pos_purchase(cny(100), currency="USD",
                                                billing_amount=cny(720), country="US"))
    assert result.record.outcome is Outcome.APPROVE
    assert world.balance(card) == cny(10_000) - cny(720)
    assert result.record.balance_after == cny(10_000) - cny(720)


def test_approved_purchase_gets_an_approval_code_and_response_code_00(world, card):
    record = world.authorize(card, pos_purchase()).record
    assert record.response_code == "00"
    assert record.approval_code


def test_approved_debit_adds_its_amount_and_count_to_day_and_month_counters(world, card):
    world.authorize(card, atm_withdrawal(cny(300)))
    world.authorize(card, atm_withdrawal(cny(200)))
    used = world.usage(card, "atm_cash")
    assert (used.day_amount, used.day_count, used.month_amount) == (cny(500), 2, cny(500))


def test_overseas_atm_cash_also_counts_toward_the_overseas_cash_counter(world, card):
    world.authorize(card, atm_withdrawal(cny(300), country="HK"))
    assert world.usage(card, OVERSEAS_CASH).day_amount == cny(300)
    assert world.usage(card, "atm_cash").day_amount == cny(300)


def test_declined_debit_changes_neither_balance_nor_counters(world, card):
    result = world.authorize(card, pos_purchase(cny(10_001)))
    assert result.record.outcome is Outcome.DECLINE
    assert result.record.verdicts[0].reason is Reason.INSUFFICIENT_FUNDS
    assert world.balance(card) == cny(10_000)
    assert world.usage(card, "pos").day_count == 0
    assert result.record.approval_code is None


def test_the_answer_is_recorded_with_its_reasons(world, card):
    result = world.authorize(card, pos_purchase(cny(10_001)))
    stored = world.view().authorizations.by_key(result.record.request.idempotency_key)
    assert stored == result.record


def test_balance_inquiry_is_approved_and_moves_nothing(world, card):
    result = world.authorize(card, balance_inquiry())
    assert result.record.outcome is Outcome.APPROVE
    assert result.record.balance_after == cny(10_000)
    assert world.balance(card) == cny(10_000)
    assert result.record.counters == ()


def test_refund_raises_the_balance_and_counts_toward_no_limit(world, card):
    world.authorize(card, refund(cny(50)))
    assert world.balance(card) == cny(10_050)
    assert world.usage(card, "pos").day_count == 0


def test_unknown_card_raises_unknown_card_and_records_nothing(world):
    with pytest.raises(UnknownCard):
        world.run(az.authorize, az.CardRef(pan_hash="no-such-hash"), pos_purchase())
    assert world.view().tables.authorizations == {}


def test_authorize_leaves_the_commit_to_the_caller(world, card):
    with world.store.uow() as uow:
        az.authorize(uow, world.ctx, az.CardRef(pan_hash=card.pan_hash), pos_purchase(cny(100)))
    assert world.balance(card) == cny(10_000)
    assert world.view().tables.authorizations == {}


# --- time: the guard's clock, the cardholder's zone ----------------------------------------

def test_time_is_taken_from_the_guard_clock_not_from_the_terminal(world):
    card = world.enrol(controls=controls(night_lock=night_lock()))
    world.clock.set(beijing(23, 30))
    # The terminal claims noon (field 7); the guard's clock says 23:30 in Beijing.
    result = world.authorize(card, atm_withdrawal(transmission_time="0302120000"))
    assert result.record.verdicts[0].reason is Reason.NIGHT_LOCK
    assert result.record.received_at == beijing(23, 30)


def test_night_lock_is_judged_in_the_cardholders_own_zone(world):
    card = world.enrol(timezone="America/New_York", controls=controls(night_lock=night_lock()))
    world.clock.set(at("2026-03-08T09:30:00Z"))  # 05:30 EDT: outside the window
    assert world.authorize(card, pos_purchase()).record.outcome is Outcome.APPROVE
    world.clock.set(at("2026-03-07T09:30:00Z"))  # 04:30 EST: inside
    assert world.authorize(card, pos_purchase()).record.outcome is Outcome.DECLINE


def test_counters_are_kept_per_local_day_and_month(world):
    card = world.enrol()
    world.clock.set(at("2026-11-30T16:30:00Z"))  # 00:30 on 1 December in Shanghai
    record = world.authorize(card, atm_withdrawal(cny(100))).record
    assert (record.day, record.month) == ("2026-12-01", "2026-12")


def test_a_daily_limit_starts_afresh_at_local_midnight(world):
    card = world.enrol(controls=controls(limits={Channel.ATM_CASH: limits(
        daily_amount=cny(1_000))}))
    world.clock.set(at("2026-11-30T15:59:00Z"))  # 23:59 on 30 November in Shanghai
    assert world.authorize(card, atm_withdrawal(cny(1_000))).record.outcome is Outcome.APPROVE
    assert world.authorize(card, atm_withdrawal(cny(1))).record.outcome is Outcome.DECLINE
    world.clock.set(at("2026-11-30T16:00:00Z"))  # 00:00 on 1 December
    assert world.authorize(card, atm_withdrawal(cny(1_000))).record.outcome is Outcome.APPROVE


def test_a_monthly_limit_starts_afresh_in_the_new_local_month(world):
    card = world.enrol(controls=controls(limits={Channel.POS: limits(
        monthly_amount=cny(1_000))}))
    world.clock.set(at("2026-11-30T15:00:00Z"))  # 23:00 on 30 November in Shanghai
    world.authorize(card, pos_purchase(cny(1_000)))
    assert world.authorize(card, pos_purchase(cny(1))).record.outcome is Outcome.DECLINE
    world.clock.set(at("2026-11-30T16:30:00Z"))  # 00:30 on 1 December
    assert world.authorize(card, pos_purchase(cny(1))).record.outcome is Outcome.APPROVE


def test_new_york_day_limit_follows_local_midnight_across_daylight_saving(world):
    card = world.enrol(timezone="America/New_York", controls=controls(
        limits={Channel.ATM_CASH: limits(daily_amount=cny(1_000))}))
    world.clock.set(at("2026-03-09T03:30:00Z"))  # 23:30 EDT on 8 March
    world.authorize(card, atm_withdrawal(cny(1_000)))
    world.clock.set(at("2026-03-09T04:30:00Z"))  # 00:30 EDT on 9 March (23:30 in EST)
    record = world.authorize(card, atm_withdrawal(cny(1_000))).record
    assert record.outcome is Outcome.APPROVE
    assert record.day == "2026-03-09"


# --- limits, ceilings and agreements from the store -----------------------------------------

def test_the_daily_count_limit_counts_approved_transactions(world):
    card = world.enrol(controls=controls(limits={Channel.ATM_CASH: limits(daily_count=2)}))
    for _ in range(2):
        world.authorize(card, atm_withdrawal(cny(10)))
    record = world.authorize(card, atm_withdrawal(cny(10))).record
    assert record.verdicts[0].reason is Reason.FREQUENCY_LIMIT
    assert record.response_code == "65"


def test_bank_ceilings_stored_for_the_product_replace_the_defaults(world, card):
    low = Ceilings(
        channels={ch: ChannelCeiling(cny(100), cny(1_000), 5, cny(10_000)) for ch in Channel},
        atm_cash_overseas_daily=cny(500),
    )
    with world.store.uow() as uow:
        uow.ceilings.put("debit_standard", low, world.clock.now)
        uow.commit()
    record = world.authorize(card, pos_purchase(cny(101))).record
    assert record.verdicts[0].detail == "pos.per_txn.bank"


def _bind(world: World, card: Enrolled, status=AgreementStatus.ACTIVE, card_id=None,
          daily=None) -> None:
    with world.store.uow() as uow:
        uow.agreements.add(AgreementRecord("AGR1", card_id or card.card_id, "PayCo", status,
                                           world.clock.now, daily_limit=daily))
        uow.commit()


def test_quick_payment_through_an_active_binding_is_approved(world, card):
    _bind(world, card)
    assert world.authorize(card, quick_payment("AGR1")).record.outcome is Outcome.APPROVE


def test_quick_payment_through_a_suspended_binding_is_declined(world, card):
    _bind(world, card, AgreementStatus.SUSPENDED)
    record = world.authorize(card, quick_payment("AGR1")).record
    assert record.verdicts[0].reason is Reason.AGREEMENT_SUSPENDED


def test_quick_payment_through_another_cards_binding_is_unknown(world, card):
    other = world.enrol()
    _bind(world, card, card_id=other.card_id)
    record = world.authorize(card, quick_payment("AGR1")).record
    assert record.verdicts[0].reason is Reason.AGREEMENT_UNKNOWN


def test_an_agreement_daily_limit_counts_that_agreements_payments(world, card):
    _bind(world, card, daily=cny(150))
    assert world.authorize(card, quick_payment("AGR1", cny(100))).record.outcome \
        is Outcome.APPROVE
    record = world.authorize(card, quick_payment("AGR1", cny(100))).record
    assert record.verdicts[0].reason is Reason.AGREEMENT_LIMIT


# --- verification and challenges ------------------------------------------------------------

LARGE = controls(verification=large_purchase())


def test_verification_opens_a_challenge_with_a_six_digit_code_and_ten_minute_expiry(world):
    card = world.enrol(controls=LARGE)
    result = world.authorize(card, pos_purchase(cny(6_000)))
    assert result.record.outcome is Outcome.VERIFY
    assert result.record.response_code == "1A"
    assert result.challenge is not None
    assert re.fullmatch(r"[0-9]{6}", result.challenge.code or "")
    challenge = result.challenge.challenge
    assert challenge.expires_at == world.clock.now + timedelta(minutes=10)
    assert challenge.status is ChallengeStatus.PENDING
    assert result.record.challenge_id == challenge.id


def test_the_challenge_carries_reason_merchant_and_amount(world):
    card = world.enrol(controls=LARGE)
    req = pos_purchase(cny(6_000), merchant_id="MER000000000777", merchant_name="Gold Shop")
    challenge = world.authorize(card, req).challenge.challenge
    stored = world.view().challenges.get(challenge.id)
    assert stored == challenge
    assert (stored.reason, stored.merchant_id, stored.merchant_name, stored.amount,
            stored.currency) == ("large_purchase_verification", "MER000000000777",
                                 "Gold Shop", cny(6_000), "CNY")


def test_the_challenge_code_is_kept_only_as_a_keyed_hash(world):
    card = world.enrol(controls=LARGE)
    result = world.authorize(card, pos_purchase(cny(6_000)))
    code = result.challenge.code
    assert result.challenge.challenge.code_hash == world.ctx.hash_code(code)
    assert code not in everything_stored(world.store)


def test_verification_moves_no_money(world):
    card = world.enrol(controls=LARGE)
    world.authorize(card, pos_purchase(cny(6_000)))
    assert world.balance(card) == cny(10_000)
    assert world.usage(card, "pos").day_count == 0


def test_a_retry_before_the_answer_reuses_the_pending_challenge_without_a_new_code(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    world.clock.advance(minutes=2)
    retry = world.authorize(card, pos_purchase(cny(6_000)))
    assert retry.record.outcome is Outcome.VERIFY
    assert retry.challenge.challenge.id == first.challenge.challenge.id
    assert retry.challenge.code is None
    assert len(world.view().challenges.for_card(card.card_id)) == 1


def test_a_retry_for_another_amount_opens_a_new_challenge(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    other = world.authorize(card, pos_purchase(cny(7_000)))
    assert other.challenge.challenge.id != first.challenge.challenge.id
    assert other.challenge.code is not None


def _confirm(world: World, card: Enrolled, result: az.AuthorizationResult) -> None:
    world.run(answer_challenge, card.cardholder, result.challenge.challenge.id, True,
              result.challenge.code)


def test_a_confirmed_retry_is_approved_once_and_uses_up_the_challenge(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    world.clock.advance(minutes=1)
    retry = world.authorize(card, pos_purchase(cny(6_000)))
    assert retry.record.outcome is Outcome.APPROVE
    assert retry.record.challenge_used == first.challenge.challenge.id
    assert world.view().challenges.get(first.challenge.challenge.id).status \
        is ChallengeStatus.USED
    assert world.balance(card) == cny(4_000)


def test_a_second_retry_after_the_challenge_was_used_needs_verification_again(world):
    card = world.enrol(balance=cny(50_000), controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    world.authorize(card, pos_purchase(cny(6_000)))
    again = world.authorize(card, pos_purchase(cny(6_000)))
    assert again.record.outcome is Outcome.VERIFY
    assert again.challenge.challenge.id != first.challenge.challenge.id
    assert again.challenge.code is not None
    assert world.balance(card) == cny(44_000)


def test_a_confirmed_challenge_covers_a_retry_for_less_at_the_same_merchant(world):
    card = world.enrol(controls=controls(verification=Verification(magstripe=True)))
    first = world.authorize(card, magstripe_purchase(cny(80)))
    _confirm(world, card, first)
    assert world.authorize(card, magstripe_purchase(cny(79))).record.outcome is Outcome.APPROVE


def test_a_confirmed_challenge_does_not_cover_a_larger_retry(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    assert world.authorize(card, pos_purchase(cny(6_001))).record.outcome is Outcome.VERIFY


def test_a_confirmed_challenge_does_not_cover_another_merchant(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    retry = world.authorize(card, pos_purchase(cny(6_000), merchant_id="MER000000000009"))
    assert retry.record.outcome is Outcome.VERIFY


def test_a_confirmation_is_good_only_within_the_validity_window(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    world.clock.advance(minutes=10)
    assert world.authorize(card, pos_purchase(cny(6_000))).record.outcome is Outcome.VERIFY


def test_a_rejected_challenge_lets_nothing_through(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    world.run(answer_challenge, card.cardholder, first.challenge.challenge.id, False)
    assert world.authorize(card, pos_purchase(cny(6_000))).record.outcome is Outcome.VERIFY


def test_a_confirmed_retry_on_a_card_frozen_meanwhile_is_declined_and_keeps_the_credit(world):
    card = world.enrol(controls=LARGE)
    first = world.authorize(card, pos_purchase(cny(6_000)))
    _confirm(world, card, first)
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    retry = world.authorize(card, pos_purchase(cny(6_000)))
    assert retry.record.outcome is Outcome.DECLINE
    assert retry.record.verdicts[0].reason is Reason.CARD_FROZEN
    assert retry.record.challenge_used is None
    assert world.view().challenges.get(first.challenge.challenge.id).status \
        is ChallengeStatus.CONFIRMED
    assert world.balance(card) == cny(10_000)


def test_default_controls_of_an_enrolled_card_are_the_product_defaults(world, card):
    assert world.card(card).controls == Controls()
