"""The starter pack on the real stores: installed as drafts or in shadow, twice changes
nothing, audited; the features its rules read (quick payments, card-not-present attempts)
kept live by the writer equal those rebuilt from the recorded decisions; the night burst
of quick payments on a new binding found in shadow, live, with nothing declined."""

from __future__ import annotations

from datetime import timedelta

from smartguard.bootstrap import App
from smartguard.domain.activity import window_features
from smartguard.domain.rules import RuleStatus
from smartguard.service_layer import agreements as ag
from smartguard.service_layer import authorize as az
from smartguard.service_layer import starter_pack
from smartguard.service_layer.context import Actor
from tests.builders import cny, online_purchase, quick_payment
from tests.conftest import Clock
from tests.integration.test_rules_store import OPS, PAN, enrol, pay

PROCESSOR = Actor("key:processor", "api")


def install(sg: App, status: RuleStatus) -> list[starter_pack.Installed]:
    return sg.write(lambda uow: starter_pack.install(uow, sg.ctx, OPS, status))


def test_install_as_drafts_then_again_changes_nothing(sg: App) -> None:
    first = install(sg, RuleStatus.DRAFT)
    assert len(first) == 6 and all(i.installed for i in first)
    assert {i.rule.status for i in first} == {RuleStatus.DRAFT}
    again = install(sg, RuleStatus.SHADOW)
    assert not any(i.installed for i in again)
    with sg.store.reader() as uow:
        assert {r.status for r in uow.rules.all()} == {RuleStatus.DRAFT}
        assert uow.rules.live() == ()
        assert {r.author for r in uow.rules.all()} == {OPS.id}


def test_shadow_pack_finds_a_night_burst_and_declines_nothing(sg: App, clock: Clock) -> None:
    card_id = enrol(sg)
    install(sg, RuleStatus.SHADOW)
    clock.set_local("2026-11-26T01:00:00")  # night in Beijing
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    sg.write(lambda uow: ag.register_agreement(uow, sg.ctx, PROCESSOR, ref, "AGR9",
                                               "Night Games Ltd"))
    clock.now += timedelta(minutes=30)
    outcomes = []
    for _ in range(5):
        clock.now += timedelta(minutes=3)
        outcomes.append(pay(sg, quick_payment("AGR9", cny(99))).record.outcome)
    pay(sg, online_purchase(cny(2)))  # another card-not-present attempt
    assert outcomes == ["approve"] * 5
    with sg.store.reader() as uow:
        counts = uow.rules.hit_counts("night_quick_pay_burst", clock.now - timedelta(days=1))
        rebuilt = uow.activity.get(card_id, "", "Asia/Shanghai", clock.now)
    assert [(c.result, c.enforced, c.count) for c in counts] == [("hit", False, 2)]
    live = sg.write(lambda uow: uow.activity.get(card_id, "", "Asia/Shanghai", clock.now))
    assert window_features(live, clock.now) == window_features(rebuilt, clock.now)
    f = window_features(rebuilt, clock.now)
    assert (f["count_1h_quick_pay"], f["sum_1h_quick_pay"]) == (5, cny(495))
    assert (f["attempts_1h_online"], f["declines_1h_online"]) == (6, 0)
    assert f["max_1h_online"] == cny(99)
