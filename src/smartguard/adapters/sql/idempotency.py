"""Idempotency keys of the HTTP API in SQL (migration 0009)."""

from __future__ import annotations

from datetime import datetime

from smartguard.adapters.sql.codec import ts
from smartguard.adapters.sql.db import Db
from smartguard.service_layer.records import StoredAnswer


class SqlIdempotency:
    def __init__(self, db: Db) -> None:
        self.db = db

    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              expires_at: datetime) -> StoredAnswer | None:
        self.db.execute("DELETE FROM idempotency_keys WHERE scope = ? AND expires_at <= ?",
                        (scope, ts(now)))
        # the row is taken first: on PostgreSQL a second transaction with the same key
        # waits here for the first to end, then finds its answer
        taken = self.db.execute(
            "INSERT INTO idempotency_keys (scope, key, fingerprint, status, body, "
            "created_at, expires_at) VALUES (?,?,?,0,'',?,?) "
            "ON CONFLICT (scope, key) DO NOTHING",
            (scope, key, fingerprint, ts(now), ts(expires_at)))
        if taken.rowcount == 1:
            return None
        row = self.db.one("SELECT fingerprint, status, body FROM idempotency_keys "
                          "WHERE scope = ? AND key = ?", (scope, key))
        assert row is not None  # taken by a committed transaction
        return StoredAnswer(row[0], row[1], row[2])

    def answer(self, scope: str, key: str, status: int, body: str) -> None:
        self.db.execute("UPDATE idempotency_keys SET status = ?, body = ? "
                        "WHERE scope = ? AND key = ?", (status, body, scope, key))

    def forget_expired(self, now: datetime, limit: int) -> int:
        # by primary key, at most ``limit`` rows: a sweep never holds a long write
        gone = self.db.execute(
            "DELETE FROM idempotency_keys WHERE (scope, key) IN (SELECT scope, key FROM "
            "idempotency_keys WHERE expires_at <= ? LIMIT ?)", (ts(now), limit))
        return int(gone.rowcount)

    def get(self, scope: str, key: str, now: datetime) -> StoredAnswer | None:
        row = self.db.one("SELECT fingerprint, status, body FROM idempotency_keys "
                          "WHERE scope = ? AND key = ? AND expires_at > ?",
                          (scope, key, ts(now)))
        return StoredAnswer(row[0], row[1], row[2]) if row else None
