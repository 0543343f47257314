"""The check-up and its one-click fixes through the service layer: the report reads the
card's own history and agreements; a fix is applied by the ordinary use cases, so it is
validated and audited like any change, and refused if the settings changed meanwhile."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.state import AgreementStatus
from smartguard.domain.transactions import Channel
from smartguard.errors import Conflict, Forbidden, UnknownFinding
from smartguard.service_layer import agreements as ag
from smartguard.service_layer import checkup
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.context import Actor
from smartguard.service_layer.protections import set_protection
from tests.builders import atm_withdrawal, beijing, change, cny, pos_purchase, region_lock
from tests.unit.service.world import Enrolled, World


def check(world: World, card: Enrolled) -> checkup.CheckUp:
    return checkup.run_check_up(world.view(), world.ctx, card.cardholder, card.card_id)


def fix(world: World, card: Enrolled, finding_id: str):
    checked = check(world, card)
    found = checkup.finding(checked, finding_id)
    return world.run(checkup.apply_fix, card.cardholder, card.card_id, found,
                     checked.card.controls)


def history(world: World, card: Enrolled, days: int = 40) -> None:
    """A purchase at noon in Henan every day for ``days`` days, ending yesterday."""
    today = world.clock.now
    for d in range(days, 0, -1):
        world.clock.set(today - timedelta(days=d))
        world.authorize(card, pos_purchase(cny(60), region="CN-HA"))
    world.clock.set(today)


def test_the_check_up_learns_from_the_cards_recorded_history(world, card):
    history(world, card)
    report = check(world, card).report
    f = report.finding("protection_off.region_lock")
    assert f is not None and f.fix is not None
    assert f.fix.as_dict()["value"] == {"enabled": True, "places": ["CN-HA"]}
    assert report.recommendations.debits == 40


def test_a_protection_fix_is_applied_and_audited_like_any_change(world, card):
    history(world, card)
    fix(world, card, "protection_off.region_lock")
    assert world.card(card).controls.region_lock == region_lock("CN-HA")
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.action, entry.actor, entry.new) == (
        "set_controls.region_lock", card.cardholder.id,
        {"enabled": True, "places": ["CN-HA"]})
    assert check(world, card).report.finding("protection_off.region_lock") is None


def test_a_limits_fix_sets_that_channels_limits(world, card):
    history(world, card)
    fix(world, card, "limit_high.pos")
    assert controls_to_dict(world.card(card).controls)["limits"]["pos"] == {
        "per_txn": cny(100), "daily_amount": cny(100), "daily_count": 3,
        "monthly_amount": cny(2_600)}  # February: 28 x 60 = 1,680 -> x 1.5 -> 2,600


def test_a_freeze_fix_freezes_the_card(world, card):
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              region_lock("CN-HA")))
    world.clock.set(beijing(2, 13))
    world.authorize(card, atm_withdrawal(region="CN-GD"))
    world.clock.set(beijing(12))
    fix(world, card, "lock_declines")
    assert world.card(card).card.status is CardStatus.FROZEN
    assert world.view().audit.for_card(card.card_id, 1)[0].action == "freeze"


def test_an_agreement_fix_suspends_that_agreement(world, card):
    world.clock.set(beijing(12) - timedelta(days=100))
    world.run(ag.register_agreement, Actor("key:p", "api"), CardRef(card_id=card.card_id),
              "AGR1", "Fast Pay Co")
    world.clock.set(beijing(12))
    fix(world, card, "agreement_dormant.AGR1")
    assert world.view().agreements.get("AGR1").status is AgreementStatus.SUSPENDED


def test_a_fix_computed_before_the_settings_changed_is_refused(world, card):
    history(world, card)
    checked = check(world, card)
    found = checkup.finding(checked, "protection_off.region_lock")
    world.run(set_protection, card.cardholder, card.card_id, change("overseas_cnp_lock", True))
    with pytest.raises(Conflict):
        world.run(checkup.apply_fix, card.cardholder, card.card_id, found,
                  checked.card.controls)


def test_an_unknown_or_already_fixed_finding_is_not_found(world, card):
    history(world, card)
    fix(world, card, "protection_off.region_lock")
    with pytest.raises(UnknownFinding):
        fix(world, card, "protection_off.region_lock")
    with pytest.raises(UnknownFinding):
        fix(world, card, "phone_unverified")  # found, but no one-click fix


def test_another_cardholder_gets_no_check_up_of_the_card(world, card):
    other = world.enrol()
    with pytest.raises(Forbidden):
        checkup.run_check_up(world.view(), world.ctx, other.cardholder, card.card_id)


def test_recommendations_say_when_they_are_safe_defaults(world, card):
    recs = checkup.recommendations(world.view(), world.ctx, card.cardholder, card.card_id)
    assert recs.basis.value == "defaults"
    assert recs.limits[Channel.ATM_CASH].value.daily_amount == cny(5_000)


def test_a_cardholders_check_up_covers_each_of_their_cards(world, card):
    checked = checkup.check_up_cardholder(world.view(), world.ctx, card.cardholder,
                                          card.cardholder_id)
    assert [c.card.card.id for c in checked] == [card.card_id]
    other = world.enrol()
    with pytest.raises(Forbidden):
        checkup.check_up_cardholder(world.view(), world.ctx, other.cardholder,
                                    card.cardholder_id)
