"""Region lock (地区锁, SPEC 3.1): with 1-3 usual mainland provinces chosen, domestic
offline transactions anywhere else are declined; an unknown region is declined (fail closed).
Hong Kong, Macao and Taiwan are overseas, so the region lock does not apply to them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from smartguard.domain.controls.locks import region_lock as region_rule
from smartguard.domain.controls.values import RegionLock
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.state import TravelAllowance
from tests.builders import (
    atm_transfer,
    atm_withdrawal,
    balance_inquiry,
    beijing,
    card_state,
    judge,
    online_purchase,
    pos_purchase,
    refund,
    region_lock,
)

HENAN_AND_BEIJING = card_state(region_lock=region_lock("CN-HA", "CN-BJ"))


def test_region_lock_declines_atm_withdrawal_in_guangdong_for_a_henan_beijing_card():
    decision = judge(atm_withdrawal(region="CN-GD"), HENAN_AND_BEIJING)
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.REGION_LOCK
    assert decision.verdicts[0].detail == "CN-GD"


def test_region_lock_allows_atm_withdrawal_in_a_usual_province():
    assert judge(atm_withdrawal(region="CN-HA"), HENAN_AND_BEIJING).approved


@pytest.mark.parametrize("build", [atm_withdrawal, atm_transfer, pos_purchase])
def test_region_lock_declines_every_offline_kind_elsewhere(build):
    assert judge(build(region="CN-SH"), HENAN_AND_BEIJING).primary is Reason.REGION_LOCK


def test_region_lock_declines_a_domestic_offline_transaction_with_no_region_fail_closed():
    decision = judge(pos_purchase(region=None), HENAN_AND_BEIJING)
    assert decision.primary is Reason.REGION_LOCK
    assert decision.verdicts[0].detail == "region_unknown"


def test_region_lock_does_not_apply_to_online_purchases():
    assert judge(online_purchase(region="CN-SH"), HENAN_AND_BEIJING).approved


@pytest.mark.parametrize("place", ["HK", "MO", "TW"])
def test_region_lock_does_not_apply_in_hong_kong_macao_or_taiwan(place):
    """They are overseas (境外): only the overseas lock speaks for them."""
    assert judge(atm_withdrawal(country=place), HENAN_AND_BEIJING).approved


def test_region_lock_does_not_apply_abroad():
    assert judge(atm_withdrawal(country="JP"), HENAN_AND_BEIJING).approved


def test_region_lock_never_blocks_a_balance_inquiry_elsewhere():
    assert judge(balance_inquiry(region="CN-SH"), HENAN_AND_BEIJING).approved


def test_region_lock_never_blocks_a_refund_elsewhere():
    assert judge(refund(region="CN-SH"), HENAN_AND_BEIJING).approved


def test_region_lock_off_allows_any_province():
    state = card_state(region_lock=RegionLock(enabled=False, places=("CN-HA",)))
    assert judge(atm_withdrawal(region="CN-XJ"), state).approved


def test_travel_allowance_opens_the_region_lock_for_its_province_while_it_runs():
    now = beijing(12)
    trip = TravelAllowance("CN-YN", now - timedelta(days=1), now + timedelta(days=1))
    state = card_state(region_lock=region_lock("CN-HA"))
    state = replace(state, travel=(trip,))
    assert region_rule(atm_withdrawal(region="CN-YN"), state, now) is None
    assert region_rule(atm_withdrawal(region="CN-YN"), state, now + timedelta(days=2)) \
        is not None
    assert region_rule(atm_withdrawal(region="CN-SC"), state, now) is not None
