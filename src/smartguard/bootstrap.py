"""The one place that wires adapters to the service layer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from types import ModuleType
from typing import TypeVar

from smartguard.adapters.cel_rules import CelLanguage
from smartguard.adapters.sqlite import store as sqlite_store
from smartguard.config import Settings, test_clock_start
from smartguard.domain.errors import InvalidInput
from smartguard.domain.rule_variables import SAMPLES
from smartguard.service_layer.batch_runner import BatchRunner
from smartguard.service_layer.context import Context, shifted_clock
from smartguard.service_layer.loop_writer import INLINE_COMMIT_MAX, LoopWriter
from smartguard.service_layer.overlap import Lanes
from smartguard.service_layer.ports import RowLock, Store, UnitOfWork
from smartguard.service_layer.telemetry import Telemetry
from smartguard.service_layer.thread_writer import ThreadWriter
from smartguard.service_layer.writer import Writer

T = TypeVar("T")


@dataclass
class App:
    """A running SmartGuard: settings, the use-case context, the store and its writer."""

    settings: Settings
    ctx: Context
    store: Store
    writer: Writer
    telemetry: Telemetry = field(default_factory=Telemetry)  # what /metrics shows

    def write(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        """Run ``job`` on the writer and return its committed result (``lock``: the row
        the job will lock, see ``Writer.run``)."""
        return self.writer.run(job, lock)

    async def awrite(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None
                     ) -> T:
        return await self.writer.arun(job, lock)

    def read(self, job: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only ``job`` on this thread's read connection."""
        with self.store.reader() as uow:
            return job(uow)

    def close(self) -> None:
        """Stop the writer (after ``await writer.aclose()`` on a loop) and the store."""
        self.writer.close()
        self.store.close()


def upgrade(settings: Settings) -> list[str]:
    """Create or upgrade the database schema; returns the migrations applied."""
    if is_postgres(settings):
        applied: list[str] = postgres().upgrade(settings.database_url)
        return applied
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return sqlite_store.upgrade(settings.sqlite_path)


def bootstrap(settings: Settings, clock: Callable[[], datetime] | None = None,
              loop: asyncio.AbstractEventLoop | None = None, throwaway: bool = False) -> App:
    """Wire SmartGuard. The writer is chosen here, once: on ``loop`` when one is given (a
    serving process: jobs run on the loop's thread, see loop_writer.py), else on a thread
    of its own (the command line, tests). ``throwaway``: an embedded SQLite store whose
    commits do not wait for the disk, for a database deleted after the run (the
    simulator's); refused for a serving process (``loop``) and for PostgreSQL."""
    if throwaway and (loop is not None or settings.database_url):
        raise InvalidInput("throwaway", "only an embedded store outside a serving process "
                           "may be a throwaway one")
    upgrade(settings)
    ctx = Context(
        secret=settings.secret,
        challenge_validity=settings.challenge_validity,
        ceilings=settings.ceilings,
        alert_channels=settings.alerts.written_channels,
        cooldowns=settings.cooldowns,
        rule_language=CelLanguage(SAMPLES),
        four_eyes=settings.rules_four_eyes,
    )
    start = test_clock_start(settings)
    if clock is None and start is not None:
        clock = shifted_clock(start)
    if clock is not None:
        ctx = replace(ctx, clock=clock)
    store: Store
    if is_postgres(settings):
        store = postgres().PostgresStore(settings.database_url, settings.store_timeout_s,
                                         clock=ctx.clock)
    else:
        store = sqlite_store.SqliteStore(settings.sqlite_path, durable=not throwaway)
    telemetry = Telemetry()
    return App(settings, ctx, store, _writer(settings, store, loop, telemetry), telemetry)


def _writer(settings: Settings, store: Store, loop: asyncio.AbstractEventLoop | None,
            telemetry: Telemetry) -> Writer:
    runner = BatchRunner(store.writer)
    runner.observer = telemetry.batch_committed
    if loop is not None:
        # With ISO 8583 front processes the loop has no decoding to do while a batch's
        # COMMIT waits for the disk, so every batch commits inline (loop_writer.py).
        inline = None if settings.iso.workers > 0 else INLINE_COMMIT_MAX
        lanes = None
        if settings.commit_overlap and is_postgres(settings):
            lanes = Lanes(store.writers(2))  # type: ignore[attr-defined]  # overlap.py
        return LoopWriter(runner, loop, settings.commit_max_batch, inline,
                          settings.commit_max_wait_ms / 1000, lanes)
    writer = ThreadWriter(runner, settings.commit_max_batch,
                          settings.commit_max_wait_ms / 1000)
    writer.start()
    return writer


def pending_migrations(settings: Settings) -> list[str]:
    """The shipped migrations the database has not applied (readiness: none)."""
    if not is_postgres(settings):
        return sqlite_store.pending(settings.sqlite_path)
    pg = postgres()
    conn = pg.connect(settings.database_url, connect_timeout=2)
    try:
        done = {r[0] for r in conn.execute("SELECT version FROM schema_migrations")}
    finally:
        conn.close()
    return [name for version, name, _ in pg.migrations() if version not in done]


def postgres() -> ModuleType:
    """The PostgreSQL adapter, imported only when configured: its driver (psycopg) is the
    optional extra ``smartguard[postgres]``, so the embedded SQLite needs none of it."""
    try:
        from smartguard.adapters.postgres import store
    except ModuleNotFoundError as exc:
        if exc.name is None or not exc.name.startswith("psycopg"):
            raise
        raise InvalidInput("database_url", "PostgreSQL needs its driver: pip install "
                           "'smartguard[postgres]'") from exc
    return store


def is_postgres(settings: Settings) -> bool:
    url = settings.database_url
    if url and not url.startswith(("postgresql://", "postgres://")):
        raise InvalidInput("database_url", "must be empty (SQLite in data_dir) or a "
                           "postgresql:// URL")
    return bool(url)
