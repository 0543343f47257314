"""The simulator's throwaway store (bootstrap(..., throwaway=True)): refused for a serving
process and for PostgreSQL before anything is created; otherwise an embedded SQLite store
whose commits do not wait for the disk, journal in memory, no WAL and no checkpointer."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.errors import InvalidInput
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor

BANK = Actor("test", "cli")


def test_a_serving_process_cannot_have_a_throwaway_store(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    try:
        with pytest.raises(InvalidInput) as raised:
            bootstrap(load(None, data_dir=tmp_path), loop=loop, throwaway=True)
    finally:
        loop.close()
    assert raised.value.field == "throwaway"
    assert not list(tmp_path.glob("*.db"))  # refused before the schema is made


def test_postgresql_cannot_be_a_throwaway_store(tmp_path: Path) -> None:
    settings = load(None, data_dir=tmp_path,
                    database_url="postgresql://postgres@127.0.0.1:1/never_reached")
    with pytest.raises(InvalidInput) as raised:
        bootstrap(settings, throwaway=True)  # refused before any connection is tried
    assert raised.value.field == "throwaway"


def test_a_throwaway_store_keeps_what_it_commits_without_a_wal(tmp_path: Path) -> None:
    app = bootstrap(load(None, data_dir=tmp_path), throwaway=True)
    try:
        assert app.store._checkpointer is None  # type: ignore[attr-defined]
        writer = app.store._writer.conn  # type: ignore[attr-defined]
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "memory"
        assert writer.execute("PRAGMA synchronous").fetchone()[0] == 0
        holder = app.write(lambda uow: cards.enrol_cardholder(
            uow, app.ctx, BANK, "A", "+8613800000000", "zh-CN", "Asia/Shanghai"))
    finally:
        app.close()
    path = app.settings.sqlite_path
    assert not path.with_name(path.name + "-wal").exists()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM cardholders WHERE id = ?",
                          (holder.id,)).fetchone()[0] == 1


def test_a_durable_store_keeps_its_wal_and_full_synchronous(tmp_path: Path) -> None:
    app = bootstrap(load(None, data_dir=tmp_path))
    try:
        writer = app.store._writer.conn  # type: ignore[attr-defined]
        assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert writer.execute("PRAGMA synchronous").fetchone()[0] == 2
        assert app.store._checkpointer is not None  # type: ignore[attr-defined]
    finally:
        app.close()
