"""The SQLite store: pragmas, migrations, what is (not) stored, and rollback."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from smartguard.adapters.sqlite import store
from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.pan import with_check_digit
from smartguard.errors import StoreUnavailable
from smartguard.service_layer import cards
from smartguard.service_layer.batch_runner import BatchRunner
from smartguard.service_layer.context import Actor
from smartguard.service_layer.loop_writer import LoopWriter
from tests.conftest import Clock

ACTOR = Actor("test", "test")


def loop_writer(sg: App, loop: Any) -> LoopWriter:
    """A writer on ``loop`` over ``sg``'s store, as ``serve`` wires it."""
    return LoopWriter(BatchRunner(sg.store.writer), loop)


@pytest.fixture
def sg(tmp_path: Path, clock: Clock) -> Iterator[App]:
    """This module is about the SQLite store only."""
    app = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock)
    yield app
    app.close()
PAN = with_check_digit("622202100000000001")


def test_upgrade_applies_every_migration_once(tmp_path: Path) -> None:
    db = tmp_path / "x.db"
    applied = store.upgrade(db)
    assert applied == [name for _, name, _ in store.migrations()]
    assert store.upgrade(db) == []
    assert store.pending(db) == []


def test_database_runs_in_wal_mode_with_full_sync(sg: App) -> None:
    conn = store.connect(sg.settings.sqlite_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_pan_is_stored_only_as_a_keyed_hash_and_first6_last4(sg: App) -> None:
    def job(uow: cards.UnitOfWork) -> None:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 100)
        cards.enrol_card(uow, sg.ctx, ACTOR, PAN, a.id)

    sg.write(job)
    raw = Path(sg.settings.sqlite_path).read_bytes()
    wal = Path(str(sg.settings.sqlite_path) + "-wal")
    raw += wal.read_bytes() if wal.exists() else b""
    assert PAN.encode() not in raw
    assert PAN[6:-4].encode() not in raw
    conn = sqlite3.connect(sg.settings.sqlite_path)
    row = conn.execute("SELECT pan_hash, first6, last4 FROM cards").fetchone()
    assert row[0] == sg.ctx.hash_pan(PAN)
    assert (row[1], row[2]) == (PAN[:6], PAN[-4:])


def test_a_failing_job_leaves_nothing_behind(sg: App) -> None:
    def job(uow: cards.UnitOfWork) -> None:
        cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        raise StoreUnavailable("simulated failure after the first write")

    with pytest.raises(StoreUnavailable):
        sg.write(job)
    assert sg.read(lambda uow: uow.cards.search(None, "+8613800000001", 5)) == []
    conn = sqlite3.connect(sg.settings.sqlite_path)
    assert conn.execute("SELECT count(*) FROM cardholders").fetchone()[0] == 0


def test_unreadable_database_becomes_store_unavailable(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreUnavailable):
        store.upgrade(bad)


def test_the_serving_writer_never_waits_on_the_loop_for_another_process(sg: App) -> None:
    """While another process holds SQLite's write lock, the event-loop writer begins in its
    helper thread (the loop goes on serving) and its jobs commit once the lock is free."""
    import asyncio
    import time

    from smartguard.domain.cards import Cardholder

    other = sqlite3.connect(sg.settings.sqlite_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. `smartguard cards enrol` mid-transaction
    t0 = time.monotonic()
    assert sg.store.writer().try_begin() is False  # at once, nothing begun
    assert time.monotonic() - t0 < 1

    async def scenario() -> tuple[str, float]:
        loop = asyncio.get_running_loop()
        writer = loop_writer(sg, loop)
        job = asyncio.ensure_future(writer.arun(lambda uow: uow.cardholders.add(
            Cardholder("chd_x", "H", "+8613800138000"), sg.ctx.clock()) or "done"))
        ticks = 0.0
        started = loop.time()
        while loop.time() - started < 0.3:  # the loop keeps turning meanwhile
            await asyncio.sleep(0.01)
            ticks += 1
        loop.call_later(0, other.execute, "COMMIT")
        result = await asyncio.wait_for(job, 10)
        await writer.aclose()
        return result, ticks

    result, ticks = asyncio.run(scenario())
    other.close()
    assert result == "done" and ticks >= 20
    assert sg.read(lambda uow: uow.cardholders.get("chd_x")) is not None
    uow = sg.store.writer()
    assert uow.try_begin() is True  # and the busy timeout is back for the rest
    uow.rollback()
    assert uow.db.one("PRAGMA busy_timeout") == (store.BUSY_MS,)


def test_the_outbox_adds_only_new_messages(sg: App) -> None:
    from dataclasses import replace

    from smartguard.service_layer.messages import OutboxMessage, OutboxStatus

    fresh = OutboxMessage(id="msg_1", created_at=sg.ctx.clock(), channel="sms",
                          kind="security", event="security.frozen", recipient="+8613800000001",
                          language="zh-CN", text="【SmartGuard】x", payload={"a": 1},
                          sealed="s3aled")
    sg.write(lambda uow: uow.outbox.add_all([fresh, replace(fresh, id="msg_2", sealed=None)]))
    got = sg.read(lambda uow: uow.outbox.get("msg_1"))
    assert got is not None and got.sealed == "s3aled" and got.status is OutboxStatus.PENDING
    assert got.attempts == 0 and got.text == fresh.text and dict(got.payload) == {"a": 1}
    assert sg.read(lambda uow: uow.outbox.get("msg_2")).sealed is None  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="not new"):
        sg.write(lambda uow: uow.outbox.add(replace(fresh, id="msg_3", attempts=1)))
