"""The cardholders: an archetype, a home province and city, a time zone, a balance and the
quick-payment agreements they signed before the period."""

from __future__ import annotations

import math

from smartguard.simulate import draw, places
from smartguard.simulate.model import Holder
from smartguard.simulate.scenario import YUAN, Archetype, Scenario


def holders(scenario: Scenario) -> tuple[Holder, ...]:
    """Cardholder ``i`` depends on the seed and ``i`` only (not on how many there are)."""
    kinds = scenario.archetypes
    weights = [a.share for a in kinds]
    low, high = scenario.honest["bindings"]
    out = []
    for i in range(scenario.run.cardholders):
        rng = draw.stream(scenario.run.seed, "holder", i)
        kind: Archetype = rng.choices(kinds, weights)[0]
        home = places.pick_home(rng)
        english = rng.random() < float(scenario.cardholder["language_en"])
        balance = round(kind.balance_yuan * math.exp(rng.gauss(0.0, 0.8))) * YUAN
        n = rng.randint(int(low), int(high))
        out.append(Holder(i, kind.name, home, "en" if english else "zh-CN", balance,
                          tuple(f"agr-{i}-{k}" for k in range(n))))
    return tuple(out)
