"""Funds: a debit above the available balance is declined (ISO 51)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import NightScope, Verification
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.state import Credit
from smartguard.domain.transactions import EntryMode, MessageKind, TerminalType
from tests.builders import (
    beijing,
    card_state,
    cny,
    judge,
    large_purchase,
    night_lock,
    pos_purchase,
    refund,
    request,
)


def test_purchase_of_exactly_the_balance_is_approved():
    assert judge(pos_purchase(cny(300)), card_state(balance=cny(300))).approved


def test_purchase_one_fen_above_the_balance_is_declined_for_insufficient_funds():
    decision = judge(pos_purchase(cny(300, 1)), card_state(balance=cny(300)))
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.INSUFFICIENT_FUNDS
    assert decision.response_code == "51"


def test_funds_are_judged_on_the_billing_amount_in_the_card_currency():
    req = pos_purchase(cny(100), currency="USD", billing_amount=cny(720), country="US")
    assert judge(req, card_state(balance=cny(700))).primary is Reason.INSUFFICIENT_FUNDS


def test_a_refund_to_an_empty_account_is_approved():
    assert judge(refund(cny(50)), card_state(balance=0)).approved


# --- property: never approve a debit above the balance ------------------------------------

_debits = st.builds(
    request,
    kind=st.sampled_from([MessageKind.PURCHASE, MessageKind.CASH_WITHDRAWAL,
                          MessageKind.TRANSFER]),
    amount=st.integers(1, cny(60_000)),
    terminal=st.sampled_from(list(TerminalType)),
    card_present=st.booleans(),
    entry_mode=st.sampled_from(list(EntryMode)),
    country=st.sampled_from(["CN", "HK", "JP", "US"]),
)
_states = st.builds(
    card_state,
    balance=st.integers(0, cny(60_000)),
    verification=st.sampled_from([Verification(), large_purchase(cny(1_000)),
                                  Verification(magstripe=False)]),
    night_lock=st.sampled_from([night_lock(), night_lock(scope=NightScope.ALL)]),
    credit=st.none() | st.just(Credit("chl_1", "MER000000000001", cny(60_000),
                                      beijing(23))),
    status=st.sampled_from([CardStatus.ACTIVE, CardStatus.FROZEN]),
)


@given(req=_debits, state=_states, hour=st.integers(0, 23))
def test_engine_never_approves_a_debit_above_the_balance(req, state, hour):
    decision = judge(req, state, beijing(hour))
    if req.billing_amount > state.balance:
        assert decision.outcome is Outcome.DECLINE
        assert Reason.INSUFFICIENT_FUNDS in decision.reasons
