from __future__ import annotations

import pytest

from tests.builders import beijing
from tests.unit.service.world import Enrolled, World


@pytest.fixture
def world() -> World:
    """Monday 2026-03-02, 12:00 in Beijing."""
    return World(beijing(12))


@pytest.fixture
def card(world: World) -> Enrolled:
    """An active card with 10,000.00 CNY, product defaults, cardholder in Beijing."""
    return world.enrol()
