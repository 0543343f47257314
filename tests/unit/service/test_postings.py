"""Postings (SPEC 1): core banking reports other balance movements; each posting id is
applied once; reusing an id for another posting is a conflict."""

from __future__ import annotations

import pytest

from smartguard.domain.decisions import Outcome
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import MAX_AMOUNT
from smartguard.domain.transactions import Posting
from smartguard.errors import IdempotencyConflict, UnknownAccount
from smartguard.service_layer.postings import post
from tests.builders import cny, pos_purchase


def test_a_credit_posting_raises_the_balance(world, card):
    record, repeat = world.run(post, Posting("P1", card.account_id, cny(500), "salary"))
    assert repeat is False
    assert record.balance_after == cny(10_500)
    assert world.balance(card) == cny(10_500)


def test_a_debit_posting_lowers_the_balance(world, card):
    world.run(post, Posting("P1", card.account_id, -cny(2_000), "loan repayment"))
    assert world.balance(card) == cny(8_000)


def test_a_repeated_posting_is_applied_once_and_returns_the_first_record(world, card):
    posting = Posting("P1", card.account_id, cny(500), "salary")
    first, _ = world.run(post, posting)
    world.clock.advance(minutes=5)
    again, repeat = world.run(post, posting)
    assert repeat is True
    assert again == first
    assert world.balance(card) == cny(10_500)


def test_reusing_a_posting_id_for_another_amount_is_a_conflict(world, card):
    world.run(post, Posting("P1", card.account_id, cny(500)))
    with pytest.raises(IdempotencyConflict):
        world.run(post, Posting("P1", card.account_id, cny(501)))
    assert world.balance(card) == cny(10_500)


def test_reusing_a_posting_id_for_another_account_is_a_conflict(world, card):
    other = world.enrol()
    world.run(post, Posting("P1", card.account_id, cny(500)))
    with pytest.raises(IdempotencyConflict):
        world.run(post, Posting("P1", other.account_id, cny(500)))
    assert world.balance(other) == cny(10_000)


@pytest.mark.parametrize("amount", [0, MAX_AMOUNT + 1, -(MAX_AMOUNT + 1)])
def test_a_zero_or_oversized_posting_is_invalid(world, card, amount):
    with pytest.raises(InvalidInput) as err:
        world.run(post, Posting("P1", card.account_id, amount))
    assert err.value.field == "amount"
    assert world.view().postings.get("P1") is None


def test_a_posting_to_an_unknown_account_is_refused(world):
    with pytest.raises(UnknownAccount):
        world.run(post, Posting("P1", "acc_nope", cny(5)))


def test_a_posting_lowers_what_a_purchase_may_spend(world, card):
    world.run(post, Posting("P1", card.account_id, -cny(9_950)))
    assert world.authorize(card, pos_purchase(cny(51))).record.outcome is Outcome.DECLINE
    assert world.authorize(card, pos_purchase(cny(50))).record.outcome is Outcome.APPROVE
