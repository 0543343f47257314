"""Night lock (夜间锁, SPEC 3.1): offline transactions inside the cardholder's night window
are declined. Default window 23:00-05:00 in the cardholder's zone; it may cross midnight;
scope domestic (default) or all."""

from __future__ import annotations

from datetime import time

from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.controls.locks import night_lock as night_rule
from smartguard.domain.controls.values import NightLock, NightScope
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.periods import local_time
from tests.builders import (
    at,
    atm_withdrawal,
    balance_inquiry,
    beijing,
    card_state,
    night_lock,
    online_purchase,
    pos_purchase,
    refund,
)
from tests.builders import judge as decide_at

NIGHT = card_state(night_lock=night_lock())  # default window 23:00-05:00, domestic


def test_night_lock_declines_atm_withdrawal_at_2300_beijing():
    decision = decide_at(atm_withdrawal(), NIGHT, beijing(23, 0, 0))
    assert decision.outcome is Outcome.DECLINE
    assert decision.primary is Reason.NIGHT_LOCK


def test_night_lock_allows_atm_withdrawal_at_225959_beijing():
    assert decide_at(atm_withdrawal(), NIGHT, beijing(22, 59, 59)).approved


def test_night_lock_declines_pos_purchase_at_045959_beijing():
    assert decide_at(pos_purchase(), NIGHT, beijing(4, 59, 59)).primary is Reason.NIGHT_LOCK


def test_night_lock_allows_pos_purchase_at_0500_beijing():
    assert decide_at(pos_purchase(), NIGHT, beijing(5, 0, 0)).approved


def test_night_lock_declines_just_after_midnight():
    assert decide_at(pos_purchase(), NIGHT, beijing(0, 0, 0)).primary is Reason.NIGHT_LOCK


def test_night_lock_detail_is_the_local_wall_clock_time():
    decision = decide_at(atm_withdrawal(), NIGHT, beijing(23, 42))
    assert decision.verdicts[0].detail == "23:42"


def test_night_lock_is_off_by_default():
    assert decide_at(atm_withdrawal(), card_state(), beijing(2)).approved


def test_disabled_night_lock_allows_a_withdrawal_inside_its_window():
    state = card_state(night_lock=NightLock(enabled=False))
    assert decide_at(atm_withdrawal(), state, beijing(2)).approved


def test_night_lock_uses_the_guard_clock_not_the_instant_offset_it_was_given_in():
    """The same instant expressed in UTC is still 23:30 in Beijing."""
    assert decide_at(pos_purchase(), NIGHT, at("2026-03-02T15:30:00Z")).primary \
        is Reason.NIGHT_LOCK


# --- a window that does not cross midnight ---------------------------------------------

DAYTIME = card_state(night_lock=night_lock(time(1, 0), time(6, 0)))


def test_window_not_crossing_midnight_declines_at_its_start():
    assert decide_at(pos_purchase(), DAYTIME, beijing(1, 0)).primary is Reason.NIGHT_LOCK


def test_window_not_crossing_midnight_allows_at_its_end():
    assert decide_at(pos_purchase(), DAYTIME, beijing(6, 0)).approved


def test_window_not_crossing_midnight_allows_before_midnight():
    assert decide_at(pos_purchase(), DAYTIME, beijing(23, 30)).approved


# --- scope: domestic (default) or all ----------------------------------------------------

def test_domestic_scope_ignores_an_overseas_withdrawal_at_night():
    assert decide_at(atm_withdrawal(country="JP"), NIGHT, beijing(2)).approved


def test_domestic_scope_ignores_an_online_purchase_at_night():
    assert decide_at(online_purchase(), NIGHT, beijing(2)).approved


def test_all_scope_declines_an_overseas_withdrawal_at_night():
    state = card_state(night_lock=night_lock(scope=NightScope.ALL))
    assert decide_at(atm_withdrawal(country="JP"), state, beijing(2)).primary \
        is Reason.NIGHT_LOCK


def test_all_scope_declines_an_online_purchase_at_night():
    state = card_state(night_lock=night_lock(scope=NightScope.ALL))
    assert decide_at(online_purchase(), state, beijing(2)).primary is Reason.NIGHT_LOCK


def test_night_lock_never_blocks_a_balance_inquiry():
    state = card_state(night_lock=night_lock(scope=NightScope.ALL))
    assert decide_at(balance_inquiry(), state, beijing(2)).approved


def test_night_lock_never_blocks_a_refund():
    state = card_state(night_lock=night_lock(scope=NightScope.ALL))
    assert decide_at(refund(), state, beijing(2)).approved


# --- a home zone with daylight saving ---------------------------------------------------

NEW_YORK = card_state(night_lock=night_lock(), timezone="America/New_York")
LONDON = card_state(night_lock=night_lock(), timezone="Europe/London")


def test_new_york_night_lock_declines_at_0430_local_standard_time():
    # 2026-03-07 09:30Z is 04:30 EST (UTC-5): inside 23:00-05:00.
    assert decide_at(pos_purchase(), NEW_YORK, at("2026-03-07T09:30:00Z")).primary \
        is Reason.NIGHT_LOCK


def test_new_york_night_lock_follows_the_spring_forward():
    # 2026-03-08 09:30Z is 05:30 EDT (UTC-4) after clocks went forward: outside.
    # Judged with the winter offset it would be 04:30 and wrongly declined.
    assert decide_at(pos_purchase(), NEW_YORK, at("2026-03-08T09:30:00Z")).approved


def test_new_york_night_lock_follows_the_fall_back():
    # 2026-11-01 09:30Z is 04:30 EST after clocks went back: inside.
    assert decide_at(pos_purchase(), NEW_YORK, at("2026-11-01T09:30:00Z")).primary \
        is Reason.NIGHT_LOCK


def test_new_york_night_lock_allows_0530_summer_time_before_the_fall_back():
    # 2026-10-31 09:30Z is 05:30 EDT.
    assert decide_at(pos_purchase(), NEW_YORK, at("2026-10-31T09:30:00Z")).approved


def test_london_night_lock_follows_british_summer_time():
    # 2026-03-29 04:30Z is 05:30 BST (clocks went forward at 01:00Z): outside.
    assert decide_at(pos_purchase(), LONDON, at("2026-03-29T04:30:00Z")).approved
    # The day before, 04:30Z is 04:30 GMT: inside.
    assert decide_at(pos_purchase(), LONDON, at("2026-03-28T04:30:00Z")).primary \
        is Reason.NIGHT_LOCK


def test_london_night_lock_starts_at_2300_bst_which_is_2200_utc():
    assert decide_at(pos_purchase(), LONDON, at("2026-07-01T22:00:00Z")).primary \
        is Reason.NIGHT_LOCK
    assert decide_at(pos_purchase(), LONDON, at("2026-07-01T21:59:59Z")).approved


# --- NightLock.covers against a reference ----------------------------------------------

def _seconds(t: time) -> int:
    return t.hour * 3600 + t.minute * 60 + t.second


def _reference_covers(start: time, end: time, t: time) -> bool:
    """Inside [start, end) walking forward round the clock from start."""
    day = 24 * 3600
    return (_seconds(t) - _seconds(start)) % day < (_seconds(end) - _seconds(start)) % day


_times = st.times().map(lambda t: t.replace(microsecond=0))


@given(start=_times, end=_times, t=_times)
def test_covers_agrees_with_a_clock_arithmetic_reference(start, end, t):
    if start == end:
        return  # an empty window is a validation error, never stored
    assert NightLock(True, start, end).covers(t) == _reference_covers(start, end, t)


@given(start=_times, end=_times)
def test_window_includes_its_start_and_excludes_its_end(start, end):
    if start == end:
        return
    lock = NightLock(True, start, end)
    assert lock.covers(start)
    assert not lock.covers(end)


@given(instant=st.datetimes(min_value=beijing(0, date="2020-01-01").replace(tzinfo=None),
                            max_value=beijing(0, date="2030-12-31").replace(tzinfo=None),
                            timezones=st.just(beijing(0).tzinfo)))
def test_rule_declines_exactly_when_the_local_time_is_covered(instant):
    lock = NightLock(True, time(23), time(5))
    local = local_time(instant, "Asia/Shanghai")
    verdict = night_rule(pos_purchase(), card_state(night_lock=lock), local)
    h = local.hour
    assert (verdict is not None) == (h >= 23 or h < 5)
