"""Travel exceptions through the service layer: stored, honoured by the authorization path,
expiring by themselves at the right instant in the cardholder's zone, announced once when
they start and once when they end, cancellable, owned."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.errors import InvalidInput
from smartguard.errors import Forbidden, InvalidState
from smartguard.service_layer import travel as tr
from smartguard.service_layer.protections import set_protection
from tests.builders import atm_withdrawal, beijing, change, controls, overseas_lock, region_lock
from tests.unit.service.world import Enrolled, World

HENAN = controls(region_lock=region_lock("CN-HA"))


def alerts(world: World, card: Enrolled) -> list[str]:
    """The travel alerts written to the outbox for the card, oldest first (SMS)."""
    sent = reversed(world.view().outbox.list(None, "sms", card.card_id, 100))
    return [m.event for m in sent if "travel" in m.event]


def add(world: World, card: Enrolled, place: str, start: datetime, end: datetime):
    return world.run(tr.add_travel, card.cardholder, card.card_id, place, start, end)


def test_a_travel_exception_opens_the_region_lock_for_its_province(world):
    card = world.enrol(controls=HENAN)
    assert world.authorize(card, atm_withdrawal(region="CN-HI")).record.outcome \
        is Outcome.DECLINE
    add(world, card, "CN-HI", beijing(12), beijing(18))
    assert world.authorize(card, atm_withdrawal(region="CN-HI")).record.outcome \
        is Outcome.APPROVE
    other = world.authorize(card, atm_withdrawal(region="CN-YN")).record
    assert other.verdicts[0].reason is Reason.REGION_LOCK


def test_it_expires_by_itself_at_its_end_in_the_cardholders_zone():
    world = World(datetime(2026, 3, 2, 14, tzinfo=UTC))  # 09:00 in New York (EST)
    card = world.enrol(timezone="America/New_York",
                       controls=controls(overseas_lock=overseas_lock()))
    # Typed by a cardholder in New York: wall-clock times there.
    add(world, card, "MX", datetime(2026, 3, 2, 9), datetime(2026, 3, 9, 18))
    mexico = {"country": "MX", "region": None}
    world.clock.set(datetime(2026, 3, 9, 21, 59, 59, tzinfo=UTC))  # 17:59:59 EDT (DST on 8th)
    assert world.authorize(card, atm_withdrawal(**mexico)).record.outcome is Outcome.APPROVE
    world.clock.set(datetime(2026, 3, 9, 22, 0, tzinfo=UTC))  # 18:00 EDT
    record = world.authorize(card, atm_withdrawal(**mexico)).record
    assert record.verdicts[0].reason is Reason.OVERSEAS_LOCK


def test_it_opens_at_its_start_and_not_before(world):
    card = world.enrol(controls=HENAN)
    add(world, card, "CN-HI", beijing(15), beijing(18))
    world.clock.set(beijing(14, 59, 59))
    assert world.authorize(card, atm_withdrawal(region="CN-HI")).record.outcome \
        is Outcome.DECLINE
    world.clock.set(beijing(15))
    assert world.authorize(card, atm_withdrawal(region="CN-HI")).record.outcome \
        is Outcome.APPROVE


def test_it_is_stored_in_utc_and_audited(world, card):
    rec = add(world, card, "jp", beijing(15), beijing(18))
    assert (rec.place, rec.kind) == ("JP", "overseas")
    assert rec.starts_at == datetime(2026, 3, 2, 7, tzinfo=UTC)
    entry = world.view().audit.for_card(card.card_id, 5)
    assert "travel.add" in [e.action for e in entry]


def test_an_invalid_travel_exception_changes_nothing(world, card):
    with pytest.raises(InvalidInput):
        add(world, card, "CN", beijing(15), beijing(18))
    assert world.view().travel.for_card(card.card_id) == []


def test_start_and_end_are_each_announced_once_when_their_moment_comes(world, card):
    add(world, card, "JP", beijing(15), beijing(18))
    assert world.run(tr.announce_due) == 0
    world.clock.set(beijing(15))
    assert world.run(tr.announce_due) == 1
    assert world.run(tr.announce_due) == 0
    assert alerts(world, card) == ["security.travel_started"]
    world.clock.set(beijing(18, 0, 30))
    assert world.run(tr.announce_due) == 1
    world.run(tr.announce_due)
    assert alerts(world, card) == ["security.travel_started", "security.travel_ended"]


def test_the_alert_goes_to_the_outbox_worded_in_the_cardholders_language_and_zone(world,
                                                                                  card):
    rec = add(world, card, "JP", beijing(11), beijing(18))  # running: announced at once
    sms = world.view().outbox.list(None, "sms", card.card_id, 10)
    started = next(m for m in sms if m.event == "security.travel_started")
    assert started.recipient == "+8613800138000"
    assert "日本" in started.text and "3月2日18:00" in started.text
    assert started.payload["place"] == "JP" and started.payload["travel_id"] == rec.id


def test_cancelling_a_running_exception_closes_the_lock_at_once_and_says_so(world):
    card = world.enrol(controls=HENAN)
    rec = add(world, card, "CN-HI", beijing(11), beijing(18))
    world.clock.set(beijing(13))
    world.run(tr.cancel_travel, card.cardholder, card.card_id, rec.id)
    record = world.authorize(card, atm_withdrawal(region="CN-HI")).record
    assert record.verdicts[0].reason is Reason.REGION_LOCK
    assert alerts(world, card) == ["security.travel_started", "security.travel_ended"]
    assert tr.view(world.view().travel.get(rec.id), world.clock.now)["state"] == "cancelled"


def test_an_exception_cancelled_before_it_starts_is_never_announced(world, card):
    rec = add(world, card, "JP", beijing(15), beijing(18))
    world.run(tr.cancel_travel, card.cardholder, card.card_id, rec.id)
    world.clock.set(beijing(19))
    assert world.run(tr.announce_due) == 0
    assert alerts(world, card) == []


def test_an_ended_exception_cannot_be_cancelled(world, card):
    rec = add(world, card, "JP", beijing(11), beijing(13))
    world.clock.set(beijing(13))
    with pytest.raises(InvalidState):
        world.run(tr.cancel_travel, card.cardholder, card.card_id, rec.id)


def test_listing_shows_exceptions_not_yet_ended_unless_asked_for_all(world, card):
    add(world, card, "JP", beijing(11), beijing(13))
    add(world, card, "TH", beijing(14), beijing(20))
    world.clock.set(beijing(13, 30))
    current = tr.list_travel(world.view(), card.cardholder, card.card_id, world.clock.now)
    assert [r.place for r in current] == ["TH"]
    every = tr.list_travel(world.view(), card.cardholder, card.card_id, world.clock.now,
                           include_past=True)
    assert [r.place for r in every] == ["JP", "TH"]


def test_another_cardholders_card_is_refused(world, card):
    other = world.enrol()
    with pytest.raises(Forbidden):
        world.run(tr.add_travel, other.cardholder, card.card_id, "JP", beijing(13),
                  beijing(14))


def test_a_card_holds_at_most_ten_open_exceptions(world, card):
    for i in range(tr.MAX_OPEN):
        add(world, card, "JP", beijing(13) + timedelta(days=i), beijing(14) + timedelta(days=i))
    with pytest.raises(InvalidInput) as err:
        add(world, card, "TH", beijing(13), beijing(14))
    assert err.value.code == "too_many_travel_exceptions"


def test_the_authorization_path_reads_travel_only_when_a_lock_would_stop_the_payment(
        world, card, monkeypatch):
    calls: list[str] = []
    real = tr.allowances
    monkeypatch.setattr(tr, "allowances", lambda uow, cid, now: calls.append(cid) or
                        real(uow, cid, now))
    world.authorize(card, atm_withdrawal(region="CN-HI"))  # no lock on
    world.run(set_protection, card.cardholder, card.card_id, change("region_lock",
              region_lock("CN-HA")))
    world.authorize(card, atm_withdrawal(region="CN-HA"))  # a usual place
    assert calls == []
    world.authorize(card, atm_withdrawal(region="CN-HI"))
    assert calls == [card.card_id]
