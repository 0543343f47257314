"""Overseas lock (境外锁, SPEC 3.1): with 0-3 usual overseas places chosen, overseas offline
transactions anywhere else are declined. Hong Kong, Macao and Taiwan are overseas."""

from __future__ import annotations

import pytest

from smartguard.domain.controls.values import OverseasLock
from smartguard.domain.decisions import Outcome, Reason
from tests.builders import (
    atm_withdrawal,
    balance_inquiry,
    card_state,
    judge,
    online_purchase,
    overseas_lock,
    pos_purchase,
    refund,
)

NO_PLACES = card_state(overseas_lock=overseas_lock())
JAPAN_ONLY = card_state(overseas_lock=overseas_lock("JP"))


def test_overseas_lock_without_places_declines_any_overseas_atm_withdrawal():
    decision = judge(atm_withdrawal(country="TH"), NO_PLACES)
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.OVERSEAS_LOCK
    assert decision.verdicts[0].detail == "TH"


def test_overseas_lock_allows_a_usual_overseas_place():
    assert judge(pos_purchase(country="JP"), JAPAN_ONLY).approved


def test_overseas_lock_declines_another_overseas_place():
    assert judge(pos_purchase(country="KR"), JAPAN_ONLY).primary is Reason.OVERSEAS_LOCK


@pytest.mark.parametrize("place", ["HK", "MO", "TW"])
def test_overseas_lock_declines_hong_kong_macao_and_taiwan(place):
    assert judge(atm_withdrawal(country=place), JAPAN_ONLY).primary is Reason.OVERSEAS_LOCK


def test_overseas_lock_allows_hong_kong_when_chosen():
    state = card_state(overseas_lock=overseas_lock("HK", "MO"))
    assert judge(atm_withdrawal(country="HK"), state).approved


def test_overseas_lock_does_not_apply_to_mainland_transactions():
    assert judge(atm_withdrawal(region="CN-GD"), NO_PLACES).approved


def test_overseas_lock_does_not_apply_to_card_not_present_purchases():
    """Online purchases abroad are the overseas card-not-present lock's business."""
    assert judge(online_purchase(country="US"), NO_PLACES).approved


def test_overseas_lock_never_blocks_a_balance_inquiry_abroad():
    assert judge(balance_inquiry(country="US"), NO_PLACES).approved


def test_overseas_lock_never_blocks_a_refund_abroad():
    assert judge(refund(country="US"), NO_PLACES).approved


def test_overseas_lock_off_allows_anywhere():
    state = card_state(overseas_lock=OverseasLock(enabled=False))
    assert judge(atm_withdrawal(country="RU"), state).approved
