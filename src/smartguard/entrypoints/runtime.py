"""Process-wide tuning shared by the serving processes (``serve`` and ISO 8583 fronts)."""

from __future__ import annotations

import gc


def settle_heap() -> None:
    """Once started: hide every object alive now (modules, code, settings, the caches so
    far) from the garbage collector (``gc.freeze``). Requests in flight while a batch
    commits live long enough to reach the oldest generation and so trigger full
    collections every second or so under load; without this each scanned ~100,000
    start-up objects, a 35 ms pause of the event loop (docs/performance.md)."""
    gc.collect()
    gc.freeze()
