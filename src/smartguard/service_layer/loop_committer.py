"""Group commit on the event loop's own thread, for a serving process.

The thread-based :class:`~smartguard.service_layer.committer.Committer` shares the GIL with
the event loop, and SQLite hands the GIL back and forth around every statement: under load
the two threads spend much of their time waiting for each other (the writer alone costs
about twice as much CPU per authorization as the same work on one thread; see
docs/performance.md). While serving, this committer runs the jobs' statements on the loop's
thread, where requests are decoded anyway. ``BEGIN`` runs there too unless it would have
to wait for another process's write lock, and so does the ``COMMIT`` of a small batch; a
large batch's ``COMMIT`` (the fsync) goes to a helper thread, during which the loop goes on
reading and answering (unless ``inline_commit_max`` is None: then every batch commits on
the loop). The guarantees are the same: one transaction per batch, a failed
job undoes only its own writes (see committer.py), results settled only after the COMMIT
that holds them; a batch that fails at commit is retried job by job.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import structlog

from smartguard.errors import StoreUnavailable
from smartguard.service_layer.committer import (
    Call,
    CommitStats,
    Job,
    Outcome,
    Tainted,
    _settle,
    _Waiter,
    run_fast,
    run_one,
)
from smartguard.service_layer.ports import UnitOfWork

T = TypeVar("T")
log = structlog.get_logger("smartguard.committer")

#: Jobs run between two chances for the loop to serve I/O, inside one batch.
YIELD_EVERY = 16
#: Batches up to this size are committed on the loop's thread: at low load the two thread
#: hand-offs cost more than the fsync they would let the loop work through (measured at
#: 1,000 ISO 8583 requests/s: p50 4.0 -> 1.5 ms, p99 11 -> 5.5 ms, CPU per request -20 %).
#: Larger batches (high load) commit in the helper thread, so the loop goes on decoding
#: while the disk syncs. A process whose loop does not decode (the core behind ISO 8583
#: front processes) passes None: every batch inline, since the thread's hand-offs and GIL
#: waits then only stretch the COMMIT (closed loop +8 %, docs/performance.md).
INLINE_COMMIT_MAX = 32


class LoopCommitter:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        loop: asyncio.AbstractEventLoop,
        max_batch: int = 128,
        inline_commit_max: int | None = INLINE_COMMIT_MAX,
    ) -> None:
        self._uow_factory = uow_factory
        self._loop = loop
        self._max_batch = max_batch
        self._inline_max = inline_commit_max
        self._pending: list[tuple[Job, _Waiter]] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._io = ThreadPoolExecutor(1, thread_name_prefix="commit")
        self.stats = CommitStats()

    def start(self) -> None:
        """Nothing to start: batches run as jobs arrive."""

    def asubmit(self, job: Callable[[UnitOfWork], T]) -> asyncio.Future[T]:
        """Submit ``job`` from the loop's thread; settled after its batch commits."""
        future: asyncio.Future[T] = self._loop.create_future()
        self._put(job, _Waiter(future, self._loop))
        return future

    def submit_call(self, job: Callable[[UnitOfWork], T],
                    fn: Callable[[T | None, BaseException | None], None]) -> None:
        """Submit ``job`` from the loop's thread; ``fn(result, error)`` runs on the loop
        once its batch has committed (or failed), with no future in between: the ISO 8583
        core's path, where every request costs the bound."""
        self._put(job, _Waiter(Call(fn), self._loop))

    def _put(self, job: Job, waiter: _Waiter) -> None:
        if self._closed:
            waiter.future.set_exception(StoreUnavailable("the writer is stopping"))
            return
        self._pending.append((job, waiter))
        if self._task is None:
            self._task = self._loop.create_task(self._drain())

    async def arun(self, job: Callable[[UnitOfWork], T]) -> T:
        return await self.asubmit(job)

    def submit(self, job: Callable[[UnitOfWork], T]) -> Future[T]:
        """Submit from any other thread."""
        return asyncio.run_coroutine_threadsafe(self.arun(job), self._loop)

    def run(self, job: Callable[[UnitOfWork], T]) -> T:
        return self.submit(job).result()

    async def aclose(self) -> None:
        """Refuse new jobs, finish the ones accepted, release the helper thread."""
        self._closed = True
        while self._task is not None:
            await asyncio.shield(self._task)
        self._io.shutdown(wait=True)

    def stop(self) -> None:
        """For :class:`App.close`: the loop is gone by then; :meth:`aclose` did the work."""
        self._closed = True

    async def _drain(self) -> None:
        try:
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                _settle(await self._run_batch(batch))
        finally:
            self._task = None

    async def _run_batch(self, batch: list[tuple[Job, _Waiter]], safe: bool = False
                         ) -> list[Outcome]:
        uow = self._uow_factory()
        run = run_one if safe else run_fast
        try:
            await self._begin(uow)
            outcomes = []
            for n, (job, waiter) in enumerate(batch, 1):
                outcomes.append(run(uow, job, waiter))
                if n % YIELD_EVERY == 0:
                    await asyncio.sleep(0)
            if self._inline_max is None or len(batch) <= self._inline_max:
                uow.commit()
            else:
                await self._in_thread(uow.commit)
        except Tainted:
            await self._in_thread(lambda: uow.__exit__(None, None, None))
            return await self._run_batch(batch, safe=True)
        except Exception as exc:
            log.error("batch_failed", error=str(exc), jobs=len(batch))
            await self._in_thread(lambda: uow.__exit__(None, None, None))
            if len(batch) > 1:
                return [o for item in batch for o in await self._run_batch([item], safe=True)]
            failure = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc))
            return [(w, None, failure) for _, w in batch]
        self.stats.batches += 1
        self.stats.jobs += len(batch)
        self.stats.largest = max(self.stats.largest, len(batch))
        return outcomes

    async def _begin(self, uow: UnitOfWork) -> None:
        """Begin on the loop's thread when that cannot wait (``try_begin``: SQLite's write
        lock is free); when another process holds it, wait for it in the helper thread."""
        try_begin = getattr(uow, "try_begin", None)
        if try_begin is None or not try_begin():
            await self._in_thread(uow.__enter__)

    async def _in_thread(self, fn: Callable[[], Any]) -> Any:
        return await self._loop.run_in_executor(self._io, fn)
