"""Card status (SPEC 1): frozen and blocked cards take no money out; a closed card does
nothing. Balance inquiries and refunds pass a frozen or blocked card (only a closed card
stops them). Status declines carry ISO 62 (restricted card)."""

from __future__ import annotations

import pytest

from smartguard.domain.cards import CardStatus, StatusAction, next_status
from smartguard.domain.decisions import Outcome, Reason
from tests.builders import (
    atm_transfer,
    atm_withdrawal,
    balance_inquiry,
    card_state,
    judge,
    online_purchase,
    pos_purchase,
    refund,
)

DEBITS = [atm_withdrawal, atm_transfer, pos_purchase, online_purchase]


@pytest.mark.parametrize("build", DEBITS)
def test_frozen_card_declines_every_debit(build):
    decision = judge(build(), card_state(status=CardStatus.FROZEN))
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.CARD_FROZEN
    assert decision.response_code == "62"


@pytest.mark.parametrize("build", DEBITS)
def test_blocked_card_declines_every_debit(build):
    decision = judge(build(), card_state(status=CardStatus.BLOCKED))
    assert decision.primary is Reason.CARD_BLOCKED
    assert decision.response_code == "62"


@pytest.mark.parametrize("status", [CardStatus.FROZEN, CardStatus.BLOCKED])
def test_frozen_or_blocked_card_still_answers_a_balance_inquiry(status):
    assert judge(balance_inquiry(), card_state(status=status)).approved


@pytest.mark.parametrize("status", [CardStatus.FROZEN, CardStatus.BLOCKED])
def test_frozen_or_blocked_card_still_takes_a_refund(status):
    assert judge(refund(), card_state(status=status)).approved


@pytest.mark.parametrize("build", [*DEBITS, balance_inquiry, refund])
def test_closed_card_declines_everything(build):
    decision = judge(build(), card_state(status=CardStatus.CLOSED))
    assert decision.primary is Reason.CARD_CLOSED
    assert decision.response_code == "62"


# --- transitions ---------------------------------------------------------------------------

@pytest.mark.parametrize(("current", "action", "expected"), [
    (CardStatus.ACTIVE, StatusAction.FREEZE, CardStatus.FROZEN),
    (CardStatus.FROZEN, StatusAction.UNFREEZE, CardStatus.ACTIVE),
    (CardStatus.ACTIVE, StatusAction.BLOCK, CardStatus.BLOCKED),
    (CardStatus.FROZEN, StatusAction.BLOCK, CardStatus.BLOCKED),
    (CardStatus.BLOCKED, StatusAction.UNBLOCK, CardStatus.ACTIVE),
    (CardStatus.ACTIVE, StatusAction.CLOSE, CardStatus.CLOSED),
    (CardStatus.BLOCKED, StatusAction.CLOSE, CardStatus.CLOSED),
])
def test_allowed_status_transitions(current, action, expected):
    assert next_status(current, action) is expected


def test_cardholder_cannot_unfreeze_a_card_the_bank_blocked():
    assert next_status(CardStatus.BLOCKED, StatusAction.UNFREEZE) is None


def test_cardholder_freeze_cannot_turn_a_blocked_card_into_a_frozen_one():
    """Otherwise the cardholder could unfreeze it next: only an operator lifts a block."""
    assert next_status(CardStatus.BLOCKED, StatusAction.FREEZE) is None


def test_unblock_does_not_apply_to_a_card_the_cardholder_froze():
    assert next_status(CardStatus.FROZEN, StatusAction.UNBLOCK) is None


@pytest.mark.parametrize("action", [StatusAction.FREEZE, StatusAction.UNFREEZE,
                                    StatusAction.BLOCK, StatusAction.UNBLOCK])
def test_a_closed_card_never_comes_back(action):
    assert next_status(CardStatus.CLOSED, action) is None
