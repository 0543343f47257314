"""The one place that wires adapters to the service layer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from types import ModuleType
from typing import TYPE_CHECKING, TypeVar

from smartguard.adapters.sqlite import store as sqlite_store
from smartguard.config import Settings
from smartguard.domain.errors import InvalidInput
from smartguard.service_layer.committer import Committer
from smartguard.service_layer.context import Context
from smartguard.service_layer.loop_committer import INLINE_COMMIT_MAX, LoopCommitter
from smartguard.service_layer.ports import UnitOfWork

if TYPE_CHECKING:
    from smartguard.adapters.postgres.store import PostgresStore

T = TypeVar("T")


@dataclass
class App:
    """A running SmartGuard: settings, the use-case context, the writer and readers."""

    settings: Settings
    ctx: Context
    committer: Committer | LoopCommitter
    reader: Callable[[], UnitOfWork]
    writer: Callable[[], UnitOfWork]  # the writer connection's units of work
    _close: Callable[[], None]

    def use_loop_writer(self, loop: asyncio.AbstractEventLoop) -> LoopCommitter:
        """While serving: write on the event loop's thread (see loop_committer.py). The
        thread committer finishes what it holds first; call ``aclose`` on the result before
        :meth:`close`."""
        self.committer.stop()
        # With ISO 8583 front processes the loop has no decoding to do while a batch's
        # COMMIT waits for the disk, so every batch commits inline (loop_committer.py).
        inline = None if self.settings.iso_workers > 0 else INLINE_COMMIT_MAX
        self.committer = LoopCommitter(self.writer, loop, self.settings.commit_max_batch,
                                       inline)
        return self.committer

    def write(self, job: Callable[[UnitOfWork], T]) -> T:
        """Run ``job`` on the writer and return its committed result."""
        return self.committer.run(job)

    async def awrite(self, job: Callable[[UnitOfWork], T]) -> T:
        return await self.committer.arun(job)

    def read(self, job: Callable[[UnitOfWork], T]) -> T:
        """Run a read-only ``job`` on this thread's read connection."""
        with self.reader() as uow:
            return job(uow)

    def close(self) -> None:
        self.committer.stop()
        self._close()


def upgrade(settings: Settings) -> list[str]:
    """Create or upgrade the database schema; returns the migrations applied."""
    if is_postgres(settings):
        applied: list[str] = postgres().upgrade(settings.database_url)
        return applied
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return sqlite_store.upgrade(settings.sqlite_path)


def bootstrap(settings: Settings, clock: Callable[[], datetime] | None = None) -> App:
    upgrade(settings)
    ctx = Context(
        secret=settings.secret,
        challenge_validity=settings.challenge_validity,
        ceilings=settings.ceilings,
        alert_channels=settings.alerts.written_channels,
    )
    if clock is not None:
        ctx = replace(ctx, clock=clock)
    store: sqlite_store.SqliteStore | PostgresStore
    if is_postgres(settings):
        store = postgres().PostgresStore(settings.database_url)
    else:
        store = sqlite_store.SqliteStore(settings.sqlite_path)
    committer = Committer(
        store.writer, settings.commit_max_batch, settings.commit_max_wait_ms / 1000
    )
    committer.start()
    return App(settings, ctx, committer, store.reader, store.writer, store.close)



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
