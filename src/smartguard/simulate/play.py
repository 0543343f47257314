"""The player: takes the plan's events and the cardholders' reactions in time order and
hands each to the real use case (authorize here; the rest in respond.py)."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from smartguard.domain.decisions import Outcome, Reason, Verdict
from smartguard.service_layer.authorize import AuthorizationResult, CardRef, authorize
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.simulate import respond
from smartguard.simulate.cardholder import Cardholder
from smartguard.simulate.configurations import Configuration
from smartguard.simulate.model import (
    HONEST,
    AttackKind,
    Binding,
    Event,
    Payment,
    Plan,
    Reaction,
    SimClock,
    Trip,
)
from smartguard.simulate.requests import request
from smartguard.simulate.tally import Tally, background


@dataclass
class Player:
    ctx: Context
    plan: Plan
    config: Configuration
    person: Cardholder
    tally: Tally
    clock: SimClock
    attack_params: Mapping[str, Mapping[str, Any]]
    cards: list[tuple[str, str]] = field(default_factory=list)  # (card id, cardholder id)
    played: int = 0  # plan events played
    heap: list[tuple[datetime, int, Reaction]] = field(default_factory=list)
    seq: int = 0
    stan: int = 0
    dropped: set[int] = field(default_factory=set)  # attacks no longer run
    declines: Counter[int] = field(default_factory=Counter)  # in a row, per attack
    stopping: set[int] = field(default_factory=set)  # holders about to reply ZF
    protected: set[int] = field(default_factory=set)  # a protection declined in the streak

    @property
    def announces(self) -> float:
        """The share of trips announced with a travel exception."""
        share = self.config.announces
        return float(self.person.p["announces_trip"]) if share is None else share

    def push(self, at: datetime, reaction: Reaction) -> None:
        self.seq += 1
        heapq.heappush(self.heap, (at, self.seq, reaction))

    def pending(self) -> bool:
        return self.played < len(self.plan.events) or bool(self.heap)

    def play(self, uow: UnitOfWork, budget: int) -> None:
        """Play up to ``budget`` events and reactions, the earliest first."""
        events = self.plan.events
        for _ in range(budget):
            nxt = events[self.played] if self.played < len(events) else None
            if nxt is not None and (not self.heap or nxt.at <= self.heap[0][0]):
                self.played += 1
                self.clock.now = max(self.clock.now, nxt.at)
                self._event(uow, self.played - 1, nxt)
            elif self.heap:
                at, _, reaction = heapq.heappop(self.heap)
                self.clock.now = max(self.clock.now, at)
                respond.react(self, uow, reaction)
            else:
                return

    def _event(self, uow: UnitOfWork, uid: int, e: Event) -> None:
        if isinstance(e, Payment):
            self.pay(uow, uid, e, first=True)
        elif isinstance(e, Binding):
            respond.bind(self, uow, uid, e)
        elif isinstance(e, Trip) and e.chance < self.announces:
            respond.trip(self, uow, e)

    def pay(self, uow: UnitOfWork, uid: int, p: Payment, first: bool, tries: int = 0
            ) -> None:
        if p.attack != HONEST and p.attack in self.dropped:
            return  # never tried: the criminals gave up, or the card was replaced
        if not first:  # a repeat: an identity of its own
            self.stan += 1
            p = replace(p, request=replace(p.request, stan=f"{self.stan % 1_000_000:06d}",
                                           transmission_time=f"R{self.stan:09d}"))
        result = authorize(uow, self.ctx, CardRef(card_id=self.cards[p.holder][0]),
                           p.request)
        if p.attack == HONEST:
            self._honest(uid, p, result, first)
        else:
            self._fraud(uow, uid, p, result, tries)

    def _honest(self, uid: int, p: Payment, r: AuthorizationResult, first: bool) -> None:
        outcome = r.record.outcome
        measured = p.at >= self.plan.measured_from and p.request.is_debit
        if first and measured:
            self.tally.first(p, outcome, primary(r))
        now = self.clock.now
        if outcome is Outcome.VERIFY and first:
            code = r.challenge.code if r.challenge else None
            delay = self.person.confirms(self.person.rng(uid)) if code else None
            if delay is None:
                if measured:
                    self.tally.abandoned()
                return
            self.confirm_then_retry(now + delay, uid, p, code or "")
        elif outcome is Outcome.APPROVE and p.then == "refund":
            days = self.person.rng(uid, "refund").randint(1, 10)
            refund = replace(p, request=request("refund", p.request.billing_amount, "CN",
                                                None, "", p.request.merchant_id, "5999"),
                             then="")
            self.push(now + timedelta(days=days), Reaction("refund", p.holder, uid, refund))
        elif outcome is Outcome.APPROVE and p.then == "reverse":
            self.push(now + timedelta(seconds=40), Reaction(
                "reverse", p.holder, uid, key=p.request.idempotency_key))

    def confirm_then_retry(self, at: datetime, uid: int, p: Payment, code: str,
                           tries: int = 0) -> None:
        """The cardholder replies ``Y <code>``; the merchant tries again 15 s later."""
        self.push(at, Reaction("answer", p.holder, uid, text=f"Y {code}"))
        self.push(at + timedelta(seconds=15), Reaction("retry", p.holder, uid, p,
                                                       tries=tries))

    def _fraud(self, uow: UnitOfWork, uid: int, p: Payment, r: AuthorizationResult,
               tries: int) -> None:
        attack = self.plan.attacks[p.attack]
        outcome = r.record.outcome
        self.tally.fraud(uid, outcome, primary(r), p.request.billing_amount)
        self._streak(attack.id, attack.kind, outcome, primary(r))
        if attack.kind is AttackKind.SCAM:
            self._victim(uid, p, r, tries)
        else:
            respond.noticed(self, uow, uid, p)

    def _streak(self, attack: int, kind: AttackKind, outcome: Outcome, v: Verdict | None
                ) -> None:
        """Declines in a row: after ``gives_up`` of them the criminals drop the card."""
        if outcome is Outcome.APPROVE:
            self.declines[attack] = 0
            self.protected.discard(attack)
            return
        self.declines[attack] += 1
        if not background(v):
            self.protected.add(attack)
        if self.declines[attack] >= int(self.params(kind).get("gives_up", 99)):
            self.dropped.add(attack)
            if attack not in self.protected:
                self.tally.ended_by_background(attack)

    def params(self, kind: AttackKind) -> Mapping[str, Any]:
        return self.attack_params[kind.value]

    def _victim(self, uid: int, p: Payment, r: AuthorizationResult, tries: int) -> None:
        """The deceived cardholder pays on: confirms a verification (coached by the
        caller), and after a limit decline is told to try a smaller amount."""
        now, params = self.clock.now, self.params(AttackKind.SCAM)
        code = r.challenge.code if r.challenge else None
        if r.record.outcome is Outcome.VERIFY and code:
            delay = self.person.confirms(self.person.rng(uid, tries, "scam"),
                                         float(params["confirms"]))
            if delay is not None:
                self.confirm_then_retry(now + delay, uid, p, code, tries)
        elif _reason(r) is Reason.AMOUNT_LIMIT and tries < int(params["retries_smaller"]):
            q = p.request
            half = replace(q, amount=q.amount // 2, billing_amount=q.billing_amount // 2)
            self.push(now + timedelta(minutes=3), Reaction(
                "retry", p.holder, uid, replace(p, request=half), tries=tries + 1))


def primary(r: AuthorizationResult) -> Verdict | None:
    verdicts = r.record.verdicts
    return verdicts[0] if verdicts else None


def _reason(r: AuthorizationResult) -> Reason | None:
    v = primary(r)
    return v.reason if v else None
