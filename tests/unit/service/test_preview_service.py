"""Preview before saving, through the service layer. The replay rebuilds the card's state
faithfully enough that replaying a recorded history with the settings it was decided under
gives back every recorded answer; a proposed lock lists exactly what it would have
declined; nothing is changed."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from smartguard.domain.advisor.preview import Surroundings, replay
from smartguard.domain.cards import StatusAction
from smartguard.domain.controls import values as s
from smartguard.domain.controls.values import ChannelLimits, NightScope
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel, Posting
from smartguard.service_layer import agreements as ag
from smartguard.service_layer import history as hist
from smartguard.service_layer import preview as pv
from smartguard.service_layer import travel as tr
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.context import Actor
from smartguard.service_layer.postings import post
from smartguard.service_layer.protections import ceilings_for
from tests.builders import (
    atm_withdrawal,
    balance_inquiry,
    beijing,
    cny,
    controls,
    limits,
    magstripe_purchase,
    night_lock,
    online_purchase,
    pos_purchase,
    quick_payment,
    refund,
    region_lock,
    reversal_of,
)
from tests.unit.service.world import World

PROCESSOR = Actor("key:processor", "api")

# Tight settings, so that locks, limits, funds and verification all have their say.
TIGHT = controls(
    region_lock=region_lock("CN-HA", "CN-BJ"),
    night_lock=night_lock(time(23), time(5), NightScope.ALL),
    limits={Channel.ATM_CASH: limits(per_txn=cny(800), daily_amount=cny(1_500),
                                     daily_count=3, monthly_amount=cny(4_000)),
            Channel.ONLINE: limits(daily_amount=cny(600))},
)

OPS = st.sampled_from([
    "atm_home", "atm_away", "atm_abroad", "pos", "magstripe", "online", "quick", "refund",
    "inquiry", "reverse_last", "partly_reverse_last", "posting", "freeze", "unfreeze",
    "travel",
])
AMOUNTS = st.sampled_from([cny(50), cny(300), cny(700), cny(900)])
GAPS = st.sampled_from([timedelta(minutes=7), timedelta(hours=5), timedelta(hours=13),
                        timedelta(days=9)])


def _request(op: str, amount: int):
    return {
        "atm_home": lambda: atm_withdrawal(amount, region="CN-HA"),
        "atm_away": lambda: atm_withdrawal(amount, region="CN-GD"),
        "atm_abroad": lambda: atm_withdrawal(amount, country="TH", region=None),
        "pos": lambda: pos_purchase(amount, region="CN-BJ"),
        "magstripe": lambda: magstripe_purchase(amount, region="CN-BJ"),
        "online": lambda: online_purchase(amount),
        "quick": lambda: quick_payment("AGR1", amount),
        "refund": lambda: refund(amount, region="CN-HA"),
        "inquiry": lambda: balance_inquiry(region="CN-GD"),
    }[op]()


def _play(world: World, card, steps) -> None:
    last = None
    for op, amount, gap in steps:
        world.clock.advance(seconds=gap.total_seconds())
        if op in ("reverse_last", "partly_reverse_last"):
            if last is not None:
                actual = last.amount // 3 if op == "partly_reverse_last" else None
                world.reverse(reversal_of(last, actual=actual or None), card)
            last = None
            continue
        last = None
        if op == "posting":
            world.run(post, Posting(f"P{world.clock.now.timestamp()}", card.account_id,
                                    -amount if amount < cny(500) else amount))
        elif op in ("freeze", "unfreeze"):
            world.run(change_status, card.cardholder, card.card_id, StatusAction(op))
        elif op == "travel":
            now = world.clock.now
            world.run(tr.add_travel, card.cardholder, card.card_id, "CN-GD", now,
                      now + timedelta(hours=6))
        else:
            req = _request(op, amount)
            world.authorize(card, req)
            last = req


def _surroundings(world: World, card) -> Surroundings:
    uow = world.view()
    return Surroundings(
        timezone="Asia/Shanghai", ceilings=ceilings_for(uow, world.ctx, "debit_standard"),
        agreements=hist.agreements_today(uow, card.card_id),
        travel=tuple(tr.allowance(r) for r in uow.travel.for_card(card.card_id)))


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(steps=st.lists(st.tuples(OPS, AMOUNTS, GAPS), min_size=1, max_size=30))
def test_replaying_a_history_under_its_own_settings_gives_back_every_recorded_answer(steps):
    world = World(beijing(9, date="2026-01-20"))
    card = world.enrol(balance=cny(3_000), controls=TIGHT)
    world.run(ag.register_agreement, PROCESSOR, CardRef(card_id=card.card_id), "AGR1",
              "Fast Pay Co", (None, cny(800)))
    _play(world, card, steps)
    past = hist.history(world.view(), card.card_id, beijing(0, date="2026-01-01"))
    decisions = replay(past, TIGHT, _surroundings(world, card))
    assert [(d.outcome, d.verdicts) for d in decisions] == \
        [(p.outcome, p.verdicts) for p in past]


@pytest.mark.parametrize("first", [False, True])
def test_a_partly_reversed_withdrawal_reads_as_what_was_paid_out(first: bool) -> None:
    """The advisor sees ¥300 paid out of ¥500 asked, with the balance before it, whether
    the partial reversal came after the withdrawal or (an advice) before it."""
    world = World(beijing(9, date="2026-01-20"))
    card = world.enrol(balance=cny(3_000))
    asked = atm_withdrawal(cny(500), region="CN-HA")
    if first:
        world.reverse(reversal_of(asked, actual=cny(300)), card)
    world.authorize(card, asked)
    if not first:
        world.clock.advance(minutes=1)
        world.reverse(reversal_of(asked, actual=cny(300)), card)
    (p,) = hist.history(world.view(), card.card_id, beijing(0, date="2026-01-01"))
    assert (p.request.amount, p.request.billing_amount) == (cny(300), cny(300))
    assert (p.balance_before, p.balance_after, p.moved) == (cny(3_000), cny(2_700), -cny(300))
    assert world.balance(card) == cny(2_700)


def _history_in_henan_with_two_trips(world: World, card):
    start = world.clock.now
    for d in range(60, 0, -1):
        world.clock.set(start - timedelta(days=d))
        world.authorize(card, pos_purchase(cny(40), region="CN-HA"))
    world.clock.set(start - timedelta(days=20))
    gd = world.authorize(card, atm_withdrawal(cny(1_000), region="CN-GD")).record
    world.clock.set(start - timedelta(days=7))
    sh = world.authorize(card, pos_purchase(cny(300), region="CN-SH")).record
    world.clock.set(start)
    return gd, sh


def test_a_proposed_region_lock_lists_exactly_the_two_transactions_it_would_have_declined(
        world, card):
    gd, sh = _history_in_henan_with_two_trips(world, card)
    result, proposed = pv.preview_change(
        world.view(), world.ctx, card.cardholder, card.card_id,
        [s.ProtectionChange(s.Protection.REGION_LOCK, s.region_lock(True, ["CN-HA"]))], {})
    assert [c.past.id for c in result.declined] == [gd.id, sh.id]
    assert result.replayed == 62
    assert proposed.region_lock.places == ("CN-HA",)
    assert world.card(card).controls.region_lock.enabled is False  # nothing saved


def test_the_window_is_the_last_n_days(world, card):
    _, sh = _history_in_henan_with_two_trips(world, card)
    result, _ = pv.preview_change(
        world.view(), world.ctx, card.cardholder, card.card_id,
        [s.ProtectionChange(s.Protection.REGION_LOCK, s.region_lock(True, ["CN-HA"]))], {}, days=10)
    assert [c.past.id for c in result.declined] == [sh.id]
    assert result.replayed == 11  # ten days of purchases in Henan, and Shanghai


def test_proposed_limits_above_the_banks_ceiling_are_refused(world, card):
    with pytest.raises(InvalidInput) as err:
        pv.preview_change(world.view(), world.ctx, card.cardholder, card.card_id, [],
                          {Channel.ATM_CASH: ChannelLimits(daily_amount=cny(30_000))})
    assert err.value.code == "above_ceiling"


@pytest.mark.parametrize("days", [0, 367])
def test_the_window_is_one_day_to_a_year(world, card, days):
    with pytest.raises(InvalidInput):
        pv.preview_change(world.view(), world.ctx, card.cardholder, card.card_id, [], {},
                          days=days)
