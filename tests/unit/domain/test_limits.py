"""Personal transaction limits (借记卡交易限额个性化定制, SPEC 3.4): per channel, a
per-transaction amount, daily amount, daily count and monthly amount, each under the bank's
ceiling. Over an amount -> amount_limit (ISO 61); over a count -> frequency_limit (ISO 65)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.controls.limits import amount_limit
from smartguard.domain.controls.values import (
    DEFAULT_CEILINGS,
    Ceilings,
    ChannelCeiling,
    ChannelLimits,
)
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.periods import OVERSEAS_CASH
from smartguard.domain.state import Agreement, AgreementStatus, Usage
from smartguard.domain.transactions import Channel, TerminalType
from tests.builders import (
    atm_transfer,
    atm_withdrawal,
    balance_inquiry,
    beijing,
    card_state,
    cny,
    judge,
    limits,
    online_purchase,
    pos_purchase,
    quick_payment,
    refund,
)

#: Ceilings chosen for these tests (not the product defaults), all generous but distinct.
CEILINGS = Ceilings(
    channels={
        Channel.ATM_CASH: ChannelCeiling(cny(5_000), cny(20_000), 10, cny(100_000)),
        Channel.ATM_TRANSFER: ChannelCeiling(cny(50_000), cny(50_000), 10, cny(500_000)),
        Channel.POS: ChannelCeiling(cny(100_000), cny(100_000), 50, cny(1_000_000)),
        Channel.ONLINE: ChannelCeiling(cny(10_000), cny(10_000), 20, cny(100_000)),
    },
    atm_cash_overseas_daily=cny(10_000),
)


def state(usage: dict[str, Usage] | None = None, **personal: ChannelLimits):
    return card_state(ceilings=CEILINGS, usage=usage,
                      limits={Channel(k): v for k, v in personal.items()})


# --- per transaction ---------------------------------------------------------------------

def test_pos_purchase_equal_to_the_personal_per_transaction_limit_is_approved():
    assert judge(pos_purchase(cny(800)), state(pos=limits(per_txn=cny(800)))).approved


def test_pos_purchase_one_fen_over_the_personal_per_transaction_limit_is_declined():
    decision = judge(pos_purchase(cny(800, 1)), state(pos=limits(per_txn=cny(800))))
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "pos.per_txn.personal"
    assert decision.response_code == "61"


def test_without_a_personal_limit_the_bank_per_transaction_ceiling_applies():
    decision = judge(atm_withdrawal(cny(5_000, 1)), state())
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "atm_cash.per_txn.bank"


def test_a_personal_limit_above_a_since_lowered_ceiling_yields_to_the_ceiling():
    # Stored when the ceiling was higher; the bank has since lowered it to 5,000.
    decision = judge(atm_withdrawal(cny(6_000)), state(atm_cash=limits(per_txn=cny(8_000))))
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "atm_cash.per_txn.bank"


# --- daily amount --------------------------------------------------------------------------

def test_atm_withdrawal_reaching_the_daily_amount_exactly_is_approved():
    s = state({"atm_cash": Usage(cny(1_500), 1, cny(1_500))}, atm_cash=limits(
        daily_amount=cny(2_000)))
    assert judge(atm_withdrawal(cny(500)), s).approved


def test_atm_withdrawal_over_the_daily_amount_is_declined():
    s = state({"atm_cash": Usage(cny(1_500), 1, cny(1_500))}, atm_cash=limits(
        daily_amount=cny(2_000)))
    decision = judge(atm_withdrawal(cny(500, 1)), s)
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "atm_cash.daily_amount.personal"


def test_atm_cash_usage_does_not_count_against_the_atm_transfer_channel():
    s = state({"atm_cash": Usage(cny(2_000), 1, cny(2_000))},
              atm_transfer=limits(daily_amount=cny(2_000)))
    assert judge(atm_transfer(cny(2_000)), s).approved


def test_quick_payments_count_in_the_online_channel():
    s = card_state(ceilings=CEILINGS, usage={"online": Usage(cny(900), 1, cny(900))},
                   limits={Channel.ONLINE: limits(daily_amount=cny(1_000))},
                   agreement=Agreement("AGR1", AgreementStatus.ACTIVE))
    decision = judge(quick_payment("AGR1", cny(101)), s)
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "online.daily_amount.personal"


# --- daily count ---------------------------------------------------------------------------

def test_the_third_withdrawal_of_a_day_with_a_count_of_three_is_approved():
    s = state({"atm_cash": Usage(cny(200), 2, cny(200))}, atm_cash=limits(daily_count=3))
    assert judge(atm_withdrawal(), s).approved


def test_the_fourth_withdrawal_of_a_day_with_a_count_of_three_is_a_frequency_decline():
    s = state({"atm_cash": Usage(cny(300), 3, cny(300))}, atm_cash=limits(daily_count=3))
    decision = judge(atm_withdrawal(), s)
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.FREQUENCY_LIMIT
    assert decision.verdicts[0].detail == "atm_cash.daily_count.personal"
    assert decision.response_code == "65"


def test_the_bank_daily_count_ceiling_applies_without_a_personal_count():
    s = state({"online": Usage(cny(200), 20, cny(200))})
    decision = judge(online_purchase(), s)
    assert decision.primary is Reason.FREQUENCY_LIMIT
    assert decision.verdicts[0].detail == "online.daily_count.bank"


def test_over_both_an_amount_and_a_count_lists_both_with_amount_first():
    s = state({"pos": Usage(cny(1_000), 5, cny(1_000))},
              pos=limits(daily_amount=cny(1_000), daily_count=5))
    decision = judge(pos_purchase(cny(1)), s)
    assert decision.reasons == (Reason.AMOUNT_LIMIT, Reason.FREQUENCY_LIMIT)


# --- monthly amount --------------------------------------------------------------------------

def test_purchase_over_the_monthly_amount_is_declined_though_under_the_daily():
    s = state({"pos": Usage(0, 0, cny(9_950))},
              pos=limits(daily_amount=cny(5_000), monthly_amount=cny(10_000)))
    decision = judge(pos_purchase(cny(51)), s)
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "pos.monthly_amount.personal"


def test_purchase_reaching_the_monthly_amount_exactly_is_approved():
    s = state({"pos": Usage(0, 0, cny(9_950))}, pos=limits(monthly_amount=cny(10_000)))
    assert judge(pos_purchase(cny(50)), s).approved


# --- overseas ATM cash -------------------------------------------------------------------------

def test_default_ceilings_allow_20000_cny_atm_cash_a_day_and_10000_overseas():
    """SPEC 3.4's examples of common Chinese rules."""
    assert DEFAULT_CEILINGS.channels[Channel.ATM_CASH].daily_amount == cny(20_000)
    assert DEFAULT_CEILINGS.atm_cash_overseas_daily == cny(10_000)


def test_overseas_atm_cash_over_the_overseas_daily_ceiling_is_declined():
    s = state({"atm_cash": Usage(cny(9_000), 3, cny(9_000)),
               OVERSEAS_CASH: Usage(cny(9_000), 3, cny(9_000))})
    decision = judge(atm_withdrawal(cny(1_500), country="JP"), s)
    assert decision.primary is Reason.AMOUNT_LIMIT
    assert decision.verdicts[0].detail == "atm_cash_overseas.daily_amount.bank"


def test_overseas_atm_cash_up_to_the_overseas_daily_ceiling_is_approved():
    s = state({"atm_cash": Usage(cny(9_000), 3, cny(9_000)),
               OVERSEAS_CASH: Usage(cny(9_000), 3, cny(9_000))})
    assert judge(atm_withdrawal(cny(1_000), country="JP"), s).approved


def test_domestic_cash_does_not_use_up_the_overseas_allowance():
    s = state({"atm_cash": Usage(cny(12_000), 3, cny(12_000))})
    assert judge(atm_withdrawal(cny(5_000), country="HK"), s).approved


def test_domestic_atm_cash_is_not_held_to_the_overseas_ceiling():
    s = state({"atm_cash": Usage(cny(12_000), 3, cny(12_000)),
               OVERSEAS_CASH: Usage(cny(10_000), 2, cny(10_000))})
    assert judge(atm_withdrawal(cny(1_000)), s).approved


def test_kiosk_cash_withdrawal_is_held_to_the_atm_cash_limits():
    s = state(atm_cash=limits(per_txn=cny(100)))
    decision = judge(atm_withdrawal(cny(101), terminal=TerminalType.KIOSK), s)
    assert decision.verdicts[0].detail == "atm_cash.per_txn.personal"


# --- what limits never touch ---------------------------------------------------------------------

def test_limits_never_block_a_refund():
    s = state({"pos": Usage(cny(1_000), 5, cny(1_000))},
              pos=limits(per_txn=cny(1), daily_amount=cny(1_000), daily_count=5))
    assert judge(refund(cny(50_000)), s).approved


def test_limits_never_block_a_balance_inquiry():
    s = state({"atm_cash": Usage(cny(20_000), 10, cny(20_000))})
    assert judge(balance_inquiry(), s, beijing(9)).approved


# --- property: the amount rule against a reference ------------------------------------------------

_amounts = st.integers(min_value=1, max_value=cny(30_000))
_maybe = st.none() | _amounts


@given(amount=_amounts, day=st.integers(0, cny(30_000)), month=st.integers(0, cny(300_000)),
       per_txn=_maybe, daily=_maybe, monthly=_maybe)
def test_amount_rule_declines_exactly_when_some_effective_limit_is_passed(
    amount, day, month, per_txn, daily, monthly
):
    ceiling = CEILINGS.channels[Channel.ATM_CASH]

    def effective(personal, cap):
        return cap if personal is None else min(personal, cap)

    s = state({"atm_cash": Usage(day, 1, month)},
              atm_cash=ChannelLimits(per_txn, daily, None, monthly))
    over = (
        amount > effective(per_txn, ceiling.per_txn)
        or day + amount > effective(daily, ceiling.daily_amount)
        or month + amount > effective(monthly, ceiling.monthly_amount)
    )
    verdict = amount_limit(atm_withdrawal(amount), s, beijing(12))
    assert (verdict is not None) == over
