"""Shared fixtures: a real SmartGuard on a temporary SQLite database, with a settable clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings, load

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


PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def postgres_available() -> str | None:
    """None when PostgreSQL answers at 127.0.0.1:5432, else why not."""
    try:
        import psycopg

        psycopg.connect(PG_URL, connect_timeout=3).close()
    except Exception as exc:
        return f"PostgreSQL is not reachable at {PG_URL}: {exc}"
    return None


def card_locked_elsewhere(pg_url: str, card_id: str) -> bool:
    """Does another connection find the card's row locked (``FOR UPDATE NOWAIT``)?"""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as other:
        try:
            other.execute("SELECT id FROM cards WHERE id = %s FOR UPDATE NOWAIT", (card_id,))
        except psycopg.errors.LockNotAvailable:
            return True
    return False


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards."""
    reason = postgres_available()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"sgtest_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(params=["sqlite", "postgres"])
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    """Settings for each store: embedded SQLite, and PostgreSQL (skipped if absent)."""
    if request.param == "sqlite":
        return load(None, data_dir=tmp_path / "data")
    url = request.getfixturevalue("pg_url")
    return load(None, data_dir=tmp_path / "data", database_url=url)


@pytest.fixture
def sg(store_settings: Settings, clock: Clock) -> Iterator[App]:
    app = bootstrap(store_settings, clock=clock)
    yield app
    app.close()
