"""SQLite: the embedded default store. WAL, ``synchronous=FULL``, one writer connection
(used by one thread at a time) and a read connection per reading thread.

A *throwaway* store (``durable=False``) is for a database that is deleted when its process
ends, the simulator's (docs/effectiveness.md): ``synchronous=OFF`` (a commit does not wait
for the disk), the rollback journal in memory rather than a WAL (no checkpoints: a commit
writes its pages once), and a page cache as large as the database grows (its indexes stay
in memory: at 10,000 cardholders the 64 MiB cache held a fifth of them). A crash or a power
cut may lose or corrupt it. Only ``bootstrap(..., throwaway=True)`` makes one, and it
refuses to for a serving process or PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

import structlog

from smartguard.adapters.sql.cache import WriterCache
from smartguard.adapters.sql.db import Db
from smartguard.adapters.sql.uow import SqlUnitOfWork
from smartguard.errors import StoreUnavailable

MIGRATIONS = "smartguard.adapters.sqlite.migrations"
BUSY_MS = 30_000  # how long a statement waits for another process's lock
#: Past this many bytes of WAL the checkpointer restarts it (see Checkpointer), and a WAL
#: file that was restarted is cut back to this size
WAL_LIMIT_BYTES = 64 << 20
THROWAWAY_CACHE_KIB = 8 << 20  # a throwaway store's page cache: at most 8 GiB, as used
CHECKPOINT_INTERVAL_S = 0.5  # how often the checkpointer looks
log = structlog.get_logger("smartguard.sqlite")


def connect(path: Path | str, durable: bool = True) -> sqlite3.Connection:
    """A connection with the store's settings; ``durable=False``: commits do not wait for
    the disk (a throwaway store only, see the module's docstring)."""
    try:
        conn = sqlite3.connect(
            str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_MS / 1000
        )
        conn.execute("PRAGMA page_size=2048")  # new databases only; see performance.md
        conn.execute("PRAGMA journal_mode=WAL" if durable else "PRAGMA journal_mode=MEMORY")
        conn.execute("PRAGMA synchronous=FULL" if durable else "PRAGMA synchronous=OFF")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        conn.execute(f"PRAGMA cache_size=-{65536 if durable else THROWAWAY_CACHE_KIB}")
        conn.execute(f"PRAGMA journal_size_limit={WAL_LIMIT_BYTES}")
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot open SQLite database {path}: {exc}") from exc
    return conn


def wrap(conn: sqlite3.Connection) -> Db:
    return Db(conn, errors=(sqlite3.Error,), integrity=(sqlite3.IntegrityError,))


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) of every migration shipped, in order."""
    found = []
    for entry in resources.files(MIGRATIONS).iterdir():
        if entry.name.endswith(".sql"):
            version = int(entry.name.split("_", 1)[0])
            found.append((version, entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def upgrade(path: Path | str) -> list[str]:
    """Apply every migration not yet applied; returns the names applied."""
    conn = connect(path)
    try:
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)")
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        applied = []
        for version, name, sql in migrations():
            if version in done:
                continue
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(sql):
                    conn.execute(statement)
                conn.execute("INSERT INTO schema_migrations VALUES (?,?,?)",
                             (version, name, datetime.now(UTC).isoformat()))
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreUnavailable(f"migration {name} failed: {exc}") from exc
            applied.append(name)
        return applied
    finally:
        conn.close()


def _statements(sql: str) -> list[str]:
    lines = [ln for ln in sql.splitlines() if not ln.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def pending(path: Path | str) -> list[str]:
    conn = connect(path)
    try:
        try:
            done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
        except sqlite3.OperationalError:
            done = set()
        return [name for version, name, _ in migrations() if version not in done]
    finally:
        conn.close()


class Checkpointer:
    """Copies the WAL into the database file from its own thread and connection, so the
    writer never pays for a checkpoint inside a commit (the writer's automatic checkpoints
    are off). PASSIVE checkpoints never block the writer or readers.

    But a PASSIVE checkpoint only copies what was committed when it started, and SQLite
    starts the WAL again from its beginning only when a write begins with everything
    copied: under a writer that is never idle that moment never comes, and the WAL grows
    without end (seen: 155 MB in a minute of load; 4 GB in 15 minutes of simulation).
    So once the WAL holds more than ``limit`` bytes, a RESTART checkpoint follows the
    PASSIVE one: it holds new writes back only while it copies what the PASSIVE one just
    missed (a fraction of a second's commits) and waits for readers to leave the WAL, and
    the next write starts the WAL again, cut back to ``limit`` (``journal_size_limit``).
    So that the RESTART is not starved by a writer that takes SQLite's lock again the
    moment it lets it go, it first closes ``gate``, which this process's writer passes
    before each BEGIN (:class:`SqliteWriterUnitOfWork`): the writer then waits at most for
    the copy, in its helper thread (``try_begin`` finds the gate closed and says so),
    never on the event loop."""

    def __init__(self, path: Path, interval: float | None = None, limit: int | None = None,
                 gate: threading.Lock | None = None) -> None:
        self._path = path
        self._gate = gate or threading.Lock()
        self._interval = CHECKPOINT_INTERVAL_S if interval is None else interval
        self._limit = WAL_LIMIT_BYTES if limit is None else limit
        self.restarts = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="checkpointer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = connect(self._path)
        try:
            page = int(conn.execute("PRAGMA page_size").fetchone()[0])
            while not self._stop.wait(self._interval):
                try:
                    self._checkpoint(conn, page)
                except sqlite3.Error as exc:  # busy or I/O: try again next time
                    log.warning("checkpoint_failed", error=str(exc))
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            log.warning("final_checkpoint_failed", error=str(exc))
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection, page: int) -> None:
        _, frames, _ = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        if frames * (page + 24) > self._limit:
            with self._gate:
                busy, frames, copied = conn.execute(
                    "PRAGMA wal_checkpoint(RESTART)").fetchone()
            self.restarts += not busy
            log.info("wal_restarted" if not busy else "wal_restart_busy", frames=frames,
                     copied=copied)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class SqliteStore:
    """Hands out units of work: :meth:`writer` for the one writing thread, :meth:`reader`
    for any thread that only reads (each thread gets its own connection)."""

    def __init__(self, path: Path | str, durable: bool = True) -> None:
        self.path = Path(path)
        self.durable = durable
        writer = connect(self.path, durable)
        writer.execute("PRAGMA wal_autocheckpoint=0")
        self._writer = wrap(writer)
        self._gate = threading.Lock()
        #: a throwaway store has no WAL to copy
        self._checkpointer = Checkpointer(self.path, gate=self._gate) if durable else None
        self._cache = WriterCache()
        self._local = threading.local()
        self._readers: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def writer(self) -> SqlUnitOfWork:
        return SqliteWriterUnitOfWork(self._writer, self._gate, self._cache)

    def reader(self) -> SqlUnitOfWork:
        db = getattr(self._local, "db", None)
        if db is None:
            conn = connect(self.path, self.durable)
            with self._lock:
                self._readers.append(conn)
            db = self._local.db = wrap(conn)
        return SqlUnitOfWork(db, begin="BEGIN")

    def close(self) -> None:
        self._writer.conn.close()
        if self._checkpointer is not None:
            self._checkpointer.stop()
        with self._lock:
            for conn in self._readers:
                conn.close()
            self._readers.clear()


class SqliteWriterUnitOfWork(SqlUnitOfWork):
    """The writer's unit of work: ``BEGIN IMMEDIATE`` (the write lock up front), passing
    the checkpointer's gate first (Checkpointer)."""

    def __init__(self, db: Db, gate: threading.Lock, cache: WriterCache) -> None:
        super().__init__(db, begin="BEGIN IMMEDIATE", cache=cache,
                         nowait=("PRAGMA busy_timeout=0", f"PRAGMA busy_timeout={BUSY_MS}"))
        self._gate = gate
        self._through = False  # try_begin holds the gate already

    def begin(self) -> None:
        if self._through:
            super().begin()
            return
        with self._gate:
            super().begin()

    def try_begin(self) -> bool:
        if not self._gate.acquire(blocking=False):
            return False  # a RESTART checkpoint is copying: begin in the helper thread
        self._through = True
        try:
            return super().try_begin()
        finally:
            self._through = False
            self._gate.release()
