"""Process-wide tuning shared by the serving processes (``serve`` and ISO 8583 fronts)."""

from __future__ import annotations

import asyncio
import gc

import structlog

log = structlog.get_logger("smartguard.runtime")

#: Objects that may sit in the collector's oldest generation before they are frozen too
#: (:func:`settle_grown`): a full collection scans this many at most, about 8 ms here.
GROWN_LIMIT = 20_000
SETTLE_INTERVAL_S = 10.0


def settle_heap() -> None:
    """Once started: hide every object alive now (modules, code, settings, the caches so
    far) from the garbage collector (``gc.freeze``). Requests in flight while a batch
    commits live long enough to reach the oldest generation and so trigger full
    collections every second or so under load; without this each scanned ~100,000
    start-up objects, a 35 ms pause of the event loop (docs/performance.md)."""
    gc.collect()
    gc.freeze()


def settle_grown(limit: int = GROWN_LIMIT) -> bool:
    """Freeze the heap again once the oldest generation holds more than ``limit`` objects.

    The writer's cache grows as cards come by (a record of a few objects per card, kept
    for good), and a full collection scans all of it: 100,000 cached cards made a 150 ms
    pause of the event loop. Frozen objects are still freed when nothing refers to them;
    only a reference cycle among them would outlive its use, and what the oldest
    generation holds is the cache's records (no cycles) and a handful of requests in
    flight. Once the cache is warm the generation stops growing and nothing more is
    frozen. Costs a walk of that generation (at most ``limit`` objects, ~1 ms)."""
    if len(gc.get_objects(generation=2)) <= limit:
        return False
    gc.freeze()
    log.info("heap_settled", frozen=gc.get_freeze_count())
    return True


async def keep_heap_settled(interval: float = SETTLE_INTERVAL_S,
                            limit: int = GROWN_LIMIT) -> None:
    """:func:`settle_grown` every ``interval`` seconds, for as long as the process serves."""
    while True:
        await asyncio.sleep(interval)
        settle_grown(limit)
