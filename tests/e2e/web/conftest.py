from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import Clock
from tests.e2e.web.support import Web, make_web


@pytest.fixture
def web(tmp_path: Path, clock: Clock) -> Iterator[Web]:
    """The served app on SQLite with Wang Fang (zh-CN) and Li Wei (en) enrolled."""
    yield from make_web(tmp_path, clock)
