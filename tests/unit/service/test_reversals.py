"""Reversals (SPEC 3.4, 5): a reversal gives back the balance, amount and count of an
approved authorization exactly once, however often it is repeated; a reversal that arrives
before its original is recorded and applied when the original shows up; a reversal of an
authorization that moved no money has no effect. A reversal is always acknowledged."""

from __future__ import annotations

import pytest

from smartguard.domain.decisions import Outcome
from smartguard.domain.transactions import Channel
from smartguard.service_layer.records import ReversalStatus
from tests.builders import (
    at,
    atm_withdrawal,
    balance_inquiry,
    cny,
    controls,
    limits,
    pos_purchase,
    refund,
    reversal_of,
)


def test_a_reversal_restores_the_balance(world, card):
    req = atm_withdrawal(cny(300))
    world.authorize(card, req)
    result = world.reverse(reversal_of(req))
    assert result.record.status is ReversalStatus.APPLIED
    assert result.record.amount == cny(300)
    assert world.balance(card) == cny(10_000)


def test_a_reversal_gives_back_amount_and_count(world, card):
    req = atm_withdrawal(cny(300))
    world.authorize(card, atm_withdrawal(cny(100)))
    world.authorize(card, req)
    world.reverse(reversal_of(req))
    used = world.usage(card, "atm_cash")
    assert (used.day_amount, used.day_count, used.month_amount) == (cny(100), 1, cny(100))


def test_a_reversal_gives_back_the_overseas_cash_counter(world, card):
    req = atm_withdrawal(cny(300), country="JP")
    world.authorize(card, req)
    world.reverse(reversal_of(req))
    assert world.usage(card, "atm_cash_overseas").day_amount == 0


def test_a_reversed_transaction_frees_its_place_under_the_daily_count(world):
    card = world.enrol(controls=controls(limits={Channel.ATM_CASH: limits(daily_count=1)}))
    req = atm_withdrawal(cny(100))
    world.authorize(card, req)
    assert world.authorize(card, atm_withdrawal()).record.outcome is Outcome.DECLINE
    world.reverse(reversal_of(req))
    assert world.authorize(card, atm_withdrawal()).record.outcome is Outcome.APPROVE


def test_the_original_is_marked_reversed(world, card):
    req = atm_withdrawal(cny(300))
    original = world.authorize(card, req).record
    world.clock.advance(minutes=1)
    world.reverse(reversal_of(req))
    stored = world.view().authorizations.by_key(req.idempotency_key)
    assert stored.id == original.id
    assert stored.reversed_at == world.clock.now


@pytest.mark.parametrize("times", [2, 3, 7])
def test_a_repeated_reversal_applies_only_once(world, card, times):
    req = atm_withdrawal(cny(300))
    world.authorize(card, req)
    reversal = reversal_of(req)
    results = [world.reverse(reversal) for _ in range(times)]
    assert world.balance(card) == cny(10_000)
    assert world.usage(card, "atm_cash").day_count == 0
    assert [r.repeat for r in results] == [False] + [True] * (times - 1)
    assert all(r.record.id == results[0].record.id for r in results)


def test_a_repeat_reversal_with_a_new_stan_applies_only_once(world, card):
    """0401/0421 repeats may carry their own STAN; the original key is what counts."""
    req = atm_withdrawal(cny(300))
    world.authorize(card, req)
    world.reverse(reversal_of(req))
    again = world.reverse(reversal_of(req, repeat=True))
    assert again.repeat
    assert world.balance(card) == cny(10_000)


def test_a_reversal_gives_back_to_the_day_of_the_original(world, card):
    world.clock.set(at("2026-03-02T15:00:00Z"))  # 23:00 on 2 March in Beijing
    req = atm_withdrawal(cny(300))
    world.authorize(card, req)
    world.clock.set(at("2026-03-02T17:00:00Z"))  # 01:00 on 3 March
    world.authorize(card, atm_withdrawal(cny(50)))
    world.reverse(reversal_of(req))
    assert world.usage(card, "atm_cash", at("2026-03-02T15:00:00Z")).day_amount == 0
    assert world.usage(card, "atm_cash").day_amount == cny(50)
    assert world.usage(card, "atm_cash").month_amount == cny(50)


# --- before the original ------------------------------------------------------------------

def test_a_reversal_before_its_original_is_recorded_as_pending(world, card):
    req = atm_withdrawal(cny(300))
    result = world.reverse(reversal_of(req), card)
    assert result.record.status is ReversalStatus.PENDING
    assert result.record.card_id == card.card_id
    assert world.balance(card) == cny(10_000)


def test_a_pending_reversal_without_a_card_is_still_acknowledged(world):
    result = world.reverse(reversal_of(atm_withdrawal(cny(300))))
    assert result.record.status is ReversalStatus.PENDING
    assert result.record.card_id is None


def test_an_original_arriving_after_its_reversal_takes_no_money(world, card):
    req = atm_withdrawal(cny(300))
    world.reverse(reversal_of(req), card)
    record = world.authorize(card, req).record
    assert record.reversed_at is not None
    assert world.balance(card) == cny(10_000)
    assert world.usage(card, "atm_cash").day_count == 0


def test_a_pending_reversal_is_applied_when_its_original_shows_up(world, card):
    req = atm_withdrawal(cny(300))
    world.reverse(reversal_of(req), card)
    original = world.authorize(card, req).record
    pending = world.view().reversals.by_original(req.idempotency_key)
    assert pending.status is ReversalStatus.APPLIED
    assert pending.authorization_id == original.id


def test_a_reversal_repeated_after_the_late_original_does_nothing_more(world, card):
    req = atm_withdrawal(cny(300))
    world.reverse(reversal_of(req), card)
    world.authorize(card, req)
    again = world.reverse(reversal_of(req, repeat=True))
    assert again.repeat
    assert world.balance(card) == cny(10_000)


# --- no money moved -----------------------------------------------------------------------

def test_a_reversal_of_a_declined_authorization_has_no_effect(world, card):
    req = pos_purchase(cny(20_000))
    world.authorize(card, req)
    world.authorize(card, pos_purchase(cny(100)))
    result = world.reverse(reversal_of(req))
    assert result.record.status is ReversalStatus.NO_EFFECT
    assert world.balance(card) == cny(9_900)
    assert world.usage(card, "pos").day_count == 1


def test_a_reversal_of_a_balance_inquiry_has_no_effect(world, card):
    req = balance_inquiry()
    world.authorize(card, req)
    assert world.reverse(reversal_of(req)).record.status is ReversalStatus.NO_EFFECT
    assert world.balance(card) == cny(10_000)


def test_a_reversal_of_a_refund_takes_the_credit_back(world, card):
    req = refund(cny(80))
    world.authorize(card, req)
    world.reverse(reversal_of(req))
    assert world.balance(card) == cny(10_000)


# --- partial reversals (ISO 8583 field 95) --------------------------------------------------

def test_a_partial_reversal_gives_back_only_what_did_not_take_place(world, card):
    req = atm_withdrawal(cny(500))  # the ATM dispensed ¥300 of ¥500
    world.authorize(card, req)
    result = world.reverse(reversal_of(req, actual=cny(300)))
    assert result.record.status is ReversalStatus.APPLIED
    assert result.record.amount == cny(200)
    assert result.record.actual_amount == cny(300)
    assert world.balance(card) == cny(9_700)


def test_a_partial_reversal_keeps_the_count_and_lowers_the_amounts(world, card):
    req = atm_withdrawal(cny(500))
    world.authorize(card, req)
    world.reverse(reversal_of(req, actual=cny(300)))
    used = world.usage(card, "atm_cash")
    assert (used.day_amount, used.day_count, used.month_amount) == (cny(300), 1, cny(300))


def test_a_partially_reversed_transaction_is_not_marked_reversed(world, card):
    req = atm_withdrawal(cny(500))
    world.authorize(card, req)
    world.reverse(reversal_of(req, actual=cny(300)))
    assert world.view().authorizations.by_key(req.idempotency_key).reversed_at is None


def test_a_partial_reversal_repeated_applies_only_once(world, card):
    req = atm_withdrawal(cny(500))
    world.authorize(card, req)
    world.reverse(reversal_of(req, actual=cny(300)))
    again = world.reverse(reversal_of(req, repeat=True, actual=cny(300)))
    assert again.repeat
    assert world.balance(card) == cny(9_700)


@pytest.mark.parametrize("actual", [cny(500), cny(600)])
def test_an_actual_amount_at_or_above_the_original_gives_nothing_back(world, card, actual):
    req = atm_withdrawal(cny(500))
    world.authorize(card, req)
    result = world.reverse(reversal_of(req, actual=actual))
    assert result.record.status is ReversalStatus.NO_EFFECT
    assert world.balance(card) == cny(9_500)
    assert world.usage(card, "atm_cash").day_amount == cny(500)


def test_a_partial_reversal_of_a_refund_takes_back_part_of_the_credit(world, card):
    req = refund(cny(80))
    world.authorize(card, req)
    world.reverse(reversal_of(req, actual=cny(50)))
    assert world.balance(card) == cny(10_050)


def test_a_partial_reversal_before_its_original_lets_the_original_take_the_actual_amount(
        world, card):
    req = atm_withdrawal(cny(500))
    assert world.reverse(reversal_of(req, actual=cny(300)), card).record.status \
        is ReversalStatus.PENDING
    record = world.authorize(card, req).record
    assert record.outcome is Outcome.APPROVE
    assert record.reversed_at is None
    assert record.balance_after == world.balance(card) == cny(9_700)
    used = world.usage(card, "atm_cash")
    assert (used.day_amount, used.day_count) == (cny(300), 1)
    pending = world.view().reversals.by_original(req.idempotency_key)
    assert (pending.status, pending.amount) == (ReversalStatus.APPLIED, cny(200))


def test_a_partial_reversal_of_a_declined_late_original_has_no_effect(world, card):
    req = atm_withdrawal(cny(50_000))  # above the balance: declined
    world.reverse(reversal_of(req, actual=cny(300)), card)
    assert world.authorize(card, req).record.outcome is Outcome.DECLINE
    pending = world.view().reversals.by_original(req.idempotency_key)
    assert pending.status is ReversalStatus.NO_EFFECT
    assert world.balance(card) == cny(10_000)
