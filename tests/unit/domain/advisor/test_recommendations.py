"""Recommendations from the cardholder's own history (SPEC 3.9): lock to the provinces and
countries really used, a night window around the hours really used, limits a margin above
the real maximum per channel; too little history gives safe defaults, and says so."""

from __future__ import annotations

from datetime import time

from smartguard.domain.advisor.profile import build_profile
from smartguard.domain.advisor.recommend import (
    SAFE_LIMITS,
    Basis,
    margin,
    night_window,
    recommend,
)
from smartguard.domain.controls.values import (
    DEFAULT_CEILINGS,
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    OverseasLock,
    RegionLock,
    Verification,
)
from smartguard.domain.decisions import Reason
from smartguard.domain.transactions import Channel
from tests.builders import (
    atm_withdrawal,
    cny,
    large_purchase,
    online_purchase,
    pos_purchase,
    quick_payment,
)
from tests.unit.domain.advisor.ledger import NOW, Ledger, days_ago, steady


def recs(ledger: Ledger, controls: Controls | None = None):
    profile = build_profile(ledger.history(), "Asia/Shanghai", NOW)
    return recommend(profile, controls or Controls(), DEFAULT_CEILINGS)


def test_region_lock_is_recommended_for_exactly_the_provinces_used_in_person():
    ledger = Ledger()
    steady(ledger, 40, "CN-HA")
    for d in (3, 10, 20):
        ledger.approved(pos_purchase(cny(80), region="CN-BJ"), days_ago(d, 15))
    ledger.approved(online_purchase(cny(20)), days_ago(5))  # online: no province
    r = recs(ledger).region_lock
    assert r.value == RegionLock(True, ("CN-HA", "CN-BJ"))
    assert r.basis is Basis.HISTORY
    assert "Henan and Beijing" in r.why.en and "河南省、北京市" in r.why.zh


def test_region_lock_takes_the_three_most_used_when_more_provinces_were_used():
    ledger = Ledger()
    steady(ledger, 30, "CN-HA")
    for d, region in enumerate(["CN-BJ"] * 5 + ["CN-SH"] * 3 + ["CN-GD"] * 2, start=1):
        ledger.approved(pos_purchase(cny(10), region=region), days_ago(d, 9))
    r = recs(ledger).region_lock
    assert r.value == RegionLock(True, ("CN-HA", "CN-BJ", "CN-SH"))
    assert "4 provinces" in r.why.en


def test_declined_and_reversed_transactions_do_not_teach_places():
    ledger = Ledger()
    steady(ledger, 40, "CN-HA")
    ledger.declined(atm_withdrawal(cny(500), region="CN-GD"), days_ago(2, 2),
                    Reason.NIGHT_LOCK)
    ledger.approved(pos_purchase(cny(90), region="CN-SC"), days_ago(3),
                    reversed_at=days_ago(3, 13))
    assert recs(ledger).region_lock.value == RegionLock(True, ("CN-HA",))


def test_overseas_lock_is_recommended_with_the_countries_used_in_person_abroad():
    ledger = Ledger()
    steady(ledger, 40)
    ledger.approved(pos_purchase(cny(300), country="JP", region=None), days_ago(12, 10))
    ledger.approved(atm_withdrawal(cny(1_000), country="HK", region=None), days_ago(11, 10))
    r = recs(ledger).overseas_lock
    assert r.value == OverseasLock(True, ("HK", "JP"))


def test_overseas_lock_with_no_place_when_the_card_never_went_abroad():
    ledger = Ledger()
    steady(ledger, 40)
    assert recs(ledger).overseas_lock.value == OverseasLock(True, ())


def test_overseas_card_not_present_lock_is_recommended_when_never_used_abroad_online():
    ledger = Ledger()
    steady(ledger, 40)
    assert recs(ledger).overseas_cnp_lock.value is True


def test_overseas_card_not_present_lock_stays_off_for_a_cardholder_who_shops_abroad_online():
    ledger = Ledger()
    steady(ledger, 40)
    ledger.approved(online_purchase(cny(200), country="US", region=None), days_ago(9, 21))
    r = recs(ledger).overseas_cnp_lock
    assert r.value is False
    assert r.why.en == "Online payments to merchants abroad in 40 days: 1; keep it open"


def test_a_card_never_used_at_night_gets_the_default_window_for_every_payment():
    ledger = Ledger()
    steady(ledger, 40)
    assert recs(ledger).night_lock.value == NightLock(True, time(23), time(5), NightScope.ALL)


def test_night_window_avoids_the_hours_the_card_is_really_used():
    ledger = Ledger()
    steady(ledger, 40)
    for d in range(1, 12):
        ledger.approved(pos_purchase(cny(30)), days_ago(d, 23, 30))  # late supper, often
    lock = recs(ledger).night_lock.value
    assert lock == NightLock(True, time(0), time(6), NightScope.ALL)


def test_night_online_use_keeps_the_window_on_in_person_payments_only():
    ledger = Ledger()
    steady(ledger, 40)
    for d in range(1, 40, 3):  # online shopping at all hours of the night
        for hh in (22, 23, 0, 1, 2, 3, 4, 5):
            ledger.approved(online_purchase(cny(5)), days_ago(d, hh))
    lock = recs(ledger).night_lock.value
    assert lock == NightLock(True, time(23), time(5), NightScope.DOMESTIC)


def test_quick_payments_pulled_by_a_third_party_at_night_do_not_teach_the_night_window():
    ledger = Ledger()
    steady(ledger, 40)
    for d in (3, 9, 15):
        ledger.approved(quick_payment("AGR1", cny(99)), days_ago(d, 2, 40))
    lock = recs(ledger).night_lock.value
    assert lock == NightLock(True, time(23), time(5), NightScope.ALL)


def test_no_night_lock_is_recommended_to_a_cardholder_who_uses_the_card_all_night():
    ledger = Ledger()
    steady(ledger, 40)
    for d in range(1, 40, 3):
        for hh in (22, 23, 0, 1, 2, 3, 4, 5):
            ledger.approved(pos_purchase(cny(5)), days_ago(d, hh))
    r = recs(ledger).night_lock
    assert r.value is None
    assert "night" in r.why.en


def test_night_window_search():
    assert night_window(frozenset({12, 18})) == (23, 5)
    assert night_window(frozenset({23})) == (0, 6)
    assert night_window(frozenset({0, 5})) == (1, 5)
    assert night_window(frozenset({22, 1, 4})) is None  # longest free run is 2 hours


def test_limits_are_the_real_maximum_plus_half_rounded_up_to_100_cny():
    ledger = Ledger()
    steady(ledger, 40, amount=cny(50))
    ledger.approved(atm_withdrawal(cny(1_000)), days_ago(5, 10))
    ledger.approved(atm_withdrawal(cny(1_200)), days_ago(5, 16))  # largest day: 2,200 in 2
    ledger.approved(atm_withdrawal(cny(500)), days_ago(35, 10))
    r = recs(ledger).limits[Channel.ATM_CASH]
    assert r.basis is Basis.HISTORY
    # per txn 1,200 -> 1,800; day 2,200 -> 3,300; month (March or Feb) 2,200 -> 3,300;
    # count 2 -> max(3, 2 + 2) = 4
    assert r.value == ChannelLimits(cny(1_800), cny(3_300), 4, cny(3_300))


def test_margin_rounds_up_to_whole_hundreds():
    assert margin(cny(50)) == cny(100)
    assert margin(cny(1_000)) == cny(1_500)
    assert margin(cny(1_001)) == cny(1_600)
    assert margin(1) == cny(100)


def test_recommended_limits_never_exceed_the_bank_ceiling():
    ledger = Ledger(balance=cny(10_000_000))
    steady(ledger, 40)
    ledger.approved(pos_purchase(cny(400_000)), days_ago(4))
    r = recs(ledger).limits[Channel.POS].value
    assert r.per_txn == DEFAULT_CEILINGS.channels[Channel.POS].per_txn  # 600,000 > 500,000
    assert r.daily_amount <= DEFAULT_CEILINGS.channels[Channel.POS].daily_amount


def test_a_channel_never_used_gets_the_safe_default_limits():
    ledger = Ledger()
    steady(ledger, 40)
    r = recs(ledger).limits[Channel.ATM_TRANSFER]
    assert r.value == SAFE_LIMITS[Channel.ATM_TRANSFER]
    assert r.basis is Basis.DEFAULTS


def test_too_little_history_gives_safe_defaults_and_says_so():
    ledger = Ledger()
    steady(ledger, 5)  # five days, five payments
    r = recs(ledger)
    assert r.basis is Basis.DEFAULTS
    assert "safe defaults" in r.note.en and "安全默认" in r.note.zh
    assert r.region_lock.value is None and "Too little history" in r.region_lock.why.en
    assert r.overseas_lock.value == OverseasLock(True, ())
    assert r.night_lock.value == NightLock(True, time(23), time(5))
    assert r.overseas_cnp_lock.value is True
    assert {ch: x.value for ch, x in r.limits.items()} == dict(SAFE_LIMITS)
    assert all(x.basis is Basis.DEFAULTS for x in r.limits.values())


def test_a_long_but_sparse_history_is_still_too_little():
    ledger = Ledger()
    for d in (100, 80, 60):
        ledger.approved(pos_purchase(cny(10)), days_ago(d))
    assert recs(ledger).basis is Basis.DEFAULTS


def test_verification_is_recommended_on_keeping_a_chosen_threshold():
    ledger = Ledger()
    assert recs(ledger).verification.value == Verification(True, True, cny(5_000))
    chosen = Controls(verification=large_purchase(cny(2_000), magstripe=False))
    assert recs(ledger, chosen).verification.value == Verification(True, True, cny(2_000))
