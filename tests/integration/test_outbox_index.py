"""A card's outbox messages are read through an index (migration 0010), not by scanning the
outbox back from its newest row."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from smartguard.bootstrap import bootstrap
from smartguard.config import load


def test_a_cards_messages_are_read_by_the_index(tmp_path: Path) -> None:
    settings = load(None, data_dir=tmp_path / "data")
    bootstrap(settings).close()  # migrated
    with sqlite3.connect(settings.sqlite_path) as conn:
        plan = " ".join(str(r) for r in conn.execute(
            "EXPLAIN QUERY PLAN SELECT id FROM outbox WHERE card_id = ? ORDER BY id DESC "
            "LIMIT 16", ("card_x",)))
    assert "outbox_card" in plan, plan
