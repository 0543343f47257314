"""The controls beyond Smart Guard on the real stores (SQLite and PostgreSQL): stored with
the card and read back, a category's own daily amount counted, a timed unlock's schedule
found by instant and closed by the background announcer."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from smartguard.bootstrap import App, bootstrap
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import Switch
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.entrypoints.travel_announcer import TravelAnnouncer
from smartguard.service_layer import card_controls as cc
from tests.conftest import Clock
from tests.integration.test_advisor_store import ACTOR, enrol, pay, request


def test_every_new_control_survives_the_store(sg: App, clock: Clock) -> None:
    card = enrol(sg)
    cid = card.card.id
    sg.write(lambda uow: cc.set_switch(uow, sg.ctx, ACTOR, cid, Switch.CONTACTLESS, False))
    sg.write(lambda uow: cc.set_category(uow, sg.ctx, ACTOR, cid, Category.TRAVEL, True,
                                         50_000))
    sg.write(lambda uow: cc.set_merchant(uow, sg.ctx, ACTOR, cid, "BILL1", "Power", "allowed"))
    sg.write(lambda uow: cc.set_alert_only(uow, sg.ctx, ACTOR, cid, "night_lock", True))
    sg.write(lambda uow: cc.open_unlock(uow, sg.ctx, ACTOR, cid, "switches.contactless", 30))
    written = sg.read(lambda uow: uow.cards.get(cid)).controls
    assert written.switches.off == {Switch.CONTACTLESS}
    assert written.categories[Category.TRAVEL].daily_amount == 50_000
    assert dict(written.merchants.allowed) == {"BILL1": "Power"}
    assert written.alert_only == {"night_lock"} and len(written.unlocks) == 1
    sg.close()
    fresh = bootstrap(sg.settings, clock=clock)  # another process: nothing cached
    try:
        assert fresh.read(lambda uow: uow.cards.get(cid)).controls == written
    finally:
        fresh.close()


def test_a_category_daily_amount_is_counted_in_the_store(sg: App, clock: Clock) -> None:
    card = enrol(sg)
    cid = card.card.id
    sg.write(lambda uow: cc.set_category(uow, sg.ctx, ACTOR, cid, Category.MONEY_TRANSFER,
                                         False, 15_000))
    first = request(amount=10_000)
    assert pay(sg, card, _with_mcc(first, "4829")).record.outcome is Outcome.APPROVE
    second = pay(sg, card, _with_mcc(request(amount=10_000), "4829")).record
    assert second.verdicts[0].reason is Reason.CATEGORY_LIMIT


def test_a_timed_unlock_is_closed_by_the_announcer_at_its_end(sg: App, clock: Clock) -> None:
    card = enrol(sg)
    cid = card.card.id
    clock.now = datetime(2026, 11, 25, 4, tzinfo=UTC)
    sg.write(lambda uow: cc.set_switch(uow, sg.ctx, ACTOR, cid, Switch.POS, False))
    sg.write(lambda uow: cc.open_unlock(uow, sg.ctx, ACTOR, cid, "switches.pos", 15))
    assert pay(sg, card, request()).record.outcome is Outcome.APPROVE
    announcer = TravelAnnouncer(sg)
    clock.now += timedelta(minutes=14, seconds=59)
    assert asyncio.run(announcer.once()) == 0
    clock.now += timedelta(seconds=1)
    assert pay(sg, card, request()).record.verdicts[0].reason is Reason.POS_OFF
    assert asyncio.run(announcer.once()) == 1
    assert asyncio.run(announcer.once()) == 0
    assert sg.read(lambda uow: uow.cards.get(cid)).controls.unlocks == ()
    sms = sg.read(lambda uow: uow.outbox.list(None, "sms", cid, 10))
    assert sms[0].event == "security.unlock_closed"
    assert "security.unlock_opened" in [m.event for m in sms]


def _with_mcc(req: AuthorizationRequest, mcc: str) -> AuthorizationRequest:
    return replace(req, mcc=mcc)
