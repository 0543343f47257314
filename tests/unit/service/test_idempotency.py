"""Each request takes effect once (SPEC 5): a duplicate (same acquirer, STAN and transmission
time) gets the original answer with no second effect; the same key for a different request
is a conflict (ISO 94)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartguard.domain.decisions import Outcome
from smartguard.errors import IdempotencyConflict
from smartguard.service_layer.authorize import CardRef, authorize
from smartguard.service_layer.protections import set_protection
from tests.builders import (
    atm_withdrawal,
    change,
    cny,
    controls,
    large_purchase,
    pos_purchase,
    region_lock,
)


def test_a_duplicate_gets_the_original_answer_and_is_flagged(world, card):
    req = atm_withdrawal(cny(100))
    first = world.authorize(card, req)
    again = world.authorize(card, req)
    assert again.duplicate is True
    assert again.record == first.record


def test_a_duplicate_moves_no_money_and_counts_nothing_twice(world, card):
    req = atm_withdrawal(cny(100))
    for _ in range(3):
        world.authorize(card, req)
    assert world.balance(card) == cny(9_900)
    used = world.usage(card, "atm_cash")
    assert (used.day_amount, used.day_count) == (cny(100), 1)
    assert len(world.view().tables.authorizations) == 1


def test_a_duplicate_keeps_its_original_answer_after_the_controls_changed(world, card):
    req = atm_withdrawal(cny(100), region="CN-GD")
    first = world.authorize(card, req)
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              region_lock("CN-HA")))
    again = world.authorize(card, req)
    assert again.record.outcome is Outcome.APPROVE
    assert again.record.id == first.record.id


def test_a_duplicate_of_a_decline_is_the_same_decline(world, card):
    req = pos_purchase(cny(20_000))
    first = world.authorize(card, req)
    world.clock.advance(seconds=5)
    again = world.authorize(card, req)
    assert again.record == first.record
    assert again.record.outcome is Outcome.DECLINE


def test_a_duplicate_of_a_verification_opens_no_second_challenge(world):
    card = world.enrol(controls=controls(verification=large_purchase()))
    req = pos_purchase(cny(6_000))
    world.authorize(card, req)
    again = world.authorize(card, req)
    assert again.duplicate
    assert again.challenge is None
    assert len(world.view().challenges.for_card(card.card_id)) == 1


def test_the_same_key_with_a_different_amount_is_a_conflict(world, card):
    req = atm_withdrawal(cny(100))
    world.authorize(card, req)
    with pytest.raises(IdempotencyConflict):
        world.authorize(card, replace(req, amount=cny(200), billing_amount=cny(200)))
    assert world.balance(card) == cny(9_900)


def test_the_same_key_with_a_different_merchant_is_a_conflict(world, card):
    req = pos_purchase(cny(100))
    world.authorize(card, req)
    with pytest.raises(IdempotencyConflict):
        world.authorize(card, replace(req, merchant_id="MER000000000999"))


def test_the_same_key_for_another_card_is_a_conflict(world, card):
    other = world.enrol()
    req = pos_purchase(cny(100))
    world.authorize(card, req)
    with pytest.raises(IdempotencyConflict):
        world.authorize(other, req)
    assert world.balance(other) == cny(10_000)


def test_the_same_key_for_an_unknown_card_is_a_conflict(world, card):
    req = pos_purchase(cny(100))
    world.authorize(card, req)
    with pytest.raises(IdempotencyConflict):
        world.run(authorize, CardRef(pan_hash="unknown-pan-hash"), req)


def test_a_different_stan_is_a_new_request(world, card):
    req = atm_withdrawal(cny(100))
    world.authorize(card, req)
    world.authorize(card, replace(req, stan="999999"))
    assert world.balance(card) == cny(9_800)
