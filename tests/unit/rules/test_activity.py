"""A card's activity features: windows at their boundaries (instants; the 30 days in the
cardholder's zone), reversals giving back, places, and a replay equal to the live feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from smartguard.domain.activity import NEVER, CardActivity, window_features
from smartguard.domain.controls.values import Controls
from smartguard.domain.rule_variables import Variables
from tests.builders import atm_withdrawal, balance_inquiry, cny, online_purchase, pos_purchase

T0 = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # 12:00 in Beijing


def feed(a: CardActivity, req, at: datetime, approved: bool = True, auth: str = "") -> None:
    a.record(auth or f"a{at.timestamp()}", req, at, approved)


def test_sliding_windows_are_instants_open_at_the_start() -> None:
    a = CardActivity("Asia/Shanghai")
    feed(a, pos_purchase(cny(10)), T0)
    exactly_10m = window_features(a, T0 + timedelta(minutes=10))
    assert exactly_10m["count_10m"] == 0  # (now - 10 min, now]: the start is outside
    assert exactly_10m["count_1h_pos"] == 1 and exactly_10m["sum_1h_pos"] == cny(10)
    just_inside = window_features(a, T0 + timedelta(minutes=9, seconds=59))
    assert just_inside["count_10m"] == 1
    after_a_day = window_features(a, T0 + timedelta(hours=24))
    assert after_a_day["count_24h"] == 0 and after_a_day["count_30d"] == 1


def test_thirty_days_are_the_cardholders_local_days() -> None:
    """23:30 in Beijing on 1 February is 15:30 UTC: on 2 March at 00:10 Beijing, the local
    window (2 March and the 29 days before: from 1 February) still holds it; a card in UTC
    sees the same instant on 1 February too, but a card in New York sees 31 January."""
    evening = datetime(2026, 2, 1, 15, 30, tzinfo=UTC)
    now = datetime(2026, 3, 2, 16, 10, tzinfo=UTC)  # 00:10 on 3 March in Beijing
    beijing, new_york = CardActivity("Asia/Shanghai"), CardActivity("America/New_York")
    for a in (beijing, new_york):
        feed(a, pos_purchase(cny(5)), evening)
    # Beijing: 3 March back to 2 February; 1 February is out.
    assert window_features(beijing, now)["count_30d"] == 0
    # New York: now is 2 March 11:10, the window starts 1 February; the purchase was
    # 1 February 10:30 there: in.
    assert window_features(new_york, now)["count_30d"] == 1


def test_a_reversal_gives_back_count_and_amount_a_partial_one_the_amount() -> None:
    a = CardActivity("Asia/Shanghai")
    full, part = atm_withdrawal(cny(300)), pos_purchase(cny(200))
    a.record("A1", full, T0, True)
    a.record("A2", part, T0, True)
    a.give_back("A1", full, T0, cny(300), True)
    a.give_back("A2", part, T0, cny(50), False)
    f = window_features(a, T0 + timedelta(minutes=1))
    assert (f["count_10m_atm_cash"], f["sum_10m_atm_cash"]) == (0, 0)
    assert (f["count_10m_pos"], f["sum_10m_pos"]) == (1, cny(150))
    assert (f["count_30d"], f["sum_30d"]) == (1, cny(150))
    assert f["attempts_1h"] == 2 and f["declines_1h"] == 0


def test_a_reversal_older_than_a_day_still_gives_back_its_thirty_days() -> None:
    a = CardActivity("Asia/Shanghai")
    req = pos_purchase(cny(80))
    a.record("A1", req, T0, True)
    a.record("A2", pos_purchase(cny(1)), T0 + timedelta(days=2), True)  # prunes A1's event
    a.give_back("A1", req, T0, cny(80), True)
    f = window_features(a, T0 + timedelta(days=2, minutes=1))
    assert (f["count_30d"], f["sum_30d"]) == (1, cny(1))


def test_declines_and_distinct_places() -> None:
    a = CardActivity("Asia/Shanghai")
    feed(a, online_purchase(cny(1)), T0, approved=False)
    feed(a, pos_purchase(cny(1), region="CN-GD"), T0 + timedelta(minutes=1))
    feed(a, pos_purchase(cny(1), region="CN-SH"), T0 - timedelta(hours=2))
    f = window_features(a, T0 + timedelta(minutes=2))
    assert f["declines_1h"] == 1 and f["count_1h"] == 1
    assert f["provinces_1h"] == 1 and f["provinces_24h"] == 2  # CN-GD; CN-SH too


def variables(a: CardActivity, req, now: datetime) -> Variables:
    return Variables(req, "active", "debit_standard", Controls(), a, now, now)


def test_inquiry_distance_speed_and_first_use() -> None:
    a = CardActivity("Asia/Shanghai")
    feed(a, balance_inquiry(region="CN-BJ", city="Beijing"), T0)
    feed(a, pos_purchase(cny(10), region="CN-BJ"), T0)
    req = atm_withdrawal(cny(2_000), region="CN-GD", city="Guangzhou")
    v = variables(a, req, T0 + timedelta(minutes=30))
    assert v("minutes_since_inquiry") == 30 and v("inquiry_city") == "Beijing"
    assert v("province_first_use") is True and v("country_first_use") is False
    assert 1_800 < v("km_from_last") < 2_000  # Beijing - Guangzhou
    assert v("speed_kmh") > 3_000  # ~1,900 km in 30 minutes
    fresh = variables(CardActivity("UTC"), req, T0)
    assert fresh("minutes_since_inquiry") == NEVER and fresh("km_from_last") == 0


def test_each_window_names_what_it_gives_and_variables_compute_it_alone() -> None:
    from smartguard.domain.activity import WINDOW_NAMES, window_names, window_values
    a = CardActivity("Asia/Shanghai")
    feed(a, online_purchase(cny(3)), T0, approved=False)
    for w in WINDOW_NAMES:
        assert set(window_values(a, T0, w)) == set(window_names(w)), w
    every = window_features(a, T0 + timedelta(seconds=1))
    v = variables(a, pos_purchase(), T0 + timedelta(seconds=1))
    assert {n: v(n) for n in every} == every
    assert every["declines_1h_online"] == 1 and every["max_1h_online"] == cny(3)
