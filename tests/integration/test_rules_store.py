"""Monitoring rules on the real stores: a shadow rule records hits and enforces nothing; an
active one declines with its own reason and code; features kept live by the writer equal
those rebuilt from the recorded decisions (as after a crash, when the cache is gone)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from smartguard.bootstrap import App
from smartguard.domain.rules import RuleAction, RuleCompileError, RuleStatus
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, reverse
from smartguard.service_layer import rules as ru
from smartguard.service_layer.context import Actor
from smartguard.service_layer.rule_records import HIT
from tests.builders import atm_withdrawal, cny, pos_purchase, reversal_of, valid_pan
from tests.conftest import Clock

OPS = Actor("operator:alice", "console")
PAN = valid_pan()
NIGHT_CASH = ('kind == "cash_withdrawal" && amount >= 100000 && count_1h_atm_cash >= 1')


def enrol(sg: App) -> str:
    def job(uow: az.UnitOfWork) -> str:
        h = cards.enrol_cardholder(uow, sg.ctx, OPS, "Li", "+8613800000002")
        a = cards.open_account(uow, sg.ctx, OPS, h.id, "CNY", cny(50_000))
        return cards.enrol_card(uow, sg.ctx, OPS, PAN, a.id).card.id
    return sg.write(job)


def pay(sg: App, req) -> az.AuthorizationResult:
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    return sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, req))


def rule(sg: App, status: RuleStatus, expression: str = NIGHT_CASH,
         action: RuleAction = RuleAction.DECLINE) -> None:
    def job(uow: az.UnitOfWork) -> None:
        ru.create(uow, sg.ctx, OPS, "big_cash", "Big cash after cash", expression, action,
                  "一小时内再次大额取现", "a second large withdrawal within the hour")
        ru.move(uow, sg.ctx, OPS, "big_cash", status)
    sg.write(job)


def hits(sg: App) -> list:
    with sg.store.reader() as uow:
        return uow.rules.hit_counts("big_cash", sg.ctx.clock() - timedelta(days=1))


def test_a_shadow_rule_records_hits_and_declines_nothing(sg: App, clock: Clock) -> None:
    enrol(sg)
    rule(sg, RuleStatus.SHADOW)
    assert pay(sg, atm_withdrawal(cny(200))).record.outcome == "approve"
    second = pay(sg, atm_withdrawal(cny(2_000)))
    assert second.record.outcome == "approve"
    [count] = hits(sg)
    assert (count.result, count.enforced, count.count, count.amount) == (HIT, False, 1,
                                                                         cny(2_000))


def test_an_active_rule_declines_with_its_reason_and_code(sg: App) -> None:
    enrol(sg)
    rule(sg, RuleStatus.ACTIVE)
    pay(sg, atm_withdrawal(cny(200)))
    declined = pay(sg, atm_withdrawal(cny(2_000))).record
    assert (declined.outcome, declined.response_code) == ("decline", "59")
    assert declined.verdicts[0].reason == "rule_decline"
    assert declined.verdicts[0].detail.startswith("big_cash|")
    assert pay(sg, pos_purchase(cny(2_000))).record.outcome == "approve"  # not its pattern
    assert [c.enforced for c in hits(sg)] == [True]


def test_a_cardholders_lock_decides_first(sg: App) -> None:
    from smartguard.domain.controls import values as v
    from smartguard.service_layer import protections
    card_id = enrol(sg)
    rule(sg, RuleStatus.ACTIVE, 'amount > 0')
    sg.write(lambda uow: protections.set_protection(uow, sg.ctx, OPS, card_id, v.ProtectionChange(
        v.Protection.REGION_LOCK, v.region_lock(True, ["CN-SH"]))))
    d = pay(sg, atm_withdrawal(cny(100))).record
    assert [x.reason for x in d.verdicts] == ["region_lock", "rule_decline"]
    assert d.response_code == "57"


def test_an_alert_only_rule_lets_through_and_flags(sg: App) -> None:
    enrol(sg)
    rule(sg, RuleStatus.ACTIVE, "amount >= 100000", RuleAction.ALERT)
    d = pay(sg, pos_purchase(cny(2_000))).record
    assert d.outcome == "approve"
    assert [a.reason for a in d.alerts] == ["rule_decline"]


def test_a_rule_failing_at_run_time_never_declines(sg: App) -> None:
    enrol(sg)
    rule(sg, RuleStatus.ACTIVE, "amount / count_1h > 1")  # no purchase yet: / 0
    assert pay(sg, pos_purchase(cny(10))).record.outcome == "approve"
    assert [c.result for c in hits(sg)] == ["error"]


def test_a_rule_that_does_not_compile_is_not_saved(sg: App) -> None:
    with pytest.raises(RuleCompileError) as e:
        rule(sg, RuleStatus.DRAFT, "amount >> 3")
    assert e.value.column == 9
    with sg.store.reader() as uow:
        assert uow.rules.all() == []


def test_live_features_equal_a_rebuild_after_reversals(sg: App, clock: Clock) -> None:
    card_id = enrol(sg)
    rule(sg, RuleStatus.SHADOW, "count_24h >= 0")  # makes the writer keep activity
    first = atm_withdrawal(cny(300))
    pay(sg, first)
    pay(sg, pos_purchase(cny(120), region="CN-SH"))
    clock.now += timedelta(minutes=20)
    pay(sg, atm_withdrawal(cny(70)))
    sg.write(lambda uow: reverse.reverse(uow, sg.ctx, reversal_of(first)))
    from smartguard.domain.activity import window_features
    live = sg.write(lambda uow: uow.activity.get(card_id, "", "Asia/Shanghai", clock.now))
    with sg.store.reader() as uow:  # a reader rebuilds from the rows, as after a crash
        rebuilt = uow.activity.get(card_id, "", "Asia/Shanghai", clock.now)
    assert window_features(live, clock.now) == window_features(rebuilt, clock.now)
    f = window_features(rebuilt, clock.now)
    assert (f["count_1h_atm_cash"], f["sum_1h_atm_cash"]) == (1, cny(70))
    assert rebuilt.provinces == {"CN-BJ", "CN-SH"} == live.provinces


def test_a_backtest_finds_what_the_shadow_rule_found_live(sg: App, clock: Clock) -> None:
    """The same rule, shadow on live traffic and backtested afterwards over the recorded
    decisions: the same hits, with reversals (one before the next withdrawal) in between."""
    from smartguard.service_layer import backtest
    enrol(sg)
    rule(sg, RuleStatus.SHADOW)
    first = atm_withdrawal(cny(1_500))
    for n, req in enumerate([first, atm_withdrawal(cny(1_200)), pos_purchase(cny(1_000)),
                             atm_withdrawal(cny(2_000)), atm_withdrawal(cny(3_000))]):
        clock.now += timedelta(minutes=25)
        pay(sg, req)
        if n == 1:
            sg.write(lambda uow: reverse.reverse(uow, sg.ctx, reversal_of(first)))
    live = sum(c.count for c in hits(sg))
    result = sg.read(lambda uow: backtest.backtest(uow, sg.ctx, NIGHT_CASH, 7))
    assert live >= 2
    assert (result.hits, result.decisions) == (live, 5)
    assert result.hit_amount == sum(c.amount for c in hits(sg))
    assert result.already_declined == 0 and result.later_frozen_or_reported == 0
