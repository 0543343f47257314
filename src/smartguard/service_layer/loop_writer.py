"""The writer on the event loop's own thread, for a serving process (see :mod:`.writer`
for the promises it keeps).

A writer on a thread of its own shares the GIL with the event loop, and SQLite hands the
GIL back and forth around every statement: under load the two threads spend much of their
time waiting for each other (about twice the CPU per authorization, docs/performance.md).
While serving, the jobs' statements run on the loop's thread, where requests are decoded
anyway. ``BEGIN`` runs there too unless it would have to wait for another process's write
lock (then it waits in a helper thread and the loop goes on serving), and so does the
``COMMIT`` of a small batch; a large batch's ``COMMIT`` (the fsync) goes to the helper
thread, during which the loop goes on reading and answering, unless ``inline_commit_max``
is None: then every batch commits on the loop.

``max_wait`` (``commit_max_wait_ms``) lets a batch wait that long for more jobs before it
begins (:class:`~.writer.ArrivalRate` says when): each COMMIT (its fsync, or its round
trip) then serves more authorizations; a batch already full does not wait.

Given two *lanes* (writer connections of a PostgreSQL store, ``commit_overlap``), the next
batch runs while the one before it commits, so that a cycle costs about one COMMIT rather
than a COMMIT plus the batch's work (:mod:`.overlap` says when a batch may overlap and why
that keeps every promise).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from smartguard.errors import StoreUnavailable
from smartguard.service_layer.batch_runner import BatchRunner, Io, Step, adrive
from smartguard.service_layer.overlap import Lanes
from smartguard.service_layer.ports import RowLock, UnitOfWork
from smartguard.service_layer.writer import (
    ArrivalRate,
    Ticket,
    WriterMisuse,
    WriterStats,
    running_loop,
    settle_all,
)

T = TypeVar("T")

#: Batches up to this size are committed on the loop's thread: at low load the two thread
#: hand-offs cost more than the fsync they would let the loop work through (measured at
#: 1,000 ISO 8583 requests/s: p50 4.0 -> 1.5 ms, p99 11 -> 5.5 ms, CPU per request -20 %).
#: Larger batches (high load) commit in the helper thread, so the loop goes on decoding
#: while the disk syncs. A process whose loop does not decode (the core behind ISO 8583
#: front processes) passes None: every batch inline, since the thread's hand-offs and GIL
#: waits then only stretch the COMMIT (closed loop +8 %, docs/performance.md).
INLINE_COMMIT_MAX = 32

class LoopWriter:
    """A :class:`~smartguard.service_layer.writer.Writer` whose batches run on ``loop``."""

    def __init__(self, runner: BatchRunner, loop: asyncio.AbstractEventLoop,
                 max_batch: int = 128, inline_commit_max: int | None = INLINE_COMMIT_MAX,
                 max_wait: float = 0.0, lanes: Lanes | None = None) -> None:
        self._runner = runner
        self._loop = loop
        self._max_batch = max_batch
        self._inline_max = inline_commit_max
        self._rate = ArrivalRate(max_wait)
        self.waits = 0  # batches that waited for more jobs (tests, telemetry)
        self._pending: list[Ticket] = []
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._io = ThreadPoolExecutor(1, thread_name_prefix="commit")
        self._lanes = lanes

    @property
    def stats(self) -> WriterStats:
        return self._runner.stats

    def on_outbox_commit(self, fn: Callable[[], None] | None) -> None:
        self._runner.after_outbox_commit = fn

    def run(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        """From any thread but the loop's own (the loop would wait for itself)."""
        if running_loop() is self._loop:
            raise WriterMisuse("run() on the writer's own event loop would wait for "
                               "itself: use `await arun(job)`")
        return asyncio.run_coroutine_threadsafe(self.arun(job, lock), self._loop).result()

    async def arun(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        future: asyncio.Future[T] = self._loop.create_future()
        self._put(Ticket(job, future, lock=lock))
        return await future

    def submit_call(self, job: Callable[[UnitOfWork], T],
                    fn: Callable[[T | None, BaseException | None], None],
                    lock: RowLock | None = None) -> None:
        self._put(Ticket(job, fn=fn, lock=lock))

    def _put(self, ticket: Ticket) -> None:
        if self._closed:
            ticket.fail(StoreUnavailable("the writer is stopping"))
            ticket.settle()
            return
        self._pending.append(ticket)
        if self._rate.max_wait:
            self._rate.arrived()
        if self._task is None:
            self._task = self._loop.create_task(self._drain())
        elif self._lanes is not None:
            self._lanes.arrived()

    async def aclose(self) -> None:
        self._closed = True
        while self._task is not None:
            await asyncio.shield(self._task)
        self._io.shutdown(wait=True)

    def close(self) -> None:
        """For a process whose loop is gone: :meth:`aclose` did the work."""
        self._closed = True
        self._io.shutdown(wait=False)

    async def _drain(self) -> None:
        try:
            if len(self._pending) < self._max_batch and self._rate.worth_waiting():
                self.waits += 1
                await asyncio.sleep(self._rate.max_wait)
            if self._lanes is not None:
                await self._lanes.drain(self._pending, self._max_batch, self._runner,
                                        self._loop, self._io)
            while self._pending:
                batch = self._pending[: self._max_batch]
                del self._pending[: self._max_batch]
                await adrive(self._runner.batch(batch), self._do)
                settle_all(batch)
        finally:
            self._task = None

    async def _do(self, step: Step) -> Any:
        uow = step.uow
        if step.io is None:
            await asyncio.sleep(step.seconds)
        elif uow is None:
            raise AssertionError(f"{step.io} without a unit of work")
        elif step.io is Io.BEGIN:
            if not uow.try_begin():  # another process holds the write lock: wait aside
                await self._in_thread(uow.begin)
        elif step.io is Io.COMMIT:
            if self._inline_max is None or step.size <= self._inline_max:
                uow.commit()
            else:
                await self._in_thread(uow.commit)
        else:
            await self._in_thread(uow.abort)

    async def _in_thread(self, fn: Callable[[], Any]) -> Any:
        return await self._loop.run_in_executor(self._io, fn)
