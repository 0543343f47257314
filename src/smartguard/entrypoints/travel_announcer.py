"""A background service of ``serve``: announces travel exceptions as they start and end
(each once; see ``service_layer.travel.announce_due``), and closes timed unlocks that have
run their time, with their close alert (``service_layer.card_controls.announce_due``)."""

from __future__ import annotations

import functools
from collections.abc import Callable

from smartguard.bootstrap import App
from smartguard.entrypoints.periodic import Periodic
from smartguard.service_layer import card_controls, travel
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork

INTERVAL = 15.0  # seconds between looks; an alert goes out at most this late
BATCH = 100


def _due(announce: Callable[[UnitOfWork, Context, int], int], sg: App, uow: UnitOfWork
         ) -> int:
    return announce(uow, sg.ctx, BATCH)


class TravelAnnouncer(Periodic):
    name = "travel-announcer"
    done_event = "travel_announced"

    def __init__(self, sg: App, interval: float = INTERVAL) -> None:
        super().__init__(sg, interval)

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
