"""What happened to every transaction of the measured period, per configuration: each
planned fraud step (its amount, what of it was approved, whether funds stopped it) and
each honest debit (declined, sent to verification, abandoned)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from smartguard.domain.decisions import Outcome, Reason, Verdict
from smartguard.simulate.model import HONEST, Attack, Payment, Plan


@dataclass(slots=True)
class Step:
    attack: int
    planned: int  # fen
    lost: int = 0  # approved, fen
    background: bool = False  # declined by funds or the bank's ceiling (no protection)
    tried: bool = False


@dataclass(slots=True)
class Honest:
    debits: int = 0
    value: int = 0
    declined: int = 0
    verified: int = 0
    abandoned: int = 0  # sent to verification and never completed
    reasons: Counter[str] = field(default_factory=Counter)  # primary reasons of declines


@dataclass(slots=True)
class Tally:
    attacks: tuple[Attack, ...]
    steps: dict[int, Step] = field(default_factory=dict)  # by the step's uid
    honest: Honest = field(default_factory=Honest)
    alerts: Counter[str] = field(default_factory=Counter)  # SMS by kind, measured period

    @classmethod
    def of(cls, plan: Plan) -> Tally:
        t = cls(plan.attacks)
        for uid, e in enumerate(plan.events):
            if isinstance(e, Payment) and e.attack != HONEST and e.request.is_debit:
                t.steps[uid] = Step(e.attack, e.request.billing_amount)
        return t

    def fraud(self, uid: int, outcome: Outcome, primary: Verdict | None, amount: int
              ) -> None:
        step = self.steps.get(uid)
        if step is None:
            return
        step.tried = True
        if outcome is Outcome.APPROVE:
            step.lost += amount
        elif background(primary) and not step.lost:
            step.background = True

    def first(self, p: Payment, outcome: Outcome, primary: Verdict | None) -> None:
        """The first answer to an honest debit of the measured period."""
        h = self.honest
        h.debits += 1
        h.value += p.request.billing_amount
        if outcome is Outcome.DECLINE and primary is not None and not background(primary):
            h.declined += 1
            h.reasons[primary.reason.value] += 1
        elif outcome is Outcome.VERIFY:
            h.verified += 1

    def abandoned(self) -> None:
        self.honest.abandoned += 1

    def ended_by_background(self, attack: int) -> None:
        """The criminals gave up after declines no protection made: what they did not try
        was not stopped by a protection either."""
        for step in self.steps.values():
            if step.attack == attack and not step.tried:
                step.background = True


def background(v: Verdict | None) -> bool:
    """A decline that is no protection's doing: the funds, or the bank's own ceiling
    (both stand in every configuration, nothing on included)."""
    if v is None:
        return False
    return v.reason is Reason.INSUFFICIENT_FUNDS or v.detail.endswith(".bank")
