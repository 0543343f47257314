"""Changing protections (SPEC 3.1, 3.4, 5): a change takes effect on the next transaction
and is audited with who, when, from where, old and new value; an invalid change (e.g. a
limit above the bank's ceiling) changes nothing and audits nothing."""

from __future__ import annotations

import pytest

from smartguard.domain.cards import StatusAction
from smartguard.domain.controls import values as s
from smartguard.domain.controls.values import Ceilings, ChannelCeiling
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel
from smartguard.errors import Forbidden, InvalidState
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.protections import set_limits, set_protection
from tests.builders import atm_withdrawal, beijing, change, cny, limits, night_lock, region_lock
from tests.unit.service.world import OPERATOR


def test_a_night_lock_switched_on_applies_to_the_next_transaction(world, card):
    world.clock.set(beijing(23, 30))
    assert world.authorize(card, atm_withdrawal()).record.outcome is Outcome.APPROVE
    world.run(set_protection, card.cardholder, card.card_id, change("night_lock", night_lock()))
    record = world.authorize(card, atm_withdrawal()).record
    assert record.verdicts[0].reason is Reason.NIGHT_LOCK


def test_a_lock_switched_off_stops_declining_at_once(world, card):
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              region_lock("CN-HA")))
    assert world.authorize(card, atm_withdrawal(region="CN-BJ")).record.outcome \
        is Outcome.DECLINE
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              s.region_lock(False, [])))
    assert world.authorize(card, atm_withdrawal(region="CN-BJ")).record.outcome \
        is Outcome.APPROVE


def test_a_change_is_audited_with_old_and_new_values(world, card):
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              s.region_lock(True, ["41", "CN-BJ"])))
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.at, entry.actor, entry.channel, entry.action) == (
        world.clock.now, card.cardholder.id, "web", "set_controls.region_lock")
    assert entry.old == {"enabled": False, "places": []}
    assert entry.new == {"enabled": True, "places": ["CN-HA", "CN-BJ"]}


def test_limits_change_is_audited_with_old_and_new_limits(world, card):
    world.run(set_limits, card.cardholder, card.card_id, Channel.ATM_CASH,
              limits(daily_amount=cny(2_000)))
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert entry.action == "set_controls.limits"
    assert entry.old == {}
    assert entry.new == {"atm_cash": {"per_txn": None, "daily_amount": cny(2_000),
                                      "daily_count": None, "monthly_amount": None}}


def test_setting_one_channel_keeps_the_limits_of_the_others(world, card):
    world.run(set_limits, card.cardholder, card.card_id, Channel.ATM_CASH,
              limits(per_txn=cny(1_000)))
    world.run(set_limits, card.cardholder, card.card_id, Channel.POS,
              limits(per_txn=cny(3_000)))
    assert world.card(card).controls.limits == {
        Channel.ATM_CASH: limits(per_txn=cny(1_000)), Channel.POS: limits(per_txn=cny(3_000))}


def test_a_personal_limit_applies_to_the_next_withdrawal(world, card):
    world.run(set_limits, card.cardholder, card.card_id, Channel.ATM_CASH,
              limits(per_txn=cny(1_000)))
    record = world.authorize(card, atm_withdrawal(cny(1_001))).record
    assert record.verdicts[0].detail == "atm_cash.per_txn.personal"


def test_a_limit_above_the_ceiling_changes_nothing_and_audits_nothing(world, card):
    before = world.card(card).controls
    audit_before = len(world.view().tables.audit)
    with pytest.raises(InvalidInput) as err:
        world.run(set_limits, card.cardholder, card.card_id, Channel.ATM_CASH,
                  limits(daily_amount=cny(20_000, 1)))
    assert err.value.field == "limits.atm_cash.daily_amount"
    assert world.card(card).controls == before
    assert len(world.view().tables.audit) == audit_before


def test_limits_are_checked_against_the_ceilings_stored_for_the_product(world, card):
    lower = Ceilings(
        channels={ch: ChannelCeiling(cny(1_000), cny(2_000), 5, cny(10_000)) for ch in Channel},
        atm_cash_overseas_daily=cny(1_000),
    )
    with world.store.uow() as uow:
        uow.ceilings.put("debit_standard", lower, world.clock.now)
        uow.commit()
    with pytest.raises(InvalidInput):
        world.run(set_limits, card.cardholder, card.card_id, Channel.POS,
                  limits(per_txn=cny(1_001)))


def test_an_invalid_region_lock_is_refused_before_anything_changes(world, card):
    with pytest.raises(InvalidInput) as err:
        world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
                  s.region_lock(True, ["CN-HA", "CN-BJ", "CN-SH", "CN-GD"])))
    assert err.value.field == "region_lock.places"
    assert world.card(card).controls.region_lock == s.RegionLock()
    assert all(e.action.startswith("enrol") for e in world.view().tables.audit)


def test_protections_of_a_closed_card_cannot_change(world, card):
    world.run(change_status, OPERATOR, card.card_id, StatusAction.CLOSE)
    with pytest.raises(InvalidState):
        world.run(set_protection, card.cardholder, card.card_id, change("overseas_cnp_lock", True))


def test_a_cardholder_cannot_change_another_cardholders_protections(world, card):
    other = world.enrol()
    with pytest.raises(Forbidden):
        world.run(set_protection, other.cardholder, card.card_id, change("overseas_cnp_lock", True))
    assert world.card(card).controls.overseas_cnp_lock is False


def test_a_protection_change_refuses_a_value_of_another_protection():
    from smartguard.domain.controls import values as v

    with pytest.raises(InvalidInput) as err:
        v.ProtectionChange(v.Protection.NIGHT_LOCK, v.region_lock(True, ["CN-HA"]))
    assert err.value.field == "night_lock"
