"""Two reads of the writer's hot path are served by an index (migration 0011), on both
stores, instead of scanning a table that grows without bound: the keys of the reversals
waiting for their original (every PostgreSQL batch reads them) and a holder's last change
of phone number (read for each card of a batch while monitoring rules are live)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartguard.adapters.sql import activity, locks
from smartguard.adapters.sql.ledger import PENDING_KEYS
from smartguard.bootstrap import bootstrap
from smartguard.config import load

PHONE_ALONE = activity._PHONE  # the writer's own read, one holder at a time
# the lock phase's, inside its one statement of reads (PostgreSQL only)
PHONE_BATCH, BATCH_PARAMS = locks.as_one([activity.prefetch(datetime.now(UTC))[3]],
                                         (["h"], ["card_x"]))


def test_sqlite_serves_them_by_their_indexes(tmp_path: Path) -> None:
    settings = load(None, data_dir=tmp_path / "data")
    bootstrap(settings).close()  # migrated
    with sqlite3.connect(settings.sqlite_path) as conn:
        pending = " ".join(map(str, conn.execute("EXPLAIN QUERY PLAN " + PENDING_KEYS)))
        phone = " ".join(map(str, conn.execute("EXPLAIN QUERY PLAN " + PHONE_ALONE,
                                               ("chd_x",))))
    assert "reversals_pending" in pending, pending
    assert "audit_phone_changes" in phone, phone


@pytest.mark.parametrize("sql, params, index", [
    (PENDING_KEYS, (), "reversals_pending"),
    (PHONE_ALONE.replace("?", "%s"), ("chd_x",), "audit_phone_changes"),
    (PHONE_BATCH.replace("?", "%s"), BATCH_PARAMS, "audit_phone_changes"),
])
def test_postgresql_can_serve_them_by_their_indexes(
        pg_url: str, tmp_path: Path, sql: str, params: tuple[object, ...], index: str
) -> None:
    """With sequential scans discouraged the planner picks the index: it is usable for the
    statement as written (a bound status would not match the partial index's predicate).
    On tables as small as a test's it may rightly prefer a scan otherwise."""
    import psycopg

    bootstrap(load(None, data_dir=tmp_path / "data", database_url=pg_url)).close()
    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plan = " ".join(r[0] for r in conn.execute("EXPLAIN " + sql, params))
    assert index in plan, plan
