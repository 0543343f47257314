"""A background service of ``serve``: forgets expired idempotency keys (a day old,
docs/api.md), whoever sent them. A caller's own expired keys also go when it writes its
next one; this sweep takes those of callers that stopped writing (a revoked API key), in
batches, so the table holds about one day of keys. Every node of a cluster runs it; two
sweeps at once delete each row once."""

from __future__ import annotations

import functools

from smartguard.bootstrap import App
from smartguard.entrypoints.periodic import Periodic
from smartguard.service_layer import idempotency

INTERVAL = 600.0  # seconds between sweeps
BATCH = 1000  # keys deleted per write


class Housekeeping(Periodic):
    name = "housekeeping"
    done_event = "idempotency_keys_forgotten"

    def __init__(self, sg: App, interval: float = INTERVAL) -> None:
        super().__init__(sg, interval)

    async def once(self) -> int:
        """Forget every key expired now, a batch per write; how many there were."""
        sg, total = self._sg, 0
        while True:
            gone = await sg.awrite(functools.partial(idempotency.forget_expired,
                                                     ctx=sg.ctx, limit=BATCH))
            total += gone
            if gone < BATCH:
                return total
