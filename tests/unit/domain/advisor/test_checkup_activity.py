"""Check-up findings about what happened lately (SPEC 3.9): declines by locks, balance
inquiries at self-service terminals, night and overseas activity in the last 30 days, and
quick-payment agreements unused for 90 days or taking money at night."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from smartguard.domain.advisor.findings import FixAction, Severity
from smartguard.domain.agreements import Binding
from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import NightLock, NightScope, OverseasLock
from smartguard.domain.decisions import Reason
from smartguard.domain.state import AgreementStatus
from tests.builders import (
    atm_withdrawal,
    balance_inquiry,
    cny,
    online_purchase,
    pos_purchase,
    quick_payment,
)
from tests.unit.domain.advisor.checkups import GUARDED, ids, only, quiet, run
from tests.unit.domain.advisor.ledger import NOW, days_ago

# --- declines by locks ---------------------------------------------------------------------


def test_offline_declines_by_locks_in_the_last_30_days_are_high_with_freeze_as_fix():
    ledger = quiet()
    a = ledger.declined(atm_withdrawal(cny(2_000), region="CN-GD"), days_ago(3, 2, 13),
                        Reason.REGION_LOCK, Reason.NIGHT_LOCK, detail="CN-GD")
    b = ledger.declined(pos_purchase(cny(800), country="TH", region=None), days_ago(9),
                        Reason.OVERSEAS_LOCK)
    f = only(run(ledger), "lock_declines")
    assert f.severity is Severity.HIGH
    assert f.evidence == (b.id, a.id)
    assert f.fix is not None and f.fix.as_dict() == {"action": "freeze_card"}
    assert "Guangdong ¥2,000.00" in f.explanation.en and "广东省" in f.explanation.zh


def test_card_not_present_declines_by_locks_are_medium():
    ledger = quiet()
    ledger.declined(online_purchase(cny(300), country="US", region=None), days_ago(2),
                    Reason.OVERSEAS_CNP_LOCK)
    assert only(run(ledger), "lock_declines").severity is Severity.MEDIUM


def test_declines_by_locks_older_than_30_days_or_by_other_rules_are_not_reported():
    ledger = quiet()
    ledger.declined(atm_withdrawal(cny(2_000), region="CN-GD"), days_ago(31),
                    Reason.REGION_LOCK)
    ledger.declined(pos_purchase(cny(999_999)), days_ago(1), Reason.INSUFFICIENT_FUNDS)
    assert "lock_declines" not in ids(run(ledger))


def test_a_frozen_card_gets_no_freeze_fix():
    ledger = quiet()
    ledger.declined(atm_withdrawal(cny(2_000), region="CN-GD"), days_ago(3),
                    Reason.REGION_LOCK)
    assert only(run(ledger, status=CardStatus.FROZEN), "lock_declines").fix is None


# --- balance inquiries ---------------------------------------------------------------------


def test_a_balance_inquiry_at_night_far_from_home_is_high_with_freeze_as_fix():
    ledger = quiet()
    q = ledger.approved(balance_inquiry(region="CN-YN"), days_ago(4, 1, 40))
    f = only(run(ledger), "balance_inquiries")
    assert f.severity is Severity.HIGH
    assert f.evidence == (q.id,)
    assert f.fix is not None and f.fix.action is FixAction.FREEZE_CARD


def test_a_balance_inquiry_abroad_is_unusual():
    ledger = quiet()
    ledger.approved(balance_inquiry(country="MY", region=None), days_ago(4))
    assert only(run(ledger), "balance_inquiries").severity is Severity.HIGH


def test_daytime_balance_inquiries_at_home_are_information_only():
    ledger = quiet()
    ledger.approved(balance_inquiry(region="CN-HA"), days_ago(4, 10))
    f = only(run(ledger), "balance_inquiries")
    assert f.severity is Severity.INFO and f.fix is None


def test_balance_inquiries_at_a_bank_counter_pos_are_not_self_service():
    ledger = quiet()
    from smartguard.domain.transactions import TerminalType

    ledger.approved(balance_inquiry(region="CN-YN", terminal=TerminalType.POS), days_ago(4, 2))
    assert "balance_inquiries" not in ids(run(ledger))


# --- night and overseas activity -----------------------------------------------------------


def test_night_payments_let_through_are_found_with_a_night_lock_covering_them():
    ledger = quiet()
    night = ledger.approved(quick_payment("AGR1", cny(99)), days_ago(6, 2, 30))
    controls = replace(GUARDED, night_lock=NightLock())
    f = only(run(ledger, controls), "night_activity")
    assert f.severity is Severity.MEDIUM
    assert f.evidence == (night.id,)
    assert f.fix is not None
    assert f.fix.value == NightLock(True, time(23), time(5), NightScope.ALL)  # online too


def test_night_in_person_payments_get_a_domestic_night_lock():
    ledger = quiet()
    ledger.approved(pos_purchase(cny(60)), days_ago(6, 23, 30))
    f = only(run(ledger, replace(GUARDED, night_lock=NightLock())), "night_activity")
    assert f.fix is not None and f.fix.value == NightLock(True, time(23), time(5))


def test_night_activity_is_information_once_the_night_lock_covers_it():
    ledger = quiet()
    ledger.approved(quick_payment("AGR1", cny(99)), days_ago(6, 2, 30))
    f = only(run(ledger, GUARDED), "night_activity")  # night lock 23-05 all: set since
    assert f.severity is Severity.INFO and f.fix is None


def test_overseas_in_person_payments_are_found_with_the_overseas_lock_as_fix():
    ledger = quiet()
    p = ledger.approved(atm_withdrawal(cny(3_000), country="KH", region=None), days_ago(2))
    f = only(run(ledger, replace(GUARDED, overseas_lock=OverseasLock())), "overseas_offline")
    assert f.evidence == (p.id,)
    assert f.fix is not None and f.fix.value == OverseasLock(True, ())


def test_overseas_payments_in_a_chosen_overseas_place_are_not_reported():
    ledger = quiet()
    ledger.approved(pos_purchase(cny(300), country="JP", region=None), days_ago(2))
    controls = replace(GUARDED, overseas_lock=OverseasLock(True, ("JP",)))
    assert "overseas_offline" not in ids(run(ledger, controls))


def test_online_payments_abroad_are_found_with_the_cnp_lock_as_fix():
    ledger = quiet()
    p = ledger.approved(online_purchase(cny(120), country="GB", region=None), days_ago(8))
    f = only(run(ledger, replace(GUARDED, overseas_cnp_lock=False)), "overseas_online")
    assert f.evidence == (p.id,)
    assert f.fix is not None and f.fix.as_dict() == {
        "action": "set_protection", "protection": "overseas_cnp_lock",
        "value": {"enabled": True}}


# --- quick-payment agreements --------------------------------------------------------------


def binding(id_: str = "AGR1", created_days: int = 200, used_days: int | None = None,
            status: AgreementStatus = AgreementStatus.ACTIVE) -> Binding:
    used = NOW - timedelta(days=used_days) if used_days is not None else None
    return Binding(id_, "Fast Pay Co", status, NOW - timedelta(days=created_days), used)


def test_an_agreement_unused_for_90_days_is_found_with_suspend_as_fix():
    f = only(run(quiet(), bindings=(binding(used_days=95),)), "agreement_dormant.AGR1")
    assert f.severity is Severity.MEDIUM
    assert f.fix is not None and f.fix.as_dict() == {"action": "suspend_agreement",
                                                      "agreement_id": "AGR1"}
    assert "95 days" in f.title.en and "Fast Pay Co" in f.title.en


def test_an_agreement_never_used_counts_from_when_it_was_signed():
    report = run(quiet(), bindings=(binding(created_days=89), binding("AGR2", 91)))
    assert "agreement_dormant.AGR1" not in ids(report)
    assert "agreement_dormant.AGR2" in ids(report)


def test_suspended_or_revoked_agreements_are_not_reported():
    report = run(quiet(), bindings=(binding(status=AgreementStatus.SUSPENDED),
                                    binding("AGR2", status=AgreementStatus.REVOKED)))
    assert not [i for i in ids(report) if i.startswith("agreement")]


def test_an_agreement_taking_money_at_night_is_high_with_suspend_as_fix():
    ledger = quiet()
    p = ledger.approved(quick_payment("AGR1", cny(49)), days_ago(20, 3, 5))
    f = only(run(ledger, bindings=(binding(used_days=20),)), "agreement_night.AGR1")
    assert f.severity is Severity.HIGH
    assert f.evidence == (p.id,)
    assert f.fix is not None and f.fix.agreement_id == "AGR1"


def test_an_agreement_used_only_in_the_daytime_is_fine():
    ledger = quiet()
    ledger.approved(quick_payment("AGR1", cny(49)), days_ago(20, 15))
    report = run(ledger, bindings=(binding(used_days=20),))
    assert not [i for i in ids(report) if i.startswith("agreement")]


def test_a_fix_is_offered_once_by_the_finding_backed_by_transactions():
    ledger = quiet()
    ledger.approved(quick_payment("AGR1", cny(99)), days_ago(6, 2, 30))
    report = run(ledger, replace(GUARDED, night_lock=NightLock()))
    # "night lock is off" would offer the same fix as "payments at night": shown once
    assert "night_activity" in ids(report)
    assert "protection_off.night_lock" not in ids(report)


def test_payments_without_the_card_are_described_by_merchant_not_place():
    ledger = quiet()
    ledger.approved(quick_payment("AGR1", cny(99), merchant_name="NightCat Mall"),
                    days_ago(6, 2, 30))
    ledger.approved(online_purchase(cny(120), country="GB", region=None,
                                    merchant_name="Tea Shop"), days_ago(5, 2, 30))
    f = only(run(ledger, replace(GUARDED, night_lock=NightLock())), "night_activity")
    assert "NightCat Mall ¥99.00" in f.explanation.en
    assert "Tea Shop (United Kingdom) ¥120.00" in f.explanation.en
    assert "Tea Shop (英国) ¥120.00" in f.explanation.zh
