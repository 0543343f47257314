"""What a request is (SPEC 2): offline = card present at an ATM, kiosk or POS taking money
out; domestic = merchant country CN; the limit channel; the idempotency key."""

from __future__ import annotations

import pytest

from smartguard.domain.transactions import Channel, MessageKind, TerminalType
from tests.builders import (
    atm_transfer,
    atm_withdrawal,
    balance_inquiry,
    online_purchase,
    pos_purchase,
    refund,
    request,
    reversal_of,
)


@pytest.mark.parametrize("req", [atm_withdrawal(), atm_transfer(), pos_purchase(),
                                 atm_withdrawal(terminal=TerminalType.KIOSK)])
def test_card_present_debits_at_a_terminal_are_offline(req):
    assert req.is_offline


@pytest.mark.parametrize("req", [online_purchase(), balance_inquiry(), refund(),
                                 pos_purchase(card_present=False)])
def test_card_not_present_inquiries_and_refunds_are_not_offline(req):
    assert not req.is_offline


@pytest.mark.parametrize(("req", "channel"), [
    (atm_withdrawal(), Channel.ATM_CASH),
    (atm_withdrawal(terminal=TerminalType.KIOSK), Channel.ATM_CASH),
    (atm_transfer(), Channel.ATM_TRANSFER),
    (pos_purchase(), Channel.POS),
    (online_purchase(), Channel.ONLINE),
    (pos_purchase(card_present=False), Channel.ONLINE),
    (request(MessageKind.CASH_WITHDRAWAL, terminal=TerminalType.POS), Channel.POS),
])
def test_limit_channel_of_a_request(req, channel):
    assert req.channel is channel


@pytest.mark.parametrize(("req", "debit"), [
    (pos_purchase(), True), (atm_withdrawal(), True), (atm_transfer(), True),
    (balance_inquiry(), False), (refund(), False),
])
def test_purchases_withdrawals_and_transfers_are_debits(req, debit):
    assert req.is_debit is debit


def test_idempotency_key_is_acquirer_stan_and_transmission_time():
    req = pos_purchase(acquirer_id="ACQ9", stan="000123", transmission_time="0302120000")
    assert req.idempotency_key == ("ACQ9", "000123", "0302120000")


def test_a_reversal_names_its_original_by_key():
    original = pos_purchase()
    reversal = reversal_of(original)
    assert reversal.original_key == original.idempotency_key
    assert reversal.idempotency_key != original.idempotency_key
