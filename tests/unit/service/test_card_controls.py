"""The controls beyond Smart Guard through their use cases (SPEC 3.12): each change is
audited and alerted, takes effect on the next transaction; a category's cool-down cannot be
skipped; a timed unlock opens and closes by itself with an alert at both ends; alert-only
raises exactly one alert and no decline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import Switch
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.periods import local_time
from smartguard.errors import InvalidState
from smartguard.service_layer import card_controls as cc
from smartguard.service_layer import protections as prot
from tests.builders import (
    atm_withdrawal,
    beijing,
    change,
    cny,
    online_purchase,
    pos_purchase,
    refund,
    region_lock,
)
from tests.unit.service.world import OPERATOR


def sms(world, card):
    """The SMS texts written for the card, oldest first."""
    return [m for m in reversed(world.view().outbox.list(None, "sms", card.card_id, 100))]


def test_a_switched_off_channel_declines_the_next_payment_and_is_audited(world, card):
    world.run(cc.set_switch, card.cardholder, card.card_id, Switch.ATM_CASH, False)
    assert world.authorize(card, atm_withdrawal()).record.verdicts[0].reason \
        is Reason.ATM_CASH_OFF
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert entry.action == "set_controls.switches"
    assert entry.old["atm_cash"] is True and entry.new["atm_cash"] is False
    world.run(cc.set_switch, card.cardholder, card.card_id, Switch.ATM_CASH, True)
    assert world.authorize(card, atm_withdrawal()).record.outcome is Outcome.APPROVE


def test_a_change_of_a_switch_sends_the_security_alert(world, card):
    world.run(cc.set_switch, card.cardholder, card.card_id, Switch.CONTACTLESS, False)
    assert "渠道开关" in sms(world, card)[-1].text


def test_a_category_daily_amount_counts_that_categorys_payments(world, card):
    world.run(cc.set_category, card.cardholder, card.card_id, Category.MONEY_TRANSFER, False,
              cny(500))
    assert world.authorize(card, online_purchase(cny(300), mcc="4829")).record.outcome \
        is Outcome.APPROVE
    second = world.authorize(card, online_purchase(cny(300), mcc="4829")).record
    assert second.verdicts[0].reason is Reason.CATEGORY_LIMIT
    assert world.authorize(card, online_purchase(cny(300), mcc="5411")).record.outcome \
        is Outcome.APPROVE


def test_lifting_a_gambling_block_waits_out_the_cool_down(world, card):
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, True, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, False, None)
    control = world.card(card).controls.categories[Category.GAMBLING]
    assert control.lifts_at == beijing(12) + timedelta(hours=48)
    world.clock.advance(hours=47, minutes=59)
    assert world.authorize(card, online_purchase(mcc="7995")).record.outcome \
        is Outcome.DECLINE
    world.clock.advance(minutes=1)
    assert world.authorize(card, online_purchase(mcc="7995")).record.outcome \
        is Outcome.APPROVE


def test_asking_again_to_lift_does_not_restart_or_skip_the_cool_down(world, card):
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, True, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, False, None)
    world.clock.advance(hours=1)
    world.run(cc.set_category, OPERATOR, card.card_id, Category.GAMBLING, False, None)
    control = world.card(card).controls.categories[Category.GAMBLING]
    assert control.lifts_at == beijing(12) + timedelta(hours=48)


def test_blocking_again_during_the_cool_down_cancels_the_lifting(world, card):
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, True, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, False, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, True, None)
    assert world.card(card).controls.categories[Category.GAMBLING].lifts_at is None


def test_the_cool_down_is_elapsed_time_shown_in_the_cardholders_zone(world):
    card = world.enrol(timezone="America/New_York")
    world.clock.set(beijing(12, date="2026-03-07"))  # Fri 6 March 23:00 in New York, EST
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, True, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.GAMBLING, False, None)
    lifts = world.card(card).controls.categories[Category.GAMBLING].lifts_at
    shown = local_time(lifts, "America/New_York")
    assert lifts - world.clock.now == timedelta(hours=48)
    assert (shown.day, shown.hour) == (9, 0)  # Mon 00:00 EDT: 49 wall-clock hours later


def test_a_category_without_a_cool_down_is_lifted_at_once(world, card):
    world.run(cc.set_category, card.cardholder, card.card_id, Category.ADULT, True, None)
    world.run(cc.set_category, card.cardholder, card.card_id, Category.ADULT, False, None)
    assert Category.ADULT not in world.card(card).controls.categories


def test_a_merchant_blocked_from_a_payment_is_declined_next_time(world, card):
    paid = world.authorize(card, pos_purchase(merchant_id="SHOP1", merchant_name="Shop"))
    world.run(cc.block_merchant_of, card.cardholder, card.card_id, paid.record.id)
    assert world.card(card).controls.merchants.blocked == {"SHOP1": "Shop"}
    again = world.authorize(card, pos_purchase(merchant_id="SHOP1")).record
    assert again.verdicts[0].reason is Reason.MERCHANT_BLOCKED
    assert world.authorize(card, refund(merchant_id="SHOP1")).record.outcome \
        is Outcome.APPROVE


def test_a_merchant_is_in_one_list_at_a_time(world, card):
    world.run(cc.set_merchant, card.cardholder, card.card_id, "SHOP1", "Shop", "blocked")
    world.run(cc.set_merchant, card.cardholder, card.card_id, "SHOP1", "Shop", "allowed")
    m = world.card(card).controls.merchants
    assert (dict(m.blocked), dict(m.allowed)) == ({}, {"SHOP1": "Shop"})


def test_a_merchant_id_over_15_characters_is_refused_and_nothing_changes(world, card):
    with pytest.raises(InvalidInput) as err:
        world.run(cc.set_merchant, card.cardholder, card.card_id, "M" * 16, "", "blocked")
    assert err.value.field == "merchant_id"
    actions = [e.action for e in world.view().audit.for_card(card.card_id, 10)]
    assert actions == ["enrol_card"]


def test_a_timed_unlock_opens_the_region_lock_and_closes_by_itself(world, card):
    world.run(prot.set_protection, card.cardholder, card.card_id,
              change("region_lock", region_lock("CN-HA")))
    world.run(cc.open_unlock, card.cardholder, card.card_id, "region_lock", 30)
    assert "将于" in sms(world, card)[-1].text
    assert world.authorize(card, atm_withdrawal(region="CN-GD")).record.outcome \
        is Outcome.APPROVE
    world.clock.advance(minutes=30)
    assert world.authorize(card, atm_withdrawal(region="CN-GD")).record.outcome \
        is Outcome.DECLINE
    assert world.run(cc.announce_due) == 1
    assert world.card(card).controls.unlocks == ()
    assert "恢复" in sms(world, card)[-1].text
    assert world.run(cc.announce_due) == 0
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.actor, entry.action) == ("system:unlocks", "set_controls.unlocks")


def test_an_unlock_closed_early_alerts_at_once_and_is_not_announced_again(world, card):
    world.run(cc.open_unlock, card.cardholder, card.card_id, "switches.pos", 60)
    world.run(cc.close_unlock, card.cardholder, card.card_id, "switches.pos")
    assert world.card(card).controls.unlocks == ()
    world.clock.advance(hours=2)
    assert world.run(cc.announce_due) == 0
    with pytest.raises(InvalidState):
        world.run(cc.close_unlock, card.cardholder, card.card_id, "switches.pos")


def test_a_new_unlock_of_the_same_target_replaces_the_running_one(world, card):
    world.run(cc.open_unlock, card.cardholder, card.card_id, "night_lock", 60)
    world.run(cc.open_unlock, card.cardholder, card.card_id, "night_lock", 15)
    unlocks = world.card(card).controls.unlocks
    assert len(unlocks) == 1 and unlocks[0].ends_at == world.clock.now + timedelta(minutes=15)


def test_alert_only_raises_exactly_one_alert_and_no_decline(world, card):
    world.run(cc.set_switch, card.cardholder, card.card_id, Switch.POS, False)
    world.run(cc.set_alert_only, card.cardholder, card.card_id, "switches.pos", True)
    before = {m.id for m in world.view().outbox.list(None, None, card.card_id, 100)}
    result = world.authorize(card, pos_purchase(cny(50), merchant_name="Kiosk"))
    assert result.record.outcome is Outcome.APPROVE
    written = [m for m in world.view().outbox.list(None, None, card.card_id, 100)
               if m.id not in before]
    kinds = sorted((m.kind, m.event) for m in written if m.channel == "sms")
    assert kinds == [("balance_change", "balance_change.debit"), ("decline", "alert_only")]
    text = next(m.text for m in written if m.event == "alert_only" and m.channel == "sms")
    assert "ZF" in text and "已放行" in text


def test_an_unknown_alert_only_target_is_refused(world, card):
    with pytest.raises(InvalidInput) as err:
        world.run(cc.set_alert_only, card.cardholder, card.card_id, "categories.nope", True)
    assert err.value.code == "unknown_target"

