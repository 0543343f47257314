"""Overseas card-not-present lock (境外无卡支付锁, SPEC 3.1): card-not-present transactions
at overseas merchants are declined."""

from __future__ import annotations

import pytest

from smartguard.domain.decisions import Reason
from smartguard.domain.state import Agreement, AgreementStatus
from tests.builders import card_state, judge, online_purchase, pos_purchase, quick_payment, refund

CNP_LOCKED = card_state(overseas_cnp_lock=True)


def test_overseas_cnp_lock_declines_an_online_purchase_at_a_us_merchant():
    decision = judge(online_purchase(country="US"), CNP_LOCKED)
    assert decision.primary is Reason.OVERSEAS_CNP_LOCK
    assert decision.verdicts[0].detail == "US"


@pytest.mark.parametrize("place", ["HK", "MO", "TW"])
def test_overseas_cnp_lock_declines_online_purchases_in_hong_kong_macao_taiwan(place):
    assert judge(online_purchase(country=place), CNP_LOCKED).primary \
        is Reason.OVERSEAS_CNP_LOCK


def test_overseas_cnp_lock_allows_a_domestic_online_purchase():
    assert judge(online_purchase(), CNP_LOCKED).approved


def test_overseas_cnp_lock_allows_a_card_present_purchase_abroad():
    assert judge(pos_purchase(country="US"), CNP_LOCKED).approved


def test_overseas_cnp_lock_is_off_by_default():
    assert judge(online_purchase(country="US"), card_state()).approved


def test_overseas_cnp_lock_never_blocks_an_online_refund_abroad():
    assert judge(refund(country="US", card_present=False), CNP_LOCKED).approved


def test_overseas_cnp_lock_declines_an_overseas_quick_payment():
    state = card_state(overseas_cnp_lock=True,
                       agreement=Agreement("AGR1", AgreementStatus.ACTIVE))
    assert judge(quick_payment(country="SG"), state).primary is Reason.OVERSEAS_CNP_LOCK
