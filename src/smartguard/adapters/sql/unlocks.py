"""The schedule of timed unlocks in SQL (instants as UTC ISO text: text order = time order)."""

from __future__ import annotations

from datetime import datetime

from smartguard.adapters.sql.codec import dt, dt_req
from smartguard.adapters.sql.db import Db, Row
from smartguard.adapters.sql.travel import utc
from smartguard.service_layer.records import UnlockRecord

_COLUMNS = "id, card_id, target, starts_at, ends_at, created_at, created_by, end_announced_at"


def _record(row: Row) -> UnlockRecord:
    return UnlockRecord(row[0], row[1], row[2], dt_req(row[3]), dt_req(row[4]),
                        dt_req(row[5]), row[6], dt(row[7]))


class SqlUnlocks:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, r: UnlockRecord) -> None:
        self.db.execute(
            f"INSERT INTO control_unlocks ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
            (r.id, r.card_id, r.target, utc(r.starts_at), utc(r.ends_at), utc(r.created_at),
             r.created_by, utc(r.end_announced_at)))

    def update(self, r: UnlockRecord) -> None:
        self.db.execute(
            "UPDATE control_unlocks SET ends_at = ?, end_announced_at = ? WHERE id = ?",
            (utc(r.ends_at), utc(r.end_announced_at), r.id))

    def open_for(self, card_id: str, target: str) -> list[UnlockRecord]:
        rows = self.db.all(
            f"SELECT {_COLUMNS} FROM control_unlocks WHERE card_id = ? AND target = ? "
            "AND end_announced_at IS NULL ORDER BY starts_at, id", (card_id, target))
        return [_record(r) for r in rows]

    def due(self, now: datetime, limit: int) -> list[UnlockRecord]:
        rows = self.db.all(
            f"SELECT {_COLUMNS} FROM control_unlocks WHERE end_announced_at IS NULL "
            "AND ends_at <= ? ORDER BY ends_at, id LIMIT ?", (utc(now), limit))
        return [_record(r) for r in rows]
