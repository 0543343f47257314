from __future__ import annotations

import pytest

from smartguard.service_layer.messages import OutboxMessage
from tests.builders import beijing
from tests.unit.service.world import Enrolled, World


@pytest.fixture
def world() -> World:
    """Monday 2026-03-02, 12:00 in Beijing."""
    return World(beijing(12))


@pytest.fixture
def card(world: World) -> Enrolled:
    return world.enrol()


def outbox(world: World, channel: str | None = "sms") -> list[OutboxMessage]:
    """Committed outbox messages (of ``channel``), oldest first."""
    return list(reversed(world.view().outbox.list(None, channel, None, 1000)))
