"""Channel switches (SPEC 3.12): each channel on or off, all on for a new card; a debit
through a switched-off channel is declined with that switch's own reason (57)."""

from __future__ import annotations

import pytest

from smartguard.domain.controls.spending import Switch, Switches
from smartguard.domain.decisions import Reason
from smartguard.domain.state import Agreement, AgreementStatus
from smartguard.domain.transactions import EntryMode, TerminalType
from tests.builders import (
    atm_transfer,
    atm_withdrawal,
    balance_inquiry,
    beijing,
    card_state,
    judge,
    online_purchase,
    pos_purchase,
    quick_payment,
    refund,
)


def off(*switches: Switch, **kw):
    return card_state(switches=Switches(frozenset(switches)), **kw)


def test_every_channel_is_on_for_a_new_card():
    assert Switches().off == frozenset()
    for req in (atm_withdrawal(), pos_purchase(), online_purchase(),
                online_purchase(country="US"), pos_purchase(country="JP")):
        assert judge(req, card_state()).approved


@pytest.mark.parametrize(("switch", "req", "reason"), [
    (Switch.ATM_CASH, atm_withdrawal(), Reason.ATM_CASH_OFF),
    (Switch.ATM_CASH, atm_withdrawal(terminal=TerminalType.KIOSK), Reason.ATM_CASH_OFF),
    (Switch.POS, pos_purchase(), Reason.POS_OFF),
    (Switch.ONLINE_DOMESTIC, online_purchase(), Reason.ONLINE_DOMESTIC_OFF),
    (Switch.ONLINE_OVERSEAS, online_purchase(country="US"), Reason.ONLINE_OVERSEAS_OFF),
    (Switch.CONTACTLESS, pos_purchase(entry_mode=EntryMode.CONTACTLESS),
     Reason.CONTACTLESS_OFF),
    (Switch.ABROAD, pos_purchase(country="HK"), Reason.ABROAD_OFF),
    (Switch.ABROAD, online_purchase(country="US"), Reason.ABROAD_OFF),
    (Switch.ABROAD, atm_withdrawal(country="JP"), Reason.ABROAD_OFF),
])
def test_a_switched_off_channel_declines_with_its_own_reason(switch, req, reason):
    decision = judge(req, off(switch))
    assert decision.primary is reason
    assert decision.response_code == "57"


def test_quick_payments_switched_off_decline_a_payment_through_an_agreement():
    state = off(Switch.QUICK_PAY, agreement=Agreement("AGR1", AgreementStatus.ACTIVE))
    assert judge(quick_payment("AGR1"), state).primary is Reason.QUICK_PAY_OFF


def test_a_quick_payment_is_not_an_online_payment_for_the_switches():
    state = off(Switch.ONLINE_DOMESTIC, agreement=Agreement("AGR1", AgreementStatus.ACTIVE))
    assert judge(quick_payment("AGR1"), state).approved


@pytest.mark.parametrize("switch", [s for s in Switch if s is not Switch.POS])
def test_a_chip_purchase_at_a_domestic_pos_passes_every_other_switch_off(switch):
    assert judge(pos_purchase(), off(switch)).approved


def test_contactless_off_leaves_a_chip_purchase_at_the_same_till_alone():
    assert judge(pos_purchase(), off(Switch.CONTACTLESS)).approved


def test_online_overseas_off_leaves_domestic_online_payments_alone():
    assert judge(online_purchase(), off(Switch.ONLINE_OVERSEAS)).approved


def test_an_atm_transfer_has_no_switch_of_its_own():
    assert judge(atm_transfer(), off(Switch.ATM_CASH, Switch.POS)).approved


def test_with_several_switches_off_abroad_is_the_primary_reason():
    state = off(Switch.ABROAD, Switch.POS, Switch.CONTACTLESS)
    decision = judge(pos_purchase(country="JP", entry_mode=EntryMode.CONTACTLESS), state)
    assert decision.primary is Reason.ABROAD_OFF
    assert decision.verdicts[0].detail == "JP"


@pytest.mark.parametrize("req", [refund(), balance_inquiry(), refund(country="US",
                                 card_present=False), balance_inquiry(country="JP")])
def test_refunds_and_balance_inquiries_are_never_stopped_by_a_switch(req):
    assert judge(req, off(*Switch)).approved


def test_a_running_travel_exception_for_the_country_opens_the_abroad_switch():
    from smartguard.domain.state import TravelAllowance
    trip = TravelAllowance("JP", beijing(0), beijing(23))
    assert judge(pos_purchase(country="JP"), off(Switch.ABROAD, travel=(trip,))).approved
    assert judge(pos_purchase(country="KR"), off(Switch.ABROAD, travel=(trip,))).primary \
        is Reason.ABROAD_OFF
