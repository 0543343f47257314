"""Check-up findings about the card's settings (SPEC 3.9): protections that are off, limits
far above real use, an unverified phone. Each finding comes with the exact fix."""

from __future__ import annotations

from dataclasses import replace
from datetime import time

from smartguard.domain.advisor.findings import FixAction, Severity
from smartguard.domain.controls.values import (
    ChannelLimits,
    NightLock,
    NightScope,
    OverseasLock,
    RegionLock,
    Verification,
)
from smartguard.domain.transactions import Channel
from tests.builders import cny
from tests.unit.domain.advisor.checkups import GUARDED, ids, only, quiet, run
from tests.unit.domain.advisor.ledger import Ledger


def test_a_well_guarded_card_with_a_verified_phone_scores_100_with_no_findings():
    report = run(quiet())
    assert report.findings == ()
    assert report.score == 100


def test_region_lock_off_is_found_with_the_provinces_from_history_as_fix():
    report = run(quiet(), replace(GUARDED, region_lock=RegionLock()))
    f = only(report, "protection_off.region_lock")
    assert f.severity is Severity.MEDIUM
    assert f.fix is not None and f.fix.action is FixAction.SET_PROTECTION
    assert f.fix.as_dict() == {"action": "set_protection", "protection": "region_lock",
                               "value": {"enabled": True, "places": ["CN-HA"]}}
    assert "Henan" in f.explanation.en and "河南省" in f.explanation.zh


def test_region_lock_off_without_history_is_told_but_has_no_fix_and_no_weight():
    f = only(run(Ledger(), replace(GUARDED, region_lock=RegionLock())),
             "protection_off.region_lock")
    assert f.fix is None
    assert f.severity is Severity.INFO


def test_overseas_lock_off_is_found_with_a_fix_closing_every_overseas_place():
    f = only(run(quiet(), replace(GUARDED, overseas_lock=OverseasLock())),
             "protection_off.overseas_lock")
    assert f.fix is not None and f.fix.value == OverseasLock(True, ())


def test_night_lock_off_is_found_with_the_recommended_window():
    f = only(run(quiet(), replace(GUARDED, night_lock=NightLock())),
             "protection_off.night_lock")
    assert f.fix is not None
    assert f.fix.as_dict()["value"] == {"enabled": True, "start": "23:00", "end": "05:00",
                                        "scope": "all"}


def test_overseas_cnp_lock_off_is_found_for_a_card_never_used_online_abroad():
    f = only(run(quiet(), replace(GUARDED, overseas_cnp_lock=False)),
             "protection_off.overseas_cnp_lock")
    assert f.fix is not None and f.fix.value is True
    assert f.fix.as_dict()["value"] == {"enabled": True}


def test_overseas_cnp_lock_off_is_right_for_a_cardholder_who_shops_abroad_online():
    from tests.builders import online_purchase
    from tests.unit.domain.advisor.ledger import days_ago

    ledger = quiet()
    ledger.approved(online_purchase(cny(99), country="US", region=None), days_ago(50))
    report = run(ledger, replace(GUARDED, overseas_cnp_lock=False))
    assert "protection_off.overseas_cnp_lock" not in ids(report)


def test_magnetic_stripe_verification_off_is_a_high_finding_whose_fix_turns_only_it_on():
    v = Verification(magstripe=False, large_purchase=False, large_threshold=cny(8_000))
    report = run(quiet(), replace(GUARDED, verification=v))
    f = only(report, "protection_off.magstripe_verification")
    assert f.severity is Severity.HIGH
    assert f.fix is not None and f.fix.value == Verification(True, False, cny(8_000))


def test_large_purchase_verification_off_is_a_low_finding_with_the_default_threshold():
    v = Verification(magstripe=True, large_purchase=False, large_threshold=cny(8_000))
    f = only(run(quiet(), replace(GUARDED, verification=v)),
             "protection_off.large_purchase_verification")
    assert f.severity is Severity.LOW
    assert f.fix is not None and f.fix.value == Verification(True, True, cny(5_000))


def test_limits_far_above_real_use_are_found_per_channel_with_limits_from_history():
    report = run(quiet(), replace(GUARDED, limits={}))  # bank ceilings only
    f = only(report, "limit_high.pos")
    assert f.severity is Severity.LOW
    assert f.fix is not None and f.fix.action is FixAction.SET_LIMITS
    # steady: one 50 CNY purchase a day -> 100 CNY per txn and day, 3 a day; its largest
    # month is January, 31 x 50 = 1,550 -> 2,400
    assert f.fix.as_dict() == {"action": "set_limits", "channel": "pos", "value": {
        "per_txn": cny(100), "daily_amount": cny(100), "daily_count": 3,
        "monthly_amount": cny(2_400)}}
    assert "¥500,000.00" in f.explanation.en  # the bank's POS daily ceiling, in force


def test_limits_within_twice_the_recommendation_are_not_a_finding():
    close = {Channel.POS: ChannelLimits(daily_amount=cny(200))}
    report = run(quiet(), replace(GUARDED, limits={**GUARDED.limits, **close}))
    assert "limit_high.pos" not in ids(report)
    close = {Channel.POS: ChannelLimits(daily_amount=cny(201))}
    report = run(quiet(), replace(GUARDED, limits={**GUARDED.limits, **close}))
    assert "limit_high.pos" in ids(report)


def test_an_unverified_phone_is_a_medium_finding_without_a_one_click_fix():
    f = only(run(quiet(), phone_verified=False), "phone_unverified")
    assert f.severity is Severity.MEDIUM
    assert f.fix is None
    assert "branch" in f.explanation.en and "网点" in f.explanation.zh


def test_score_takes_off_each_finding_by_severity():
    report = run(quiet(), replace(GUARDED, region_lock=RegionLock(),
                                  night_lock=NightLock(False, time(23), time(5),
                                                       NightScope.DOMESTIC)),
                 phone_verified=False)
    assert sorted(f.severity for f in report.findings) == [Severity.MEDIUM] * 3
    assert report.score == 70


def test_score_never_goes_below_zero():
    from smartguard.domain.controls.values import Controls
    from smartguard.domain.decisions import Reason
    from tests.builders import atm_withdrawal
    from tests.unit.domain.advisor.ledger import days_ago

    ledger = quiet()
    ledger.declined(atm_withdrawal(cny(900), region="CN-GD"), days_ago(1, 3), Reason.NIGHT_LOCK)
    v = Verification(magstripe=False)
    report = run(ledger, Controls(verification=v), phone_verified=False)
    assert sum({"high": 25, "medium": 10, "low": 5, "info": 0}[f.severity]
               for f in report.findings) > 100
    assert report.score == 0


def test_findings_are_listed_most_severe_first():
    from smartguard.domain.controls.values import Controls

    report = run(quiet(), Controls(verification=Verification(magstripe=False)))
    order = [f.severity for f in report.findings]
    rank = list(Severity)
    assert order == sorted(order, key=rank.index)
