"""Use cases: travel exceptions (出行例外). A cardholder opens the region lock for one
province, or the overseas lock for one country, for a while; it closes by itself. The
cardholder is alerted when it starts and when it ends (:func:`announce_due`, run by a
background service, and at once when it is created already running or cancelled)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from smartguard.domain import travel as t
from smartguard.domain.state import TravelAllowance
from smartguard.errors import InvalidInput, InvalidState, UnknownTravelException
from smartguard.service_layer import notify
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, CardRecord, TravelRecord

#: Most travel exceptions not yet ended that one card may hold.
MAX_OPEN = 10


def allowance(r: TravelRecord) -> TravelAllowance:
    return TravelAllowance(r.place, r.starts_at, r.ends_at)


def allowances(uow: UnitOfWork, card_id: str, now: datetime) -> tuple[TravelAllowance, ...]:
    """The card's travel exceptions that have not ended at ``now`` (for the engine)."""
    return tuple(allowance(r) for r in uow.travel.for_card(card_id, ending_after=now))


def view(r: TravelRecord, now: datetime) -> dict[str, Any]:
    state = "cancelled" if r.cancelled_at and r.cancelled_at < r.planned_end else \
        "scheduled" if now < r.starts_at else "active" if now < r.ends_at else "ended"
    return {"id": r.id, "place": r.place, "kind": r.kind, "state": state,
            "starts_at": r.starts_at.isoformat(), "ends_at": r.ends_at.isoformat(),
            "planned_end": r.planned_end.isoformat(), "created_at": r.created_at.isoformat(),
            "cancelled_at": r.cancelled_at.isoformat() if r.cancelled_at else None}


def add_travel(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, place: str,
               starts_at: datetime, ends_at: datetime) -> TravelRecord:
    card = card_for(uow, actor, card_id, lock=True)
    now = ctx.clock()
    plan = t.plan_travel(place, starts_at, ends_at, card.cardholder.timezone, now)
    if len(uow.travel.for_card(card_id, ending_after=now)) >= MAX_OPEN:
        raise InvalidInput("place", f"a card holds at most {MAX_OPEN} travel exceptions "
                           "at a time; cancel one first", "too_many_travel_exceptions")
    record = TravelRecord(ctx.new_id("trv"), card_id, plan.place, plan.kind.value,
                          plan.starts_at, plan.ends_at, plan.ends_at, now, actor.id)
    uow.travel.add(record)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "travel.add", card_id,
                             card.card.cardholder_id, None, view(record, now)))
    return _announce(uow, ctx, card, record, now)


def cancel_travel(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                  travel_id: str) -> TravelRecord:
    """End a travel exception now (or drop it before it starts)."""
    card = card_for(uow, actor, card_id, lock=True)
    record = uow.travel.get(travel_id)
    if record is None or record.card_id != card_id:
        raise UnknownTravelException(f"no travel exception {travel_id} on this card")
    now = ctx.clock()
    if record.ends_at <= now:
        raise InvalidState("this travel exception has already ended")
    ended = replace(record, ends_at=now, cancelled_at=now)
    if now < record.starts_at:  # never started: nothing to announce, ever
        ended = replace(ended, start_announced_at=now, end_announced_at=now)
    uow.travel.update(ended)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "travel.cancel", card_id,
                             card.card.cardholder_id, view(record, now), view(ended, now)))
    return _announce(uow, ctx, card, ended, now)


def list_travel(uow: UnitOfWork, actor: Actor, card_id: str, now: datetime,
                include_past: bool = False) -> list[TravelRecord]:
    card_for(uow, actor, card_id)
    return uow.travel.for_card(card_id, ending_after=None if include_past else now)


def announce_due(uow: UnitOfWork, ctx: Context, limit: int = 100) -> int:
    """Alert the start and the end of every travel exception whose moment has come;
    returns how many exceptions were announced (each start and end is announced once)."""
    now = ctx.clock()
    due = uow.travel.due(now, limit)
    for record in due:
        card = uow.cards.get(record.card_id)
        if card is not None:
            _announce(uow, ctx, card, record, now)
    return len(due)


def _announce(uow: UnitOfWork, ctx: Context, card: CardRecord, r: TravelRecord,
              now: datetime) -> TravelRecord:
    updated = r
    if r.start_announced_at is None and r.starts_at <= now:
        _publish(uow, ctx, card, r, t.TravelEvent.STARTED)
        updated = replace(updated, start_announced_at=now)
    if updated.start_announced_at is not None and r.end_announced_at is None \
            and r.ends_at <= now:
        _publish(uow, ctx, card, r, t.TravelEvent.ENDED)
        updated = replace(updated, end_announced_at=now)
    if updated != r:
        uow.travel.update(updated)
    return updated


def _publish(uow: UnitOfWork, ctx: Context, card: CardRecord, r: TravelRecord,
             event: t.TravelEvent) -> None:
    """To the outbox, in this transaction."""
    alert = t.travel_alert(notify.recipient(card), event, r.place, r.starts_at, r.ends_at,
                           ctx.clock())
    notify.emit(uow, ctx, replace(alert, data={**alert.data, "travel_id": r.id}))
