"""Travel exceptions (出行例外): a temporary allowance opens the region lock for one
province, or the overseas lock for one country, from its start instant (included) to its
end instant (excluded), judged as instants whatever the zones involved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from smartguard.domain.alerts import AlertKind, Recipient
from smartguard.domain.decisions import Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.state import TravelAllowance
from smartguard.domain.travel import (
    PlaceKind,
    TravelEvent,
    plan_travel,
    to_instant,
    travel_alert,
    travel_place,
)
from tests.builders import (
    atm_withdrawal,
    beijing,
    card_state,
    judge,
    online_purchase,
    overseas_lock,
    pos_purchase,
    region_lock,
)

NEW_YORK = ZoneInfo("America/New_York")


def trip(place: str, start: datetime, end: datetime):
    return (TravelAllowance(place, start, end),)


# --- the locks honour an allowance, at the right instants ---------------------------------

def test_an_allowance_opens_the_region_lock_for_its_province_while_it_runs():
    state = card_state(region_lock=region_lock("CN-HA"),
                       travel=trip("CN-HI", beijing(8), beijing(20)))
    assert judge(pos_purchase(region="CN-HI"), state, beijing(12)).approved
    assert judge(pos_purchase(region="CN-GD"), state, beijing(12)).primary is \
        Reason.REGION_LOCK


def test_an_allowance_opens_at_its_start_instant_and_closes_at_its_end_instant():
    state = card_state(region_lock=region_lock("CN-HA"),
                       travel=trip("CN-HI", beijing(8), beijing(20)))
    req = pos_purchase(region="CN-HI")
    assert not judge(req, state, beijing(7, 59, 59)).approved
    assert judge(req, state, beijing(8)).approved
    assert judge(req, state, beijing(19, 59, 59)).approved
    assert judge(req, state, beijing(20)).primary is Reason.REGION_LOCK


def test_an_allowance_opens_the_overseas_lock_for_its_country():
    state = card_state(overseas_lock=overseas_lock("JP"),
                       travel=trip("TH", beijing(0), beijing(23)))
    assert judge(atm_withdrawal(country="TH", region=None), state, beijing(12)).approved
    assert judge(atm_withdrawal(country="VN", region=None), state,
                 beijing(12)).primary is Reason.OVERSEAS_LOCK


def test_an_allowance_does_not_open_the_overseas_card_not_present_lock():
    state = card_state(overseas_cnp_lock=True, travel=trip("TH", beijing(0), beijing(23)))
    decision = judge(online_purchase(country="TH", region=None), state, beijing(12))
    assert decision.primary is Reason.OVERSEAS_CNP_LOCK


def test_the_same_instant_is_judged_the_same_for_a_cardholder_in_another_zone():
    # An allowance 08:00-20:00 Beijing time (00:00-12:00 UTC), for a cardholder in New York.
    state = card_state(timezone="America/New_York", region_lock=region_lock("CN-HA"),
                       travel=trip("CN-HI", beijing(8), beijing(20)))
    req = pos_purchase(region="CN-HI")
    assert judge(req, state, datetime(2026, 3, 1, 23, 59, tzinfo=UTC)).primary is \
        Reason.REGION_LOCK
    assert judge(req, state, datetime(2026, 3, 2, 0, 0, tzinfo=UTC)).approved
    assert judge(req, state, datetime(2026, 3, 2, 11, 59, tzinfo=UTC)).approved
    assert judge(req, state, datetime(2026, 3, 2, 12, 0, tzinfo=UTC)).primary is \
        Reason.REGION_LOCK


def test_an_allowance_ending_in_the_repeated_hour_closes_at_its_instant_not_its_wall_clock():
    # New York falls back on 2026-11-01: 01:00-02:00 happens twice (EDT, then EST).
    end = datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK)  # 01:30 EDT, the first time
    state = card_state(timezone="America/New_York", overseas_lock=overseas_lock(),
                       travel=trip("US", end - timedelta(days=3), end))
    req = pos_purchase(country="US", region=None)
    first_0115 = datetime(2026, 11, 1, 5, 15, tzinfo=UTC)  # 01:15 EDT: before the end
    second_0115 = datetime(2026, 11, 1, 6, 15, tzinfo=UTC)  # 01:15 EST: an hour after it
    assert judge(req, state, first_0115).approved
    assert judge(req, state, second_0115).primary is Reason.OVERSEAS_LOCK


def test_an_allowance_needs_aware_instants():
    with pytest.raises(ValueError, match="aware"):
        TravelAllowance("CN-HI", datetime(2026, 3, 1), datetime(2026, 3, 2))


# --- planning one ----------------------------------------------------------------------------

NOW = beijing(12)


@pytest.mark.parametrize(("raw", "place", "kind"), [
    ("CN-GD", "CN-GD", PlaceKind.REGION), ("440000", "CN-GD", PlaceKind.REGION),
    ("cn-sh", "CN-SH", PlaceKind.REGION), ("JP", "JP", PlaceKind.OVERSEAS),
    ("hk", "HK", PlaceKind.OVERSEAS), ("CN-HK", "HK", PlaceKind.OVERSEAS),
    ("SH", "SH", PlaceKind.OVERSEAS),  # Saint Helena; Shanghai is CN-SH
])
def test_places_are_provinces_with_cn_prefix_or_numbers_and_otherwise_countries(raw, place,
                                                                                kind):
    assert travel_place(raw) == (place, kind)


@pytest.mark.parametrize(("raw", "code"), [
    ("CN", "province_required"), ("CN-XX", "unknown_province"), ("ZZ", "unknown_place"),
    ("990000", "unknown_province"),
])
def test_unknown_places_are_refused(raw, code):
    with pytest.raises(InvalidInput) as err:
        travel_place(raw)
    assert err.value.code == code and err.value.field == "place"


def test_wall_clock_times_are_in_the_cardholders_zone():
    plan = plan_travel("JP", datetime(2026, 3, 10, 8), datetime(2026, 3, 15, 22),
                       "Asia/Shanghai", NOW)
    assert plan.starts_at == datetime(2026, 3, 10, 0, tzinfo=UTC)
    assert plan.ends_at == datetime(2026, 3, 15, 14, tzinfo=UTC)
    ny = plan_travel("JP", datetime(2026, 3, 10, 8), datetime(2026, 3, 15, 22),
                     "America/New_York", NOW)
    assert ny.starts_at == datetime(2026, 3, 10, 12, tzinfo=UTC)  # EDT since 8 March


def test_instants_with_an_offset_are_taken_as_they_are():
    start = datetime(2026, 3, 10, 8, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert to_instant(start, "America/New_York", "starts_at") == \
        datetime(2026, 3, 9, 23, tzinfo=UTC)


def test_a_wall_clock_time_the_clocks_skip_is_refused():
    with pytest.raises(InvalidInput) as err:
        to_instant(datetime(2026, 3, 8, 2, 30), "America/New_York", "starts_at")
    assert err.value.code == "nonexistent_time"


def test_a_repeated_wall_clock_time_means_its_first_occurrence():
    assert to_instant(datetime(2026, 11, 1, 1, 30), "America/New_York", "ends_at") == \
        datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(("start", "end", "field", "code"), [
    (beijing(14), beijing(14), "ends_at", "empty_window"),
    (beijing(14), beijing(13), "ends_at", "empty_window"),
    (beijing(8), beijing(11), "ends_at", "in_the_past"),
    (beijing(13), beijing(13) + timedelta(days=181), "ends_at", "too_long"),
    (beijing(13) + timedelta(days=400), beijing(13) + timedelta(days=401), "starts_at",
     "too_far"),
])
def test_bad_windows_are_refused(start, end, field, code):
    with pytest.raises(InvalidInput) as err:
        plan_travel("JP", start, end, "Asia/Shanghai", NOW)
    assert (err.value.field, err.value.code) == (field, code)


def test_an_exception_may_start_in_the_past_and_run_on():
    plan = plan_travel("JP", beijing(8), beijing(20), "Asia/Shanghai", NOW)
    assert plan.starts_at < NOW < plan.ends_at


def test_alerts_say_where_and_until_when_in_the_cardholders_zone_and_language():
    start, end = datetime(2026, 3, 10, 0, tzinfo=UTC), datetime(2026, 3, 15, 14, tzinfo=UTC)
    zh = travel_alert(Recipient("chd_1", "+8613800000001", "zh-CN", "Asia/Shanghai",
                                "card_1", "1234"), TravelEvent.STARTED, "JP", start, end, start)
    assert zh.kind is AlertKind.SECURITY and zh.event == "security.travel_started"
    assert zh.text.startswith("【SmartGuard】您尾号1234的卡出行例外已生效")
    assert "日本" in zh.text and "3月10日08:00" in zh.text and "3月15日22:00" in zh.text
    assert "ZF 1234" in zh.text
    assert zh.data["place"] == "JP" and zh.data["ends_at"] == end.isoformat()
    en = travel_alert(Recipient("chd_1", "+12125550100", "en", "America/New_York", "card_1",
                                "1234"), TravelEvent.ENDED, "CN-HI", start, end, end)
    assert "Hainan" in en.text and "Mar 15 10:00" in en.text
