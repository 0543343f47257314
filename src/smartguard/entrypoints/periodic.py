"""A background service of ``serve`` that does one thing every few seconds (the travel
announcer, the housekeeping sweep): started and stopped with the server, and a failure (the
store down for a while) logged and tried again at the next turn."""

from __future__ import annotations

import asyncio
import contextlib

import structlog

from smartguard.bootstrap import App

log = structlog.get_logger("smartguard.periodic")


class Periodic:
    name = "periodic"
    done_event = "periodic_done"  # logged with ``count`` when a turn did something

    def __init__(self, sg: App, interval: float) -> None:
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
        """One turn; how many things it did."""
        raise NotImplementedError

    async def _run(self) -> None:
        while True:
            try:
                if (done := await self.once()):
                    log.info(self.done_event, service=self.name, count=done)
            except Exception:  # the store may be down for a while: try again later
                log.exception("periodic_failed", service=self.name)
            await asyncio.sleep(self._interval)
