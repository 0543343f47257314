"""Card status changes (SPEC 1): the cardholder freezes and unfreezes (authenticated
channel); an operator blocks and unblocks; a cardholder cannot unfreeze a card the bank
blocked. Every change is audited with who, when, from where, old and new value."""

from __future__ import annotations

import pytest

from smartguard.domain.cards import CardStatus, StatusAction
from smartguard.domain.decisions import Outcome, Reason
from smartguard.errors import Forbidden, InvalidState, UnknownCard
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.context import Actor
from tests.builders import balance_inquiry, pos_purchase
from tests.unit.service.world import OPERATOR


def status(world, card) -> CardStatus:
    return world.card(card).card.status


def test_cardholder_freezes_an_active_card(world, card):
    record = world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    assert record.card.status is CardStatus.FROZEN
    assert status(world, card) is CardStatus.FROZEN


def test_freezing_is_audited_with_who_when_where_old_and_new(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.at, entry.actor, entry.channel, entry.action, entry.old, entry.new) == (
        world.clock.now, card.cardholder.id, "web", "freeze", "active", "frozen")
    assert entry.cardholder_id == card.cardholder_id


def test_a_frozen_card_declines_the_next_purchase(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    record = world.authorize(card, pos_purchase()).record
    assert record.verdicts[0].reason is Reason.CARD_FROZEN
    assert record.response_code == "62"


def test_a_frozen_card_still_answers_a_balance_inquiry(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    assert world.authorize(card, balance_inquiry()).record.outcome is Outcome.APPROVE


def test_cardholder_unfreezes_a_frozen_card(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    world.run(change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    assert status(world, card) is CardStatus.ACTIVE
    assert world.authorize(card, pos_purchase()).record.outcome is Outcome.APPROVE


def test_cardholder_cannot_unfreeze_a_card_the_bank_blocked(world, card):
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    audit_before = len(world.view().tables.audit)
    with pytest.raises(InvalidState) as err:
        world.run(change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    assert "bank" in str(err.value)
    assert status(world, card) is CardStatus.BLOCKED
    assert len(world.view().tables.audit) == audit_before


def test_an_operator_unblocks_a_blocked_card(world, card):
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.UNBLOCK)
    assert status(world, card) is CardStatus.ACTIVE


def test_unblocking_gives_back_the_cardholders_freeze(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    record = world.run(change_status, OPERATOR, card.card_id, StatusAction.UNBLOCK)
    assert record.card.status is CardStatus.FROZEN
    assert status(world, card) is CardStatus.FROZEN
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.action, entry.old, entry.new) == ("unblock", "blocked", "frozen")
    assert world.authorize(card, pos_purchase()).record.verdicts[0].reason \
        is Reason.CARD_FROZEN


def test_unblocking_after_a_later_unfreeze_and_block_uses_the_latest_block(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.UNBLOCK)
    world.run(change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    world.run(change_status, OPERATOR, card.card_id, StatusAction.UNBLOCK)
    assert status(world, card) is CardStatus.ACTIVE


def test_a_blocked_card_declines_with_card_blocked(world, card):
    world.run(change_status, OPERATOR, card.card_id, StatusAction.BLOCK)
    assert world.authorize(card, pos_purchase()).record.verdicts[0].reason \
        is Reason.CARD_BLOCKED


def test_a_closed_card_cannot_be_unfrozen(world, card):
    world.run(change_status, OPERATOR, card.card_id, StatusAction.CLOSE)
    with pytest.raises(InvalidState):
        world.run(change_status, card.cardholder, card.card_id, StatusAction.UNFREEZE)
    assert status(world, card) is CardStatus.CLOSED


def test_freezing_a_frozen_card_keeps_it_frozen(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    assert status(world, card) is CardStatus.FROZEN


def test_a_cardholder_cannot_change_another_cardholders_card(world, card):
    other = world.enrol()
    with pytest.raises(Forbidden):
        world.run(change_status, other.cardholder, card.card_id, StatusAction.FREEZE)
    assert status(world, card) is CardStatus.ACTIVE


def test_an_unknown_card_is_reported(world):
    with pytest.raises(UnknownCard):
        world.run(change_status, Actor("operator:bob", "console"), "card_nope",
                  StatusAction.BLOCK)
