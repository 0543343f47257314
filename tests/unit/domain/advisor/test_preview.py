"""Preview before saving: the card's recorded transactions replayed through the engine with
the proposed protections, listing what the change alone would have answered differently."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from smartguard.domain.advisor import preview as pv
from smartguard.domain.advisor.preview import Surroundings, preview, replay
from smartguard.domain.controls.values import (
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    RegionLock,
    Verification,
)
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.engine import decide
from smartguard.domain.state import Agreement, AgreementStatus, TravelAllowance
from smartguard.domain.transactions import Channel
from tests.builders import (
    atm_withdrawal,
    cny,
    magstripe_purchase,
    pos_purchase,
    quick_payment,
    refund,
)
from tests.unit.domain.advisor.ledger import NOW, Ledger, days_ago, steady

SINCE = NOW - timedelta(days=90)
AROUND = Surroundings()


def run(ledger: Ledger, proposed: Controls, current: Controls | None = None,
        around: Surroundings = AROUND, since=SINCE) -> pv.Preview:
    return preview(ledger.history(), current or Controls(), proposed, around, since)


def test_a_region_lock_that_would_have_declined_two_known_transactions_lists_exactly_them():
    ledger = Ledger()
    steady(ledger, 60, "CN-HA")
    gd = ledger.approved(atm_withdrawal(cny(1_000), region="CN-GD"), days_ago(12, 14))
    sc = ledger.approved(pos_purchase(cny(400), region="CN-SC"), days_ago(40, 10))
    ledger.approved(pos_purchase(cny(30), region=None, card_present=False,
                                 terminal=pos_purchase().terminal), days_ago(3))
    result = run(ledger, Controls(region_lock=RegionLock(True, ("CN-HA",))))
    assert [c.past.id for c in result.declined] == [sc.id, gd.id]
    assert [c.proposed.primary for c in result.declined] == [Reason.REGION_LOCK] * 2
    assert [c.proposed.verdicts[0].detail for c in result.declined] == ["CN-SC", "CN-GD"]
    assert all(c.current.outcome is Outcome.APPROVE for c in result.declined)
    assert result.verification == () and result.approved == ()
    assert result.replayed == len(ledger.items)


def test_the_preview_uses_the_engine_itself():
    assert pv.decide is decide


def test_only_the_window_is_listed_but_earlier_transactions_count_toward_usage():
    ledger = Ledger()
    # 28 January: 4,000 of ATM cash; the window starts 2 February.
    ledger.approved(atm_withdrawal(cny(4_000)), days_ago(33, 10))
    late = ledger.approved(atm_withdrawal(cny(1_500)), days_ago(5, 10))  # 25 February
    since = NOW - timedelta(days=28)
    monthly = {Channel.ATM_CASH: ChannelLimits(monthly_amount=cny(5_000))}
    result = run(ledger, Controls(limits=monthly), since=since)
    assert result.replayed == 1
    assert result.declined == ()  # January's 4,000 is another month
    ledger.approved(atm_withdrawal(cny(4_000)), days_ago(10, 10))  # 20 February
    result = run(ledger, Controls(limits=monthly), since=since)
    assert [c.past.id for c in result.declined] == [late.id]
    assert result.declined[0].proposed.verdicts[0].detail == "atm_cash.monthly_amount.personal"


def test_daily_usage_is_rebuilt_per_calendar_day_in_the_cardholders_zone():
    ledger = Ledger()
    ledger.approved(atm_withdrawal(cny(600)), days_ago(2, 23, 50))
    second = ledger.approved(atm_withdrawal(cny(600)), days_ago(2, 23, 55))
    ledger.approved(atm_withdrawal(cny(600)), days_ago(1, 0, 5))  # the next local day
    daily = {Channel.ATM_CASH: ChannelLimits(daily_amount=cny(1_000))}
    result = run(ledger, Controls(limits=daily))
    assert [c.past.id for c in result.declined] == [second.id]


def test_a_declined_payment_leaves_its_usage_free_for_the_next_one():
    ledger = Ledger()
    first = ledger.approved(atm_withdrawal(cny(900), region="CN-GD"), days_ago(2, 9))
    ledger.approved(atm_withdrawal(cny(900), region="CN-HA"), days_ago(2, 10))
    proposed = Controls(region_lock=RegionLock(True, ("CN-HA",)),
                        limits={Channel.ATM_CASH: ChannelLimits(daily_amount=cny(1_000))})
    result = run(ledger, proposed)
    assert [c.past.id for c in result.declined] == [first.id]  # the second fits alone


def test_reversed_transactions_never_count_toward_usage():
    ledger = Ledger()
    ledger.approved(atm_withdrawal(cny(900)), days_ago(2, 9), reversed_at=days_ago(2, 9, 1))
    ledger.approved(atm_withdrawal(cny(900)), days_ago(2, 10))
    daily = {Channel.ATM_CASH: ChannelLimits(daily_amount=cny(1_000))}
    assert run(ledger, Controls(limits=daily)).declined == ()


def test_money_a_proposed_lock_keeps_on_the_card_is_there_for_later_payments():
    ledger = Ledger(balance=cny(1_000))
    ledger.approved(atm_withdrawal(cny(900), region="CN-GD"), days_ago(3))
    short = ledger.declined(pos_purchase(cny(500), region="CN-HA"), days_ago(2),
                            Reason.INSUFFICIENT_FUNDS)
    result = run(ledger, Controls(region_lock=RegionLock(True, ("CN-HA",))))
    assert [c.past.id for c in result.approved] == [short.id]
    assert result.approved[0].current.primary is Reason.INSUFFICIENT_FUNDS


def test_refunds_and_postings_are_in_the_recorded_balance():
    ledger = Ledger(balance=cny(100))
    ledger.approved(refund(cny(500)), days_ago(3))
    ledger.approved(pos_purchase(cny(550)), days_ago(2))
    assert replay(ledger.history(), Controls(), AROUND)[1].approved


def test_the_card_status_is_read_from_the_recorded_reasons():
    ledger = Ledger()
    frozen = ledger.declined(atm_withdrawal(cny(100)), days_ago(3), Reason.CARD_FROZEN)
    decisions = replay(ledger.history(), Controls(), AROUND)
    assert decisions[0].primary is Reason.CARD_FROZEN
    assert run(ledger, Controls(night_lock=NightLock(True))).declined == ()
    assert frozen.outcome is Outcome.DECLINE


def test_agreements_are_taken_as_they_are_today_so_a_revoked_one_is_not_a_change():
    ledger = Ledger()
    ledger.approved(quick_payment("AGR1", cny(30)), days_ago(3, 2))
    around = Surroundings(agreements={"AGR1": Agreement("AGR1", AgreementStatus.REVOKED)})
    decisions = replay(ledger.history(), Controls(), around)
    assert decisions[0].primary is Reason.AGREEMENT_REVOKED
    night_all = Controls(night_lock=NightLock(True, time(23), time(5), NightScope.ALL))
    assert run(ledger, night_all, around=around).declined == ()


def test_a_night_lock_for_every_payment_would_have_stopped_night_quick_payments():
    ledger = Ledger()
    steady(ledger, 30)
    around = Surroundings(agreements={"AGR1": Agreement("AGR1", AgreementStatus.ACTIVE)})
    n1 = ledger.approved(quick_payment("AGR1", cny(30)), days_ago(9, 2, 10))
    n2 = ledger.approved(quick_payment("AGR1", cny(30)), days_ago(4, 3, 40))
    ledger.approved(quick_payment("AGR1", cny(30)), days_ago(4, 15))
    night_all = Controls(night_lock=NightLock(True, time(23), time(5), NightScope.ALL))
    result = run(ledger, night_all, around=around)
    assert [c.past.id for c in result.declined] == [n1.id, n2.id]
    domestic = Controls(night_lock=NightLock(True, time(23), time(5)))
    assert run(ledger, domestic, around=around).declined == ()


def test_travel_exceptions_open_the_proposed_lock_while_they_ran():
    ledger = Ledger()
    inside = ledger.approved(pos_purchase(cny(200), region="CN-HI"), days_ago(10))
    outside = ledger.approved(pos_purchase(cny(200), region="CN-HI"), days_ago(5))
    trip = TravelAllowance("CN-HI", days_ago(12), days_ago(8))
    result = run(ledger, Controls(region_lock=RegionLock(True, ("CN-HA",))),
                 around=Surroundings(travel=(trip,)))
    assert [c.past.id for c in result.declined] == [outside.id]
    assert inside.id not in [c.past.id for c in result.declined]


def test_a_confirmed_retry_keeps_its_confirmation_in_the_replay():
    ledger = Ledger()
    ledger.approved(magstripe_purchase(cny(300)), days_ago(3), challenge_used="chl_1")
    plain = ledger.approved(magstripe_purchase(cny(300)), days_ago(2))
    result = run(ledger, Controls(), current=Controls(verification=Verification(False)))
    assert [c.past.id for c in result.verification] == [plain.id]


def test_the_same_settings_change_nothing():
    ledger = Ledger()
    steady(ledger, 30)
    controls = Controls(region_lock=RegionLock(True, ("CN-BJ",)))
    result = run(ledger, controls, current=controls)
    assert (result.declined, result.verification, result.approved) == ((), (), ())


def test_loosening_a_lock_lists_what_it_would_have_let_through():
    ledger = Ledger()
    stopped = ledger.declined(atm_withdrawal(cny(500), region="CN-GD"), days_ago(6),
                              Reason.REGION_LOCK)
    current = Controls(region_lock=RegionLock(True, ("CN-HA",)))
    proposed = replace(current, region_lock=RegionLock(True, ("CN-HA", "CN-GD")))
    result = run(ledger, proposed, current=current)
    assert [c.past.id for c in result.approved] == [stopped.id]
