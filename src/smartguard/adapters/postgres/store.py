"""PostgreSQL: the production store (psycopg 3). Same repositories as SQLite (the SQL is
shared, written with ``?`` placeholders); this module adds the connection, the migrations
and row locks so that several SmartGuard processes may write to one database."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import psycopg
import structlog
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from smartguard.adapters.sql.cache import WriterCache
from smartguard.adapters.sql.db import Db
from smartguard.adapters.sql.locks import lock_rows
from smartguard.adapters.sql.uow import SqlUnitOfWork
from smartguard.errors import StoreUnavailable
from smartguard.service_layer.ports import RowLock

MIGRATIONS = "smartguard.adapters.postgres.migrations"
log = structlog.get_logger("smartguard.postgres")
#: What PostgreSQL reports as transient: the writer runs the batch again (40P01, 40001).
TRANSIENT = (psycopg.errors.DeadlockDetected, psycopg.errors.SerializationFailure)


#: Added to the connection string unless it says otherwise: the writer needs the primary
#: (after a failover, libpq tries each host of a multi-host URL and takes the one that
#: accepts writes), and a primary that vanishes mid-statement is noticed in seconds.
DEFAULTS = {"target_session_attrs": "read-write", "keepalives": "1",
            "keepalives_idle": "2", "keepalives_interval": "1", "keepalives_count": "2",
            "tcp_user_timeout": "3000"}


def connect(url: str, connect_timeout: float = 10) -> psycopg.Connection[Any]:
    """An autocommit connection: transactions are opened and closed explicitly by the unit
    of work (``BEGIN`` ... ``COMMIT``), as on SQLite."""
    given = conninfo_to_dict(url)
    extra = {k: v for k, v in DEFAULTS.items() if k not in given}
    try:
        return psycopg.connect(make_conninfo(url, **extra), autocommit=True,
                               connect_timeout=max(2, round(connect_timeout)))
    except psycopg.Error as exc:
        raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc


def wrap(conn: psycopg.Connection[Any]) -> Db:
    db = Db(conn, placeholder="%s", errors=(psycopg.Error,),
            integrity=(psycopg.errors.IntegrityError,), conflicts=TRANSIENT,
            for_update=" FOR UPDATE")
    db.broken = lambda: bool(db.conn.broken or db.conn.closed)
    return db


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


class Lane:
    """One writer connection, the cache of its transactions, and how a lost one is
    replaced: by a helper thread, waited for at most ``timeout`` seconds."""

    def __init__(self, url: str, timeout: float) -> None:
        self.timeout = timeout
        self.db = wrap(connect(url, timeout))
        self.cache = WriterCache(per_transaction=True)
        self._reconnect = Reconnector(lambda: connect(url, timeout))

    def healthy(self) -> bool:
        return not self.db.broken()

    def ensure(self) -> None:
        """Replace a lost connection, or raise StoreUnavailable within ``timeout``."""
        if self.healthy():
            return
        conn = self._reconnect.get(self.timeout)
        with contextlib.suppress(Exception):
            self.db.conn.close()
        self.db.conn = conn
        log.info("postgres_reconnected", host=conn.info.host, port=conn.info.port)

    def close(self) -> None:
        self.db.conn.close()
        self._reconnect.close()


class PostgresStore:
    """Writer connections (*lanes*: the first made at once, a second one for a writer that
    overlaps a batch with its predecessor's COMMIT, loop_writer.py) and one read
    connection per reading thread. A connection that was lost (a failover) is replaced
    when next needed; a lane's replacement is made by a helper thread and waited for at
    most ``timeout`` seconds: while no primary answers, each batch fails closed within that
    time (the store is unavailable) instead of hanging, and the first connection that
    comes through serves the next batch."""

    def __init__(self, url: str, timeout: float = 1.0,
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.url = url
        self.timeout = timeout
        self.clock = clock  # the service's clock: which days' counters a batch reads first
        self._lanes = [Lane(url, timeout)]
        self._local = threading.local()
        self._readers: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def writer(self) -> SqlUnitOfWork:
        return PgUnitOfWork(self._lanes[0], self)

    def writers(self, n: int) -> list[Callable[[], SqlUnitOfWork]]:
        """``n`` writer lanes, each a source of units of work on a connection of its own
        (the second and later are connected now)."""
        while len(self._lanes) < n:
            self._lanes.append(Lane(self.url, self.timeout))
        return [functools.partial(PgUnitOfWork, lane, self) for lane in self._lanes[:n]]

    def reader(self) -> SqlUnitOfWork:
        db = getattr(self._local, "db", None)
        if db is None or db.broken():
            conn = connect(self.url, self.timeout)
            with self._lock:
                self._readers.append(conn)
            db = self._local.db = wrap(conn)
        return SqlUnitOfWork(db, begin="BEGIN READ ONLY")

    def close(self) -> None:
        for lane in self._lanes:
            lane.close()
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()


class PgUnitOfWork(SqlUnitOfWork):
    """The writer's unit of work on one lane: it begins on the loop's thread only while its
    connection is sound (``try_begin``); a lost one is replaced in :meth:`begin`, which the
    writer runs in its helper thread (loop_writer.py), so waiting for a new primary never
    stalls the loop."""

    def __init__(self, lane: Lane, store: PostgresStore) -> None:
        super().__init__(lane.db, begin="BEGIN", cache=lane.cache)
        self._lane = lane
        self._store = store

    def try_begin(self) -> bool:
        if not self._lane.healthy():
            return False
        self.begin()
        return True

    def lock_rows(self, locks: list[RowLock]) -> None:
        lock_rows(self.db, locks, self._lane.cache, self._store.clock())

    def begin(self) -> None:
        self._lane.ensure()
        super().begin()


class Reconnector:
    """Makes new connections in a thread of its own, one attempt at a time, so that a
    caller waits only as long as it chooses; an attempt that succeeds after its caller gave
    up serves the next caller."""

    def __init__(self, make: Callable[[], psycopg.Connection[Any]]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._done = threading.Event()
        self._result: psycopg.Connection[Any] | None = None
        self._error: BaseException | None = None
        self._running = False

    def get(self, timeout: float) -> psycopg.Connection[Any]:
        with self._lock:
            if self._result is None and not self._running:
                self._running, self._error = True, None
                self._done.clear()
                threading.Thread(target=self._attempt, name="pg-reconnect",
                                 daemon=True).start()
        self._done.wait(timeout)
        with self._lock:
            conn, self._result = self._result, None
            if conn is not None:
                return conn
            error = self._error
        raise StoreUnavailable(f"no PostgreSQL primary answered within {timeout:g} s"
                               + (f": {error}" if error else ""))

    def _attempt(self) -> None:
        try:
            conn = self._make()
        except BaseException as exc:
            with self._lock:
                self._error, self._running = exc, False
        else:
            with self._lock:
                self._result, self._running = conn, False
        self._done.set()

    def close(self) -> None:
        with self._lock:
            if self._result is not None:
                self._result.close()
                self._result = None
