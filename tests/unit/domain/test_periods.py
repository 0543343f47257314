"""Days and months are calendar periods in the cardholder's zone (SPEC 3.4), and a request
adds to the counters of its channel (plus overseas cash and its agreement)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.periods import (
    OVERSEAS_CASH,
    agreement_key,
    counter_keys,
    day_key,
    local_time,
    month_key,
)
from smartguard.domain.transactions import EntryMode, MessageKind, TerminalType
from tests.builders import (
    at,
    atm_transfer,
    atm_withdrawal,
    online_purchase,
    pos_purchase,
    quick_payment,
    request,
)


def periods(instant: str, zone: str) -> tuple[str, str]:
    local = local_time(at(instant), zone)
    return day_key(local), month_key(local)


def test_1630_utc_on_30_november_is_already_1_december_in_shanghai():
    assert periods("2026-11-30T16:30:00Z", "Asia/Shanghai") == ("2026-12-01", "2026-12")


def test_1559_utc_on_30_november_is_still_november_in_shanghai():
    assert periods("2026-11-30T15:59:59Z", "Asia/Shanghai") == ("2026-11-30", "2026-11")


def test_new_year_arrives_in_shanghai_eight_hours_before_utc():
    assert periods("2026-12-31T16:00:00Z", "Asia/Shanghai") == ("2027-01-01", "2027-01")


def test_new_york_day_follows_daylight_saving():
    # 2026-03-09 04:30Z is 00:30 EDT on 9 March (23:30 on the 8th with the winter offset).
    assert periods("2026-03-09T04:30:00Z", "America/New_York")[0] == "2026-03-09"
    # 2026-03-08 04:30Z is 23:30 EST on 7 March.
    assert periods("2026-03-08T04:30:00Z", "America/New_York")[0] == "2026-03-07"


def test_new_york_month_starts_at_local_midnight_in_summer_time():
    # 2026-04-01 04:30Z is 00:30 EDT on 1 April (still March with the winter offset).
    assert periods("2026-04-01T04:30:00Z", "America/New_York") == ("2026-04-01", "2026-04")
    assert periods("2026-04-01T03:59:59Z", "America/New_York") == ("2026-03-31", "2026-03")


def test_london_month_starts_at_local_midnight_in_british_summer_time():
    assert periods("2026-04-30T23:00:00Z", "Europe/London") == ("2026-05-01", "2026-05")
    assert periods("2026-12-31T23:30:00Z", "Europe/London") == ("2026-12-31", "2026-12")


_EIGHT_HOURS = timedelta(hours=8)


@given(st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31),
                    timezones=st.just(UTC)))
def test_shanghai_periods_agree_with_a_fixed_utc_plus_8_reference(instant):
    """Shanghai has had no daylight saving since 1991."""
    reference = (instant + _EIGHT_HOURS).replace(tzinfo=None)
    local = local_time(instant, "Asia/Shanghai")
    assert day_key(local) == reference.strftime("%Y-%m-%d")
    assert month_key(local) == reference.strftime("%Y-%m")


# --- counter keys -----------------------------------------------------------------------

@pytest.mark.parametrize(("req", "keys"), [
    (atm_withdrawal(), ("atm_cash",)),
    (atm_withdrawal(country="JP"), ("atm_cash", OVERSEAS_CASH)),
    (atm_withdrawal(country="HK"), ("atm_cash", OVERSEAS_CASH)),
    (atm_transfer(country="JP"), ("atm_transfer",)),
    (pos_purchase(country="JP"), ("pos",)),
    (online_purchase(), ("online",)),
    (quick_payment("AGR7"), ("online", "agreement:AGR7")),
])
def test_counter_keys_name_the_channel_and_extra_counters(req, keys):
    assert counter_keys(req) == keys


def test_agreement_key_is_prefixed():
    assert agreement_key("AGR7") == "agreement:AGR7"


@given(
    kind=st.sampled_from([MessageKind.PURCHASE, MessageKind.CASH_WITHDRAWAL,
                          MessageKind.TRANSFER]),
    terminal=st.sampled_from(list(TerminalType)),
    present=st.booleans(),
    mode=st.sampled_from(list(EntryMode)),
    country=st.sampled_from(["CN", "HK", "US"]),
    agreement=st.sampled_from([None, "A1"]),
)
def test_counter_keys_always_start_with_the_channel_and_never_repeat(
    kind, terminal, present, mode, country, agreement
):
    req = request(kind, terminal=terminal, card_present=present, entry_mode=mode,
                  country=country, agreement_id=agreement)
    keys = counter_keys(req)
    assert keys[0] == req.channel.value
    assert len(set(keys)) == len(keys)
    assert (OVERSEAS_CASH in keys) == (req.channel.value == "atm_cash" and country != "CN")
    assert (agreement_key("A1") in keys) == (agreement is not None)
