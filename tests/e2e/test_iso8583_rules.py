"""The bank's monitoring rules over ISO 8583: the starter pack's skimmed-card cash-out in
shadow records its hit and the gateway answers 00; the same rule active answers 59 (the
rule's decline), and the nearest innocent request (by chip) still 00."""

from __future__ import annotations

from datetime import timedelta

from smartguard.bootstrap import App
from smartguard.domain.rules import RuleStatus
from smartguard.service_layer import rules as ru
from smartguard.service_layer import starter_pack
from smartguard.service_layer.context import Actor
from tests.conftest import Clock
from tests.iso_client import GUANGZHOU_SHOP, Client, enrol, gateway, purchase

OPS = Actor("operator:alice", "console")
RULE = "skimmed_card_cash_out"
#: ATM cash (processing code 01, condition 02 unattended), by the magnetic stripe
STRIPE_CASH = {"3": "010000", "25": "02", "22": "021", "18": "6011"}
CHIP_CASH = {**STRIPE_CASH, "22": "051"}


def hits(sg: App, clock: Clock) -> list[tuple[str, bool, int]]:
    with sg.store.reader() as uow:
        counts = uow.rules.hit_counts(RULE, clock.now - timedelta(days=1))
    return [(c.result, c.enforced, c.count) for c in counts]


def test_a_shadow_rule_answers_00_and_the_same_rule_active_answers_59(
        sg: App, clock: Clock) -> None:
    enrol(sg)
    sg.write(lambda uow: starter_pack.install(uow, sg.ctx, OPS, RuleStatus.SHADOW))
    clock.set_local("2026-11-25T02:40:00")  # night in Beijing
    with gateway(sg) as gw:
        client = Client(gw.port)
        try:
            shadow = client.request(purchase(1, amount=200_000, **STRIPE_CASH))
            assert hits(sg, clock) == [("hit", False, 1)]
            sg.write(lambda uow: ru.move(uow, sg.ctx, OPS, RULE, RuleStatus.ACTIVE))
            # a province never used: the card's only use so far was the shadow hit's
            # own withdrawal in Beijing, so the active rule is tried in Guangdong
            active = client.request(purchase(2, amount=200_000, **STRIPE_CASH,
                                             **{"43": GUANGZHOU_SHOP}))
            chip = client.request(purchase(3, amount=200_000, **CHIP_CASH,
                                           **{"43": GUANGZHOU_SHOP}))
        finally:
            client.close()
    assert shadow["39"] == "00"
    assert active["39"] == "59"
    assert chip["39"] == "00"
    assert ("hit", True, 1) in hits(sg, clock)

