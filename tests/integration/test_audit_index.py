"""A cardholder's latest phone change (a card's activity for the monitoring rules) is read
through an index (migration 0011), not by scanning the whole audit trail."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from smartguard.adapters.sql.activity import _PHONE
from smartguard.bootstrap import bootstrap
from smartguard.config import load


def test_a_cardholders_phone_changes_are_read_by_the_index(tmp_path: Path) -> None:
    settings = load(None, data_dir=tmp_path / "data")
    bootstrap(settings).close()  # migrated
    with sqlite3.connect(settings.sqlite_path) as conn:
        plan = " ".join(str(r) for r in conn.execute(f"EXPLAIN QUERY PLAN {_PHONE}",
                                                     ("holder_x",)))
    assert "audit_phone" in plan, plan
