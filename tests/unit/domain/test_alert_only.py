"""Alert-only mode (SPEC 3.12): a lock, switch or category in alert-only mode lets the
transaction through; its finding rides along as an alert, never as a decline reason."""

from __future__ import annotations

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.decisions import Outcome, Reason
from tests.builders import (
    atm_withdrawal,
    card_state,
    cny,
    judge,
    magstripe_purchase,
    online_purchase,
    pos_purchase,
    refund,
    region_lock,
)


def test_a_lock_in_alert_only_mode_approves_and_keeps_its_finding_as_an_alert():
    state = card_state(region_lock=region_lock("CN-HA"), alert_only=frozenset({"region_lock"}))
    decision = judge(atm_withdrawal(region="CN-GD"), state)
    assert decision.outcome is Outcome.APPROVE
    assert decision.response_code == "00"
    assert [(v.reason, v.detail) for v in decision.alerts] == [(Reason.REGION_LOCK, "CN-GD")]
    assert decision.verdicts == ()


def test_a_switch_in_alert_only_mode_approves():
    state = card_state(switches=Switches(frozenset({Switch.POS})),
                       alert_only=frozenset({"switches.pos"}))
    decision = judge(pos_purchase(), state)
    assert decision.approved and decision.alerts[0].reason is Reason.POS_OFF


def test_a_category_in_alert_only_mode_approves_for_block_and_amount():
    state = card_state(categories={Category.GAMBLING: CategoryControl(True, cny(1))},
                       alert_only=frozenset({"categories.gambling"}))
    decision = judge(online_purchase(cny(10), mcc="7995"), state)
    assert decision.approved
    assert [v.reason for v in decision.alerts] == [Reason.CATEGORY_BLOCKED,
                                                   Reason.CATEGORY_LIMIT]


def test_a_real_decline_still_declines_beside_an_alert_only_finding():
    state = card_state(region_lock=region_lock("CN-HA"), alert_only=frozenset({"region_lock"}),
                       switches=Switches(frozenset({Switch.ATM_CASH})))
    decision = judge(atm_withdrawal(region="CN-GD"), state)
    assert decision.outcome is Outcome.DECLINE
    assert decision.reasons == (Reason.ATM_CASH_OFF,)
    assert decision.alerts[0].reason is Reason.REGION_LOCK


def test_alert_only_on_one_switch_does_not_soften_another():
    state = card_state(switches=Switches(frozenset({Switch.ABROAD, Switch.POS})),
                       alert_only=frozenset({"switches.abroad"}))
    decision = judge(pos_purchase(country="JP"), state)
    assert decision.outcome is Outcome.DECLINE
    assert decision.reasons == (Reason.POS_OFF,)


def test_alert_only_leaves_verification_as_it_is():
    state = card_state(switches=Switches(frozenset({Switch.POS})),
                       alert_only=frozenset({"switches.pos"}))
    decision = judge(magstripe_purchase(), state)
    assert decision.outcome is Outcome.VERIFY
    assert decision.alerts[0].reason is Reason.POS_OFF


def test_a_refund_raises_no_alert_only_finding():
    state = card_state(switches=Switches(frozenset(Switch)),
                       alert_only=frozenset({"switches.pos"}))
    assert judge(refund(), state).alerts == ()
