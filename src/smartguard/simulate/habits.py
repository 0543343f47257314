"""A cardholder's honest traffic over the period: where they are each day (home, a
domestic trip, a trip abroad) and the payments their habits make there."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from smartguard.simulate import draw, places
from smartguard.simulate.model import Event, Holder, Payment, Trip
from smartguard.simulate.requests import request
from smartguard.simulate.scenario import Archetype, Habit, Scenario


@dataclass(frozen=True, slots=True)
class Where:
    country: str
    region: str | None
    city: str


def honest(h: Holder, kind: Archetype, sc: Scenario) -> list[Event]:
    """Holder ``h``'s own payments and trip announcements (from the seed and ``h``)."""
    rng = draw.stream(sc.run.seed, "habits", h.index)
    days, start = sc.run.days, sc.run.start
    where, events = itinerary(rng, h, kind, sc)
    for habit in kind.habits:
        for _ in range(draw.poisson(rng, habit.per_day * days)):
            d = rng.randrange(days)
            events.append(_payment(rng, h, habit, start + timedelta(days=d), where[d], sc))
    for _ in range(draw.poisson(rng, kind.overseas_online * days)):
        day = start + timedelta(days=rng.randrange(days))
        country = rng.choice(places.ONLINE_ABROAD)
        fen = draw.fen(rng, 250, 1.0)
        events.append(Payment(draw.at_hour(rng, day, (10, 14, 21, 22, 23), h.home.timezone),
                              h.index, request("online", fen, country, None, "",
                                               f"WEB{country}{rng.randrange(40):02d}", "5999"),
                              then=_then(rng, "online", sc)))
    return events


def itinerary(rng: random.Random, h: Holder, kind: Archetype, sc: Scenario
              ) -> tuple[list[Where], list[Event]]:
    """Where ``h`` is on each day of the period, and their trips (announced or not: see
    :class:`Trip`)."""
    home = Where("CN", h.home.province, h.home.city)
    where = [home] * sc.run.days
    events: list[Event] = []
    scale = sc.run.days / 90
    trips = [(False, n) for n in range(draw.poisson(rng, kind.domestic_trips * scale))]
    trips += [(True, n) for n in range(draw.poisson(rng, kind.overseas_trips * scale))]
    for abroad, _ in trips:
        first = _trip_start(rng, sc)
        length = draw.between(rng, kind.trip_days) + (2 if abroad else 0)
        place = places.pick_abroad(rng) if abroad else places.pick_destination(
            rng, h.home.province)
        there = Where(place, None, place) if abroad else Where("CN", place, place)
        for d in range(first, min(first + length, sc.run.days)):
            where[d] = there
        # every trip is planned with the draw that says whether it is announced: the
        # configuration may ask for another share than the scenario's (play.py)
        events.append(_announce(h, sc.run.start, first, length, place, rng.random()))
    return where, events


def _trip_start(rng: random.Random, sc: Scenario) -> int:
    end = sc.run.start + timedelta(days=sc.run.days)
    holidays = [d for d in sc.run.holidays if sc.run.start <= d < end]
    if holidays and rng.random() < sc.run.holiday_trips:
        return (rng.choice(holidays) - sc.run.start).days
    return rng.randrange(sc.run.days)


def _announce(h: Holder, start: date, first: int, length: int, place: str, chance: float
              ) -> Trip:
    tz = h.home.timezone
    begins = draw.instant(start + timedelta(days=first), 0, 0, 0, tz)
    return Trip(begins - timedelta(hours=4), h.index, place, begins,
                begins + timedelta(days=length), chance)


def _payment(rng: random.Random, h: Holder, habit: Habit, day: date, where: Where,
             sc: Scenario) -> Payment:
    at = draw.at_hour(rng, day, habit.hours, h.home.timezone)
    fen = draw.fen(rng, habit.yuan, habit.spread) if habit.yuan else 0
    remote = habit.channel in ("online", "quick_pay")
    place = Where("CN", None, "") if remote else where
    agreement = rng.choice(h.bindings) if habit.channel == "quick_pay" and h.bindings \
        else None
    channel = "online" if habit.channel == "quick_pay" and agreement is None \
        else habit.channel
    return Payment(at, h.index, request(channel, fen, place.country, place.region,
                                        place.city, _merchant(rng, h, habit, place), habit.mcc,
                                        agreement), then=_then(rng, channel, sc))


def _merchant(rng: random.Random, h: Holder, habit: Habit, where: Where) -> str:
    if habit.channel == "quick_pay":
        return "QUICKPAY"
    if habit.shops and where.region == h.home.province:
        return f"S{habit.mcc}{h.index:07d}{rng.randrange(habit.shops)}"  # their few shops
    area = (where.region or where.country)[-2:]
    return f"M{habit.mcc}{area}{rng.randrange(2000):04d}"


def _then(rng: random.Random, channel: str, sc: Scenario) -> str:
    if channel == "online" and rng.random() < float(sc.honest["refund"]):
        return "refund"
    if channel == "atm_cash" and rng.random() < float(sc.honest["reversal"]):
        return "reverse"
    return ""

