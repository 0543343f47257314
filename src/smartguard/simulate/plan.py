"""The plan: the population, its honest traffic and the attacks, in time order, made once
from the scenario and the seed alone."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from smartguard.simulate import draw
from smartguard.simulate.attacks import attacks
from smartguard.simulate.habits import honest
from smartguard.simulate.model import Event, Payment, Plan
from smartguard.simulate.population import holders
from smartguard.simulate.scenario import Scenario


def make_plan(sc: Scenario) -> Plan:
    people = holders(sc)
    kinds = {a.name: a for a in sc.archetypes}
    events: list[Event] = []
    for h in people:
        events += honest(h, kinds[h.archetype], sc)
    made, attack_events = attacks(people, sc)
    events += attack_events
    start = draw.instant(sc.run.start, 0, 0, 0, "Asia/Shanghai")
    end = start + timedelta(days=sc.run.days)
    kept = [e for e in events if start <= e.at < end]
    kept.sort(key=lambda e: (e.at, e.holder))  # stable: ties keep the order made
    return Plan(people, tuple(made), tuple(_identified(kept)), start,
                start + timedelta(days=sc.run.learn_days), end)


ACQUIRER = "99000016"


def _identified(events: list[Event]) -> list[Event]:
    """Each payment's identity (acquirer, STAN, transmission time) from its place in the
    plan; repeats made while playing (a retry after a verification) get their own."""
    return [replace(e, request=replace(e.request, acquirer_id=ACQUIRER,
                                       stan=f"{uid % 1_000_000:06d}",
                                       transmission_time=f"{uid:010d}"))
            if isinstance(e, Payment) else e for uid, e in enumerate(events)]
