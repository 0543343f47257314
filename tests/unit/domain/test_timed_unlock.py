"""Timed unlock (SPEC 3.12): a lock or a switch opened for 15 minutes to 24 hours, from its
start (included) to its end (excluded), compared as instants; it closes by itself."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from smartguard.domain.controls import spending as sp
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.decisions import Reason
from smartguard.domain.errors import InvalidInput
from tests.builders import atm_withdrawal, beijing, card_state, judge, online_purchase

NOW = beijing(14)


def opened(name: str, minutes: int = 30, **kw):
    return card_state(unlocks=(sp.unlock(name, NOW, minutes),), **kw)


def test_the_region_lock_opened_for_30_minutes_lets_a_till_in_another_province_through():
    from tests.builders import region_lock
    state = opened("region_lock", region_lock=region_lock("CN-HA"))
    req = atm_withdrawal(region="CN-GD")
    assert judge(req, state, NOW).approved
    assert judge(req, state, NOW + timedelta(minutes=29, seconds=59)).approved


def test_an_unlock_closes_exactly_at_its_end():
    from tests.builders import region_lock
    state = opened("region_lock", region_lock=region_lock("CN-HA"))
    end = NOW + timedelta(minutes=30)
    assert judge(atm_withdrawal(region="CN-GD"), state, end).primary is Reason.REGION_LOCK


def test_an_unlock_is_not_open_before_its_start():
    from tests.builders import region_lock
    state = opened("region_lock", region_lock=region_lock("CN-HA"))
    before = NOW - timedelta(seconds=1)
    assert judge(atm_withdrawal(region="CN-GD"), state, before).primary is Reason.REGION_LOCK


def test_a_switch_can_be_unlocked_and_only_that_switch_opens():
    state = opened("switches.online_overseas",
                   switches=Switches(frozenset({Switch.ONLINE_OVERSEAS, Switch.ABROAD})))
    decision = judge(online_purchase(country="US"), state, NOW)
    assert decision.reasons == (Reason.ABROAD_OFF,)


def test_an_unlock_is_compared_as_an_instant_in_any_zone():
    state = opened("switches.atm_cash", timezone="America/New_York",
                   switches=Switches(frozenset({Switch.ATM_CASH})))
    assert judge(atm_withdrawal(), state, NOW.astimezone(UTC)).approved


@pytest.mark.parametrize("minutes", [14, 1441, 0, -30])
def test_an_unlock_shorter_than_15_minutes_or_longer_than_24_hours_is_refused(minutes):
    with pytest.raises(InvalidInput) as err:
        sp.unlock("region_lock", NOW, minutes)
    assert err.value.field == "minutes"


@pytest.mark.parametrize("minutes", [15, 1440])
def test_an_unlock_of_15_minutes_or_24_hours_is_accepted(minutes):
    u = sp.unlock("night_lock", NOW, minutes)
    assert u.ends_at - u.starts_at == timedelta(minutes=minutes)


def test_a_category_cannot_be_unlocked():
    with pytest.raises(InvalidInput) as err:
        sp.unlock("categories.gambling", NOW, 30)
    assert err.value.code == "unknown_target"


def test_an_unlock_of_another_target_does_not_open_a_category_block():
    state = opened("switches.online_domestic",
                   categories={Category.GAMBLING: CategoryControl(True)})
    assert judge(online_purchase(mcc="7995"), state, NOW).primary is Reason.CATEGORY_BLOCKED
