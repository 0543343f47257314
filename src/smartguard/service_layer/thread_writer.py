"""The writer on a thread of its own: for the command line, tests, and any process without
an event loop that writes (see :mod:`.writer` for the promises it keeps).

Jobs queue up while a batch commits and form the next batch, so batches grow with load
without any artificial wait; ``max_wait`` can add a short wait to grow them further, only
while the recent rate expects another job within it (:class:`~.writer.ArrivalRate`).
Results for asyncio callers are handed to their loop in one call per batch.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from smartguard.errors import StoreUnavailable
from smartguard.service_layer.batch_runner import BatchRunner, Io, Step, drive, log
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
_STOP = object()


class ThreadWriter:
    """A :class:`~smartguard.service_layer.writer.Writer` whose batches run on one
    thread."""

    def __init__(self, runner: BatchRunner, max_batch: int = 256, max_wait: float = 0.0
                 ) -> None:
        self._runner = runner
        self._max_batch = max_batch
        self._rate = ArrivalRate(max_wait)
        self.waits = 0  # batches that waited for more jobs (tests, telemetry)
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None

    @property
    def stats(self) -> WriterStats:
        return self._runner.stats

    def on_outbox_commit(self, fn: Callable[[], None] | None) -> None:
        self._runner.after_outbox_commit = fn

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="writer", daemon=True)
            self._thread.start()

    def close(self) -> None:
        """Finish every job already submitted, then stop the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def submit(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None
               ) -> Future[T]:
        """Submit ``job``; the future is settled after its batch's COMMIT."""
        if threading.current_thread() is self._thread:
            raise WriterMisuse("a job cannot wait for another job: the writer runs it")
        future: Future[T] = Future()
        self._put(Ticket(job, future, lock=lock))
        return future

    def run(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        if running_loop() is not None:
            raise WriterMisuse("run() would block the event loop of this thread until the "
                               "COMMIT: use `await arun(job)` there")
        return self.submit(job, lock).result()

    async def arun(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._put(Ticket(job, future, loop=loop, lock=lock))
        return await future

    def submit_call(self, job: Callable[[UnitOfWork], T],
                    fn: Callable[[T | None, BaseException | None], None],
                    lock: RowLock | None = None) -> None:
        self._put(Ticket(job, fn=fn, loop=asyncio.get_running_loop(), lock=lock))

    def _put(self, ticket: Ticket) -> None:
        if self._thread is None:
            ticket.fail(StoreUnavailable("the writer is not running"))
            ticket.settle()
        else:
            if self._rate.max_wait:
                self._rate.arrived()
            self._queue.put(ticket)

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._collect()
            if batch:
                drive(self._runner.batch(batch), _do)
                _deliver(batch)

    def _collect(self) -> tuple[list[Ticket], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        batch = [first]
        wait = self._rate.worth_waiting()
        self.waits += wait
        deadline = time.monotonic() + self._rate.max_wait if wait else 0.0
        while len(batch) < self._max_batch:
            try:
                remaining = deadline - time.monotonic()
                item = self._queue.get(timeout=remaining) if remaining > 0 else \
                    self._queue.get_nowait()
            except queue.Empty:
                break
            if item is _STOP:
                return batch, True
            batch.append(item)
        return batch, False


def _do(step: Step) -> None:
    uow = step.uow
    if step.io is None:
        if step.seconds:
            time.sleep(step.seconds)
    elif uow is None:
        raise AssertionError(f"{step.io} without a unit of work")
    elif step.io is Io.BEGIN:
        uow.begin()
    elif step.io is Io.COMMIT:
        uow.commit()
    else:
        uow.abort()


def _deliver(tickets: list[Ticket]) -> None:
    """Settle each ticket where its caller waits: a thread's future at once, a loop's in
    one call per loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[Ticket]] = {}
    for ticket in tickets:
        if ticket.loop is None:
            ticket.settle()
        else:
            by_loop.setdefault(ticket.loop, []).append(ticket)
    for loop, items in by_loop.items():
        try:
            loop.call_soon_threadsafe(settle_all, items)
        except RuntimeError:  # the loop has closed: its callers are gone
            log.warning("loop_closed", results=len(items))
