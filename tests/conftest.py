"""Shared fixtures: a real SmartGuard on a temporary SQLite database, with a settable clock."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load

BEIJING = ZoneInfo("Asia/Shanghai")


class Clock:
    """The guard's clock in tests: fixed until moved."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set_local(self, text: str, zone: ZoneInfo = BEIJING) -> None:
        """Set the clock to ``text`` (ISO, wall-clock time in ``zone``)."""
        self.now = datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 25, 4, 0, tzinfo=UTC))  # 12:00 in Beijing


@pytest.fixture
def sg(tmp_path: Path, clock: Clock) -> Iterator[App]:
    app = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock)
    yield app
    app.close()
