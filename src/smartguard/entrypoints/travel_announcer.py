"""A background service of ``serve``: announces travel exceptions as they start and end
(each once; see ``service_layer.travel.announce_due``), and closes timed unlocks that have
run their time, with their close alert (``service_layer.card_controls.announce_due``)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable

import structlog

from smartguard.bootstrap import App
from smartguard.service_layer import card_controls, travel
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork

log = structlog.get_logger("smartguard.travel")

INTERVAL = 15.0  # seconds between looks; an alert goes out at most this late
BATCH = 100


def _due(announce: Callable[[UnitOfWork, Context, int], int], sg: App, uow: UnitOfWork
         ) -> int:
    return announce(uow, sg.ctx, BATCH)


class TravelAnnouncer:
    name = "travel-announcer"

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
        """Announce what is due now; returns how many exceptions and unlocks were."""
        sg = self._sg
        total = 0
        for announce in (travel.announce_due, card_controls.announce_due):
            while True:
                done = await sg.awrite(functools.partial(_due, announce, sg))
                total += done
                if done < BATCH:
                    break
        return total

    async def _run(self) -> None:
        while True:
            try:
                if (done := await self.once()):
                    log.info("travel_announced", exceptions=done)
            except Exception:  # the store may be down for a while: try again later
                log.exception("travel_announce_failed")
            await asyncio.sleep(self._interval)
