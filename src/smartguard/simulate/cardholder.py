"""How the simulated cardholder reacts (docs/effectiveness.md): reads an SMS after a delay
(or never; at night, after waking), replies ZF when a payment was not theirs, confirms a
verification of their own payment, shrugs off small sums. Each reaction draws from a
generator named after the transaction it answers, so every configuration sees the same
person react the same way to the same message."""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from smartguard.simulate import draw
from smartguard.simulate.scenario import YUAN


class Cardholder:
    def __init__(self, params: Mapping[str, Any], seed: int) -> None:
        self.p = params
        self.seed = seed

    def rng(self, *names: object) -> random.Random:
        return draw.stream(self.seed, "react", *names)

    def reads(self, rng: random.Random, at: datetime, timezone: str, amount: int
              ) -> datetime | None:
        """When an SMS sent at ``at`` is read (None: never), about ``amount`` fen."""
        if rng.random() < float(self.p["alert_missed"]):
            return None
        small = 0 < amount < int(self.p["small_yuan"]) * YUAN
        if small and rng.random() < float(self.p["small_ignored"]):
            return None
        median = float(self.p["alert_minutes"])
        delay = timedelta(minutes=median * 2.718281828 ** rng.gauss(0.0, float(
            self.p["alert_spread"])))
        return self._awake(rng, at + delay, timezone)

    def _awake(self, rng: random.Random, at: datetime, timezone: str) -> datetime:
        """``at``, or when the cardholder wakes if asleep then."""
        sleeps, wakes = (int(h) for h in self.p["sleep"])
        if sleeps == wakes:
            return at  # never asleep
        local = draw.local(at, timezone)
        asleep = local.hour >= sleeps or local.hour < wakes
        if not asleep:
            return at
        day = local.date() + timedelta(days=1 if local.hour >= sleeps else 0)
        woke = draw.instant(day, wakes, 0, 0, timezone)
        return woke + timedelta(minutes=rng.uniform(0, float(self.p["wake_minutes"])))

    def confirms(self, rng: random.Random, probability: float | None = None
                 ) -> timedelta | None:
        """How long confirming a verification takes (None: not confirmed)."""
        chance = float(self.p["confirms"]) if probability is None else probability
        if rng.random() >= chance:
            return None
        return timedelta(seconds=draw.between(rng, self.p["confirm_seconds"]))

    def reissue(self, rng: random.Random) -> timedelta:
        return timedelta(days=draw.between(rng, self.p["reissue_days"]),
                         hours=rng.uniform(0, 8))
