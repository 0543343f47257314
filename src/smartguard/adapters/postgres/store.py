"""PostgreSQL: the production store (psycopg 3). Same repositories as SQLite (the SQL is
shared, written with ``?`` placeholders); this module adds the connection, the migrations
and row locks so that several SmartGuard processes may write to one database."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import psycopg

from smartguard.adapters.sql.db import Db
from smartguard.adapters.sql.uow import SqlUnitOfWork
from smartguard.errors import StoreUnavailable

MIGRATIONS = "smartguard.adapters.postgres.migrations"
#: What PostgreSQL reports as transient: the writer runs the batch again (40P01, 40001).
TRANSIENT = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


def connect(url: str) -> psycopg.Connection[Any]:
    """An autocommit connection: transactions are opened and closed explicitly by the unit
    of work (``BEGIN`` ... ``COMMIT``), as on SQLite."""
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc


def wrap(conn: psycopg.Connection[Any]) -> Db:
    return Db(conn, placeholder="%s", errors=(psycopg.Error,),
              integrity=(psycopg.errors.IntegrityError,), conflicts=TRANSIENT,
              for_update=" FOR UPDATE")


def migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files(MIGRATIONS).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def upgrade(url: str) -> list[str]:
    """Apply every migration not yet applied (each in its own transaction); an advisory lock
    keeps two processes starting at once from applying the same migration twice."""
    conn = connect(url)
    try:
        conn.execute("SELECT pg_advisory_lock(742219)")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            try:
                with conn.transaction():
                    conn.execute(sql.encode())
                    conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, %s)",
                                 (version, name, datetime.now(UTC).isoformat()))
            except psycopg.Error as exc:
                raise StoreUnavailable(f"migration {name} failed: {exc}") from exc
            applied.append(name)
        return applied
    except psycopg.Error as exc:
        raise StoreUnavailable(f"cannot upgrade the schema: {exc}") from exc
    finally:
        conn.close()


class PostgresStore:
    """One writer connection (for the committer thread) and one read connection per
    reading thread."""

    def __init__(self, url: str) -> None:
        self.url = url
        self._writer = wrap(connect(url))
        self._local = threading.local()
        self._readers: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def writer(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self._writer, begin="BEGIN")

    def reader(self) -> SqlUnitOfWork:
        db = getattr(self._local, "db", None)
        if db is None or db.conn.closed:
            conn = connect(self.url)
            with self._lock:
                self._readers.append(conn)
            db = self._local.db = wrap(conn)
        return SqlUnitOfWork(db, begin="BEGIN READ ONLY")

    def close(self) -> None:
        self._writer.conn.close()
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()
