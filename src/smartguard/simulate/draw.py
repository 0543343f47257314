"""Random draws the simulator makes, each from a ``random.Random`` the caller seeded (so a
plan depends on the seed alone), and local wall-clock times made UTC instants."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from smartguard.simulate.scenario import YUAN


def stream(seed: int, *names: object) -> random.Random:
    """An independent generator for one purpose (a string seed is hashed with SHA-512:
    the same on every run and platform)."""
    return random.Random(":".join(str(n) for n in (seed, *names)))


def poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 200:  # normal approximation: no underflow of exp(-mean)
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def fen(rng: random.Random, median_yuan: float, spread: float) -> int:
    """A log-normal amount around ``median_yuan``, in fen, rounded to the yuan above 100."""
    value = median_yuan * math.exp(rng.gauss(0.0, spread)) if spread else median_yuan
    amount = max(1, round(value * YUAN))
    return amount if amount < 100 * YUAN else round(amount, -2)


def between(rng: random.Random, bounds: Sequence[float]) -> int:
    return rng.randint(int(bounds[0]), int(bounds[1]))


def yuan_between(rng: random.Random, bounds: Sequence[float]) -> int:
    return between(rng, bounds) * YUAN


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def instant(day: date, hour: int, minute: int, second: int, timezone: str) -> datetime:
    """The UTC instant of a local wall-clock time in ``timezone``."""
    local = datetime.combine(day, time(hour % 24, minute, second), _zone(timezone))
    if hour >= 24:
        local += timedelta(days=1)
    return local.astimezone(UTC)


def local(at: datetime, timezone: str) -> datetime:
    return at.astimezone(_zone(timezone))


def at_hour(rng: random.Random, day: date, hours: Sequence[int], timezone: str) -> datetime:
    return instant(day, rng.choice(hours), rng.randrange(60), rng.randrange(60), timezone)
