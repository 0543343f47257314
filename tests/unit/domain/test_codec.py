"""Controls are stored and shown as plain dicts; reading back gives the same controls."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.controls import spending as sp
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.codec import controls_from_dict, controls_to_dict
from smartguard.domain.geography import PROVINCES
from smartguard.domain.transactions import Channel
from tests.builders import cny


def test_default_controls_are_all_locks_off_magstripe_verification_on():
    d = controls_to_dict(s.Controls())
    assert d["region_lock"] == {"enabled": False, "places": []}
    assert d["overseas_lock"] == {"enabled": False, "places": []}
    assert d["night_lock"] == {"enabled": False, "start": "23:00", "end": "05:00",
                               "scope": "domestic"}
    assert d["overseas_cnp_lock"] == {"enabled": False}
    assert d["verification"] == {"magstripe": True, "large_purchase": False,
                                 "large_threshold": cny(5_000)}
    assert d["limits"] == {}
    assert d["switches"] == {sw.value: True for sw in sp.Switch}
    assert d["categories"] == {} and d["unlocks"] == [] and d["alert_only"] == []
    assert d["merchants"] == {"blocked": {}, "allowed": {}}


def test_a_card_stored_before_the_new_controls_reads_back_with_their_defaults():
    d = controls_to_dict(s.Controls())
    for key in ("switches", "categories", "merchants", "unlocks", "alert_only"):
        del d[key]
    assert controls_from_dict(d) == s.Controls()


_instants = st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)).map(
    lambda d: d.replace(tzinfo=UTC))
_unlock = st.builds(lambda t, start, minutes: sp.Unlock(t, start, start + timedelta(
    minutes=minutes)), st.sampled_from(sp.UNLOCK_TARGETS), _instants, st.integers(15, 1440))
_category = st.builds(sp.CategoryControl, st.booleans(), st.none() | st.integers(1, 10**7),
                      st.none() | _instants)
_ids = st.text("ABCDEFGH0123456789", min_size=1, max_size=15)


_minutes = st.builds(time, st.integers(0, 23), st.integers(0, 59))
_limits = st.builds(s.ChannelLimits, st.none() | st.integers(1, cny(5_000)),
                    st.none() | st.integers(1, cny(20_000)), st.none() | st.integers(1, 20),
                    st.none() | st.integers(1, cny(200_000)))
_controls = st.builds(
    s.Controls,
    region_lock=st.builds(s.RegionLock, st.booleans(),
                          st.lists(st.sampled_from(sorted(PROVINCES)), max_size=3,
                                   unique=True).map(tuple)),
    overseas_lock=st.builds(s.OverseasLock, st.booleans(),
                            st.lists(st.sampled_from(["HK", "JP", "US", "TW"]), max_size=3,
                                     unique=True).map(tuple)),
    night_lock=st.builds(s.NightLock, st.booleans(), _minutes, _minutes,
                         st.sampled_from(list(s.NightScope))),
    overseas_cnp_lock=st.booleans(),
    verification=st.builds(s.Verification, st.booleans(), st.booleans(),
                           st.integers(1, cny(100_000))),
    limits=st.dictionaries(st.sampled_from(list(Channel)), _limits),
    switches=st.builds(sp.Switches, st.frozensets(st.sampled_from(list(sp.Switch)))),
    categories=st.dictionaries(st.sampled_from(list(Category)), _category),
    merchants=st.builds(sp.Merchants, st.dictionaries(_ids, st.text(max_size=10)),
                        st.dictionaries(_ids, st.text(max_size=10))),
    unlocks=st.lists(_unlock, max_size=3).map(tuple),
    alert_only=st.frozensets(st.sampled_from(sp.ALERT_TARGETS)),
)


@given(_controls)
def test_controls_survive_a_round_trip_through_a_dict(controls):
    assert controls_from_dict(controls_to_dict(controls)) == controls
