"""The attacks, each a sequence over time as criminals run it (docs/effectiveness.md gives
the sources): who is attacked, when, and the transactions the criminal (or the deceived
cardholder) sends. Every attack starts after the learning weeks."""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from smartguard.simulate import draw, places
from smartguard.simulate.model import Attack, AttackKind, Binding, Event, Holder, Payment
from smartguard.simulate.requests import request, request_for
from smartguard.simulate.scenario import YUAN, Scenario

Maker = Callable[[random.Random, Holder, Attack, Mapping[str, Any]], list[Event]]


def attacks(holders: tuple[Holder, ...], sc: Scenario) -> tuple[list[Attack], list[Event]]:
    """Each attacked cardholder suffers one attack; the kinds take their victims in turn
    (a scam prefers the elderly)."""
    rng = draw.stream(sc.run.seed, "attacks")
    free = list(range(len(holders)))
    made: list[Attack] = []
    events: list[Event] = []
    for kind in AttackKind:
        p = sc.attack(kind.value)
        count = min(len(free), draw.poisson(rng, float(p["rate"]) * len(holders)))
        for victim in _victims(rng, kind, free, holders, p, count):
            free.remove(victim)
            attack = Attack(len(made), kind, victim, _start(rng, sc, holders[victim]))
            made.append(attack)
            events += MAKERS[kind](draw.stream(sc.run.seed, "attack", attack.id),
                                   holders[victim], attack, p)
    return made, events


def _victims(rng: random.Random, kind: AttackKind, free: list[int],
             holders: tuple[Holder, ...], p: Mapping[str, Any], count: int) -> list[int]:
    weight = float(p.get("elderly_weight", 1))
    weights = [weight if holders[i].archetype == "elderly" else 1.0 for i in free]
    chosen: list[int] = []
    while len(chosen) < count:
        pick = rng.choices(free, weights)[0]
        if pick not in chosen:
            chosen.append(pick)
    return chosen


def _start(rng: random.Random, sc: Scenario, h: Holder) -> datetime:
    last = max(sc.run.learn_days, sc.run.days - 3)
    day = sc.run.start + timedelta(days=rng.randint(sc.run.learn_days, last))
    return draw.instant(day, 0, 0, 0, h.home.timezone)


def _budget(h: Holder, p: Mapping[str, Any]) -> int:
    return int(h.balance * float(p["share_of_balance"]))


def _capped(payments: list[Payment], budget: int) -> list[Event]:
    """The transactions a crew would try within what it thinks the card holds: a step
    larger than what is left asks for what is left (in hundreds of yuan), if anything."""
    out: list[Event] = []
    for pay in payments:
        amount = pay.request.billing_amount
        if amount > budget:
            amount = budget // (100 * YUAN) * 100 * YUAN
            if amount <= 0:
                continue
            q = pay.request
            pay = replace(pay, request=request_for(q, amount))
        budget -= amount
        out.append(pay)
    return out


def skim(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any]) -> list[Event]:
    """Cashed out by magnetic stripe at night in another province: often a balance inquiry
    first, then withdrawals a few minutes apart, then goods bought by swiping the clone."""
    province = places.other_province(rng, h.home.province)
    at = draw.instant(a.start.date(), rng.choice(p["hours"]), rng.randrange(60), 0,
                      h.home.timezone)
    atm = f"ATM{province[-2:]}{rng.randrange(9000):04d}"
    steps = []
    if rng.random() < float(p["inquiry_first"]):
        steps.append(Payment(at, h.index, request("clone_inquiry", 0, "CN", province, "",
                                                  atm, "6011"), a.id))
    for _ in range(draw.between(rng, p["withdrawals"])):
        at += timedelta(minutes=rng.randint(1, 6))
        steps.append(Payment(at, h.index, request(
            "clone_atm", draw.yuan_between(rng, p["withdrawal_yuan"]), "CN", province, "",
            atm, "6011"), a.id))
    for _ in range(draw.between(rng, p["purchases"])):
        at += timedelta(minutes=rng.randint(15, 50))
        shop = f"JEWEL{province[-2:]}{rng.randrange(900):03d}"
        steps.append(Payment(at, h.index, request(
            "magstripe", draw.yuan_between(rng, p["purchase_yuan"]), "CN", province, "",
            shop, "5944"), a.id))
    return _capped(steps, _budget(h, p))


def cnp(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any]) -> list[Event]:
    """Card-not-present at overseas merchants, often after small card-testing attempts."""
    at = a.start + timedelta(minutes=rng.randrange(24 * 60))
    steps = []
    if rng.random() < float(p["tests_first"]):
        for _ in range(draw.between(rng, p["tests"])):
            at += timedelta(minutes=rng.randint(1, 20))
            steps.append(_abroad(rng, h, a, at, draw.yuan_between(rng, p["test_yuan"]), p))
        at += timedelta(hours=rng.uniform(1, 12))
    end = at + timedelta(days=float(p["spread_days"]))
    times = sorted(at + (end - at) * rng.random() for _ in range(draw.between(
        rng, p["purchases"])))
    steps += [_abroad(rng, h, a, t, draw.yuan_between(rng, p["purchase_yuan"]), p)
              for t in times]
    return _capped(steps, _budget(h, p))


def _abroad(rng: random.Random, h: Holder, a: Attack, at: datetime, fen: int,
            p: Mapping[str, Any]) -> Payment:
    country = rng.choice(p["countries"])
    return Payment(at, h.index, request("online", fen, country, None, "",
                                        f"SHOP{country}{rng.randrange(300):03d}", "5999"),
                   a.id)


def lost(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any]) -> list[Event]:
    """A found or stolen card tapped for goods nearby, below the no-PIN amount."""
    lost_at = draw.instant(a.start.date(), rng.randint(8, 20), rng.randrange(60), 0,
                           h.home.timezone)
    at = lost_at + timedelta(hours=rng.uniform(*p["hours_after"]))
    steps = []
    for _ in range(draw.between(rng, p["purchases"])):
        mcc = rng.choice(("5411", "5812", "5999", "5541", "5311"))
        steps.append(Payment(at, h.index, request(
            "contactless", draw.yuan_between(rng, p["purchase_yuan"]), "CN",
            h.home.province, h.home.city, f"M{mcc}{h.home.province[-2:]}"
            f"{rng.randrange(2000):04d}", mcc), a.id))
        at += timedelta(minutes=draw.between(rng, p["minutes_between"]))
    return _capped(steps, _budget(h, p))


def binding(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any]) -> list[Event]:
    """A third-party agreement bound without the cardholder knowing (a "default-ticked"
    authorisation), then small deductions at night."""
    agreement = f"agr-hidden-{a.id}"
    at = draw.instant(a.start.date(), rng.choice(p["hours"]), rng.randrange(60), 0,
                      h.home.timezone)
    steps: list[Event] = [Binding(at, h.index, agreement, "Hidden Pay Co", a.id)]
    day = a.start.date()
    pays: list[Payment] = []
    for _ in range(draw.between(rng, p["deductions"])):
        day += timedelta(days=draw.between(rng, p["nights_between"]))
        when = draw.instant(day, rng.choice(p["hours"]), rng.randrange(60), 0,
                            h.home.timezone)
        pays.append(Payment(when, h.index, request(
            "quick_pay", draw.yuan_between(rng, p["deduction_yuan"]), "CN", None, "",
            "HIDDENPAY", "6012", agreement), a.id))
    return steps + _capped(pays, _budget(h, p))


def scam(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any]) -> list[Event]:
    """The cardholder, on a video call with a face-swapped "relative" or "officer", pays
    or transfers: online to the caller's "safe account", at an ATM, or buying gold."""
    steps = _scam_session(rng, h, a, p, a.start)
    if rng.random() < float(p["second_day"]):
        steps += _scam_session(rng, h, a, p, a.start + timedelta(days=1))
    return _capped(steps, _budget(h, p))


def _scam_session(rng: random.Random, h: Holder, a: Attack, p: Mapping[str, Any],
                  day: datetime) -> list[Payment]:
    at = draw.instant(day.date(), rng.randint(9, 16), rng.randrange(60), 0, h.home.timezone)
    steps = []
    for _ in range(draw.between(rng, p["payments"])):
        fen = draw.yuan_between(rng, p["payment_yuan"])
        way = rng.choices(("online", "atm_transfer", "chip"), (5, 3, 2))[0]
        merchant = {"online": "SAFEACCOUNT", "atm_transfer": "ATMHOME01",
                    "chip": f"GOLD{h.home.province[-2:]}01"}[way]
        mcc = {"online": "4829", "atm_transfer": "6011", "chip": "5944"}[way]
        steps.append(Payment(at, h.index, request(way, fen, "CN", h.home.province,
                                                  h.home.city, merchant, mcc), a.id))
        at += timedelta(minutes=rng.randint(8, 40))
    return steps


MAKERS: dict[AttackKind, Maker] = {
    AttackKind.SKIM: skim, AttackKind.CNP: cnp, AttackKind.LOST: lost,
    AttackKind.BINDING: binding, AttackKind.SCAM: scam,
}
