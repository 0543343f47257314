"""A background service of ``serve``: forgets expired idempotency keys (a day old,
docs/api.md), whoever sent them. A caller's own expired keys also go when it writes its
next one; this sweep takes those of callers that stopped writing (a revoked API key), in
batches, so the table holds about one day of keys. Every node of a cluster runs it; two
sweeps at once delete each row once."""

from __future__ import annotations

import asyncio
import contextlib
import functools

import structlog

from smartguard.bootstrap import App
from smartguard.service_layer import idempotency

log = structlog.get_logger("smartguard.housekeeping")

INTERVAL = 600.0  # seconds between sweeps
BATCH = 1000  # keys deleted per write


class Housekeeping:
    name = "housekeeping"

    def __init__(self, sg: App, interval: float = INTERVAL) -> None:
        self._sg = sg
        self._interval = interval
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def once(self) -> int:
        """Forget every key expired now, a batch per write; how many there were."""
        sg, total = self._sg, 0
        while True:
            gone = await sg.awrite(functools.partial(idempotency.forget_expired,
                                                     ctx=sg.ctx, limit=BATCH))
            total += gone
            if gone < BATCH:
                return total

    async def _run(self) -> None:
        while True:
            try:
                if (gone := await self.once()):
                    log.info("idempotency_keys_forgotten", keys=gone)
            except Exception:  # the store may be down for a while: try again later
                log.exception("housekeeping_failed")
            await asyncio.sleep(self._interval)
