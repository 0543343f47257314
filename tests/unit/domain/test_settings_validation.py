"""Validation of protection settings (SPEC 3.1, 3.4): more than 3 places, an unknown
province or country, CN as an overseas place, a limit above the bank's ceiling, an empty
night window: each is a validation error naming the field; nothing is built."""

from __future__ import annotations

from datetime import time

import pytest

from smartguard.domain.controls import values as s
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel
from tests.builders import cny

# --- region lock ---------------------------------------------------------------------------

def test_region_lock_accepts_three_provinces_in_any_accepted_form():
    lock = s.region_lock(True, ["410000", "CN-BJ", "sh"])
    assert lock.enabled
    assert lock.places == ("CN-HA", "CN-BJ", "CN-SH")


def test_region_lock_with_four_places_is_an_error_naming_the_field():
    with pytest.raises(InvalidInput) as err:
        s.region_lock(True, ["CN-HA", "CN-BJ", "CN-SH", "CN-GD"])
    assert err.value.field == "region_lock.places"
    assert err.value.code == "too_many_places"
    assert "3" in err.value.message


def test_region_lock_with_an_unknown_province_is_an_error():
    with pytest.raises(InvalidInput) as err:
        s.region_lock(True, ["CN-HA", "CN-XX"])
    assert err.value.field == "region_lock.places"
    assert err.value.code == "unknown_province"
    assert "CN-XX" in err.value.message


@pytest.mark.parametrize("place", ["HK", "CN-HK", "810000", "MO", "TW", "71"])
def test_hong_kong_macao_taiwan_are_not_region_lock_places(place):
    with pytest.raises(InvalidInput) as err:
        s.region_lock(True, [place])
    assert err.value.code == "unknown_province"
    assert "overseas" in err.value.message.lower()


def test_region_lock_switched_on_needs_at_least_one_province():
    with pytest.raises(InvalidInput) as err:
        s.region_lock(True, [])
    assert err.value.field == "region_lock.places"


def test_region_lock_switched_off_may_keep_no_places():
    assert s.region_lock(False, []) == s.RegionLock(False, ())


def test_repeated_province_is_kept_once():
    assert s.region_lock(True, ["CN-HA", "41"]).places == ("CN-HA",)


# --- overseas lock -------------------------------------------------------------------------

def test_overseas_lock_accepts_zero_places():
    assert s.overseas_lock(True, []) == s.OverseasLock(True, ())


def test_overseas_lock_accepts_hong_kong_macao_and_taiwan():
    assert s.overseas_lock(True, ["hk", "MO", "TW"]).places == ("HK", "MO", "TW")


def test_overseas_lock_with_four_places_is_an_error_naming_the_field():
    with pytest.raises(InvalidInput) as err:
        s.overseas_lock(True, ["JP", "KR", "SG", "TH"])
    assert err.value.field == "overseas_lock.places"
    assert err.value.code == "too_many_places"


def test_cn_is_not_an_overseas_place():
    with pytest.raises(InvalidInput) as err:
        s.overseas_lock(True, ["JP", "CN"])
    assert err.value.field == "overseas_lock.places"
    assert err.value.code == "not_overseas"


def test_an_unknown_country_is_rejected():
    with pytest.raises(InvalidInput) as err:
        s.overseas_lock(True, ["ZZ"])
    assert err.value.code == "unknown_country"
    assert "ZZ" in err.value.message


# --- night lock ----------------------------------------------------------------------------

def test_night_lock_may_cross_midnight():
    lock = s.night_lock(True, time(22), time(6), "all")
    assert (lock.start, lock.end, lock.scope) == (time(22), time(6), s.NightScope.ALL)


def test_night_lock_window_must_not_start_and_end_at_the_same_time():
    with pytest.raises(InvalidInput) as err:
        s.night_lock(True, time(23), time(23))
    assert err.value.field == "night_lock.end"


def test_night_lock_scope_must_be_domestic_or_all():
    with pytest.raises(InvalidInput) as err:
        s.night_lock(True, time(23), time(5), "overseas")
    assert err.value.field == "night_lock.scope"


def test_night_lock_defaults_are_2300_to_0500_domestic_and_off():
    lock = s.NightLock()
    assert (lock.enabled, lock.start, lock.end, lock.scope) == (
        False, time(23), time(5), s.NightScope.DOMESTIC)


# --- verification -------------------------------------------------------------------------

@pytest.mark.parametrize("threshold", [0, -1, 1.5, True])
def test_large_purchase_threshold_must_be_a_positive_whole_number_of_fen(threshold):
    with pytest.raises(InvalidInput) as err:
        s.verification(True, True, threshold)
    assert err.value.field == "verification.large_threshold"


# --- limits under the bank's ceilings -----------------------------------------------------

CEILINGS = s.DEFAULT_CEILINGS


@pytest.mark.parametrize("name", ["per_txn", "daily_amount", "daily_count", "monthly_amount"])
def test_a_limit_equal_to_the_ceiling_is_accepted(name):
    cap = getattr(CEILINGS.channels[Channel.ATM_CASH], name)
    lim = s.ChannelLimits(**{name: cap})
    assert s.channel_limits(Channel.ATM_CASH, lim, CEILINGS) == lim


@pytest.mark.parametrize("name", ["per_txn", "daily_amount", "daily_count", "monthly_amount"])
def test_a_limit_above_the_ceiling_is_an_error_naming_the_field(name):
    cap = getattr(CEILINGS.channels[Channel.POS], name)
    with pytest.raises(InvalidInput) as err:
        s.channel_limits(Channel.POS, s.ChannelLimits(**{name: cap + 1}), CEILINGS)
    assert err.value.field == f"limits.pos.{name}"
    assert err.value.code == "above_ceiling"


def test_atm_cash_daily_limit_above_20000_cny_is_rejected_by_default():
    with pytest.raises(InvalidInput):
        s.channel_limits(Channel.ATM_CASH, s.ChannelLimits(daily_amount=cny(20_000, 1)),
                         CEILINGS)


@pytest.mark.parametrize(("name", "value"), [
    ("per_txn", 0), ("per_txn", -100), ("daily_count", 0), ("daily_amount", 10.5),
    ("daily_count", True),
])
def test_limits_must_be_positive_whole_numbers(name, value):
    with pytest.raises(InvalidInput) as err:
        s.channel_limits(Channel.POS, s.ChannelLimits(**{name: value}), CEILINGS)
    assert err.value.field == f"limits.pos.{name}"


def test_an_unset_limit_means_only_the_ceiling_applies():
    lim = s.ChannelLimits()
    assert s.channel_limits(Channel.ONLINE, lim, CEILINGS) == lim


def test_every_default_ceiling_is_set_for_every_channel():
    for channel in Channel:
        ceiling = CEILINGS.channels[channel]
        for name in ("per_txn", "daily_amount", "daily_count", "monthly_amount"):
            assert isinstance(getattr(ceiling, name), int), (channel, name)
