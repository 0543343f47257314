"""The advisor on the real stores (SQLite and PostgreSQL): travel exceptions stored and
found by instant, due announcements, agreements marked as used, and a check-up and a
preview over a real recorded history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.controls import values as s
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.service_layer import agreements as ag
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, checkup, travel
from smartguard.service_layer import preview as pv
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import CardRecord
from tests.conftest import Clock

ACTOR = Actor("test", "test")
PAN = with_check_digit("622202100000000001")
_stan = iter(range(1, 1_000_000))


def enrol(sg: App, controls: s.Controls | None = None,
          timezone: str = "Asia/Shanghai") -> CardRecord:
    def job(uow: Any) -> CardRecord:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001",
                                   timezone=timezone)
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 10_000_000)
        return cards.enrol_card(uow, sg.ctx, ACTOR, PAN, a.id, controls=controls)

    return sg.write(job)


def request(region: str | None = "CN-HA", country: str = "CN", amount: int = 10_000,
            agreement_id: str | None = None) -> AuthorizationRequest:
    stan = f"{next(_stan):06d}"
    online = agreement_id is not None
    return AuthorizationRequest(
        MessageKind.PURCHASE, amount, "CNY", amount,
        TerminalType.NONE if online else TerminalType.POS, not online,
        EntryMode.CREDENTIAL_ON_FILE if online else EntryMode.CHIP, country, region,
        merchant_id="M1", acquirer_id="1", stan=stan, transmission_time=stan,
        agreement_id=agreement_id)


def pay(sg: App, card: CardRecord, req: AuthorizationRequest) -> az.AuthorizationResult:
    return sg.write(lambda uow: az.authorize(uow, sg.ctx, az.CardRef(card_id=card.card.id),
                                             req))


def test_a_travel_exception_opens_and_closes_the_lock_at_its_instants(sg: App,
                                                                       clock: Clock) -> None:
    card = enrol(sg, s.Controls(region_lock=s.region_lock(True, ["CN-HA"])))
    clock.set_local("2026-11-25T12:00:00")
    sg.write(lambda uow: travel.add_travel(uow, sg.ctx, ACTOR, card.card.id, "CN-HI",
                                           datetime(2026, 11, 26, 8),
                                           datetime(2026, 11, 28, 20)))
    for when, outcome in [("2026-11-26T07:59:59", Outcome.DECLINE),
                          ("2026-11-26T08:00:00", Outcome.APPROVE),
                          ("2026-11-28T19:59:59", Outcome.APPROVE),
                          ("2026-11-28T20:00:00", Outcome.DECLINE)]:
        clock.set_local(when)
        assert pay(sg, card, request("CN-HI")).record.outcome is outcome, when


def test_due_announcements_are_found_by_instant_whatever_zone_they_were_given_in(
        sg: App, clock: Clock) -> None:
    card = enrol(sg, timezone="America/New_York")
    clock.now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    tokyo = ZoneInfo("Asia/Tokyo")
    rec = sg.write(lambda uow: travel.add_travel(
        uow, sg.ctx, ACTOR, card.card.id, "JP", datetime(2026, 11, 26, 9, tzinfo=tokyo),
        datetime(2026, 11, 27, 9, tzinfo=tokyo)))
    assert rec.starts_at == datetime(2026, 11, 26, 0, tzinfo=UTC)
    clock.now = datetime(2026, 11, 25, 23, 59, tzinfo=UTC)
    assert sg.write(lambda uow: travel.announce_due(uow, sg.ctx)) == 0
    clock.now = datetime(2026, 11, 26, 0, 0, tzinfo=UTC)
    assert sg.write(lambda uow: travel.announce_due(uow, sg.ctx)) == 1
    assert sg.write(lambda uow: travel.announce_due(uow, sg.ctx)) == 0
    clock.now = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
    assert sg.write(lambda uow: travel.announce_due(uow, sg.ctx)) == 1
    stored = sg.read(lambda uow: uow.travel.get(rec.id))
    assert stored.end_announced_at == clock.now
    listed = sg.read(lambda uow: uow.travel.for_card(card.card.id))
    assert [r.id for r in listed] == [rec.id]
    assert sg.read(lambda uow: uow.travel.for_card(card.card.id, clock.now)) == []


def test_an_approved_quick_payment_marks_its_agreement_used(sg: App, clock: Clock) -> None:
    card = enrol(sg)
    sg.write(lambda uow: ag.register_agreement(uow, sg.ctx, ACTOR,
                                               az.CardRef(card_id=card.card.id), "AGR1",
                                               "Fast Pay Co", (None, 50_000)))
    assert pay(sg, card, request(None, agreement_id="AGR1")).record.outcome \
        is Outcome.APPROVE
    assert sg.read(lambda uow: uow.agreements.get("AGR1")).last_used_at == clock.now
    listed = sg.read(lambda uow: ag.agreements_for(uow, ACTOR, card.card.id))
    assert [(r.id, r.daily_limit) for r in listed] == [("AGR1", 50_000)]


def test_check_up_and_preview_over_a_recorded_history(sg: App, clock: Clock) -> None:
    card = enrol(sg)
    start = clock.now
    for d in range(45, 0, -1):
        clock.now = start - timedelta(days=d)
        pay(sg, card, request("CN-HA"))
    clock.now = start - timedelta(days=3)
    away = pay(sg, card, request("CN-GD")).record
    clock.now = start
    checked = sg.read(lambda uow: checkup.run_check_up(uow, sg.ctx, ACTOR, card.card.id))
    region = checked.report.finding("protection_off.region_lock")
    assert region is not None and region.fix is not None
    assert region.fix.as_dict()["value"]["places"] == ["CN-HA", "CN-GD"]
    henan = s.ProtectionChange(s.Protection.REGION_LOCK, s.region_lock(True, ["CN-HA"]))
    result, _ = sg.read(lambda uow: pv.preview_change(
        uow, sg.ctx, ACTOR, card.card.id, [henan], {}))
    assert [c.past.id for c in result.declined] == [away.id]
    assert result.declined[0].proposed.primary is Reason.REGION_LOCK


def test_the_background_announcer_sends_what_is_due(sg: App, clock: Clock) -> None:
    import asyncio

    from smartguard.entrypoints.serve import services
    from smartguard.entrypoints.travel_announcer import TravelAnnouncer

    assert any(isinstance(svc, TravelAnnouncer) for svc in services(sg))
    card = enrol(sg)
    clock.set_local("2026-11-25T12:00:00")
    sg.write(lambda uow: travel.add_travel(uow, sg.ctx, ACTOR, card.card.id, "JP",
                                           datetime(2026, 11, 25, 13),
                                           datetime(2026, 11, 25, 14)))
    announcer = TravelAnnouncer(sg)
    clock.set_local("2026-11-25T14:00:00")
    assert asyncio.run(announcer.once()) == 1
    assert asyncio.run(announcer.once()) == 0
    sms = sg.read(lambda uow: uow.outbox.list(None, "sms", card.card.id, 10))
    assert [m.event for m in sms][:2] == ["security.travel_ended", "security.travel_started"]


def test_two_nodes_announcers_at_once_take_each_exception_once(
        pg_url: str, tmp_path: Path, clock: Clock) -> None:
    """On PostgreSQL every node runs the announcer: one that finds an exception due locks
    it, and another looking at the same moment skips it (it is announced once)."""
    settings = load(None, data_dir=tmp_path, database_url=pg_url)
    first, second = bootstrap(settings, clock=clock), bootstrap(settings, clock=clock)
    try:
        card = enrol(first)
        first.write(lambda uow: travel.add_travel(
            uow, first.ctx, ACTOR, card.card.id, "JP", clock.now + timedelta(minutes=1),
            clock.now + timedelta(days=2)))
        clock.now += timedelta(minutes=2)  # its start is due
        holding = first.store.writer()
        holding.begin()
        try:
            assert len(holding.travel.due(clock.now, 10)) == 1  # node 1 has it, locked
            assert second.write(lambda uow: travel.announce_due(uow, second.ctx)) == 0
        finally:
            holding.abort()
        assert second.write(lambda uow: travel.announce_due(uow, second.ctx)) == 1
        assert first.write(lambda uow: travel.announce_due(uow, first.ctx)) == 0
    finally:
        first.close()
        second.close()
