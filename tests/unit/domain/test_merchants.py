"""Merchants (SPEC 3.12): a blocked merchant is declined; an allowed merchant passes every
lock and switch (a recurring bill while the overseas card-not-present lock is on), never a
merchant block, a category, a limit or funds."""

from __future__ import annotations

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Merchants, Switch, Switches
from smartguard.domain.decisions import Reason
from smartguard.domain.transactions import EntryMode
from tests.builders import (
    atm_withdrawal,
    beijing,
    card_state,
    cny,
    judge,
    night_lock,
    online_purchase,
    pos_purchase,
    refund,
    region_lock,
)

BILL = "NETFLIX0000001"


def test_a_blocked_merchant_is_declined_with_its_own_reason():
    state = card_state(merchants=Merchants(blocked={"MER000000000001": "Test Mart"}))
    decision = judge(pos_purchase(), state)
    assert decision.primary is Reason.MERCHANT_BLOCKED
    assert decision.response_code == "57"
    assert judge(pos_purchase(merchant_id="OTHER"), state).approved


def test_a_blocked_merchant_may_still_refund():
    state = card_state(merchants=Merchants(blocked={"MER000000000001": "Test Mart"}))
    assert judge(refund(), state).approved


def test_an_allowed_merchant_passes_the_overseas_card_not_present_lock():
    state = card_state(overseas_cnp_lock=True, merchants=Merchants(allowed={BILL: "Netflix"}))
    bill = online_purchase(country="US", merchant_id=BILL,
                           entry_mode=EntryMode.CREDENTIAL_ON_FILE)
    assert judge(bill, state).approved
    assert judge(online_purchase(country="US"), state).primary is Reason.OVERSEAS_CNP_LOCK


def test_an_allowed_merchant_passes_locks_and_switches():
    state = card_state(region_lock=region_lock("CN-HA"), night_lock=night_lock(),
                       switches=Switches(frozenset({Switch.ATM_CASH})),
                       merchants=Merchants(allowed={"MER000000000001": "Bank ATM"}))
    assert judge(atm_withdrawal(region="CN-GD"), state, beijing(23, 30)).approved


def test_the_allow_list_never_opens_a_category_a_limit_funds_or_the_card_status():
    allowed = Merchants(allowed={"MER000000000001": "Casino"})
    gambling = card_state(merchants=allowed, categories={Category.GAMBLING:
                                                         CategoryControl(True)})
    assert judge(pos_purchase(mcc="7995"), gambling).primary is Reason.CATEGORY_BLOCKED
    poor = card_state(merchants=allowed, balance=cny(10))
    assert judge(pos_purchase(cny(100)), poor).primary is Reason.INSUFFICIENT_FUNDS
    frozen = card_state(merchants=allowed, status=CardStatus.FROZEN)
    assert judge(pos_purchase(), frozen).primary is Reason.CARD_FROZEN
