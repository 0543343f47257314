"""The WAL stays bounded under a writer that is never idle (adapters/sqlite/store.py,
Checkpointer). PASSIVE checkpoints alone never let SQLite start the WAL again then: in
``serve`` under load it grew past 150 MB in a minute; here, through the real writer, it
grows with everything written unless the checkpointer restarts it past its limit."""

from __future__ import annotations

import os
import threading
from functools import partial
from pathlib import Path

import pytest

import smartguard.adapters.sqlite.store as sqlite_store
from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.service_layer import authorize as az
from tests.integration.test_concurrency import PAN, enrol, withdrawal

LIMIT = 256 << 10


def busy_writer(tmp: Path, limit: int, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """4,000 authorizations from 16 threads at once (the writer never idle); the largest
    WAL file seen, and how many times the checkpointer restarted it."""
    monkeypatch.setattr(sqlite_store, "WAL_LIMIT_BYTES", limit)
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_INTERVAL_S", 0.05)
    sg = bootstrap(load(None, data_dir=tmp))
    wal = f"{sg.settings.sqlite_path}-wal"
    largest, done = 0, threading.Event()
    try:
        enrol(sg, balance=10**11)
        ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))

        def pay() -> None:
            for _ in range(250):
                sg.write(partial(az.authorize, ctx=sg.ctx, ref=ref, request=withdrawal(100)))

        threads = [threading.Thread(target=pay) for _ in range(16)]
        for t in threads:
            t.start()
        while not done.wait(0.02):
            largest = max(largest, os.path.getsize(wal) if os.path.exists(wal) else 0)
            if not any(t.is_alive() for t in threads):
                done.set()
        for t in threads:
            t.join()
        restarts = sg.store._checkpointer.restarts  # type: ignore[attr-defined]
    finally:
        sg.close()
    return largest, restarts


def test_the_wal_is_started_again_past_its_limit_while_the_writer_never_stops(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unbounded, none = busy_writer(tmp_path / "a", 1 << 40, monkeypatch)
    bounded, restarts = busy_writer(tmp_path / "b", LIMIT, monkeypatch)
    assert none == 0 and restarts >= 1
    assert bounded < unbounded / 5  # what was written is the same
