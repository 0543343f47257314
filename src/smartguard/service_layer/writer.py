"""The writer: the one seam every write of SmartGuard goes through (group commit).

Entry points hand it jobs (``lambda uow: use_case(uow, ctx, ...)``) through the
:class:`Writer` protocol: :meth:`~Writer.run` from a plain thread, :meth:`~Writer.arun`
from a coroutine, :meth:`~Writer.submit_call` with a callback (the ISO 8583 hot path, no
future per request). Jobs waiting at the same moment form one batch, run by the
:class:`~smartguard.service_layer.batch_runner.BatchRunner`, which keeps every promise
about a batch in one place (its module says which). This module holds what entry points
and schedulers share: the protocol, the tickets, the statistics. There are two schedulers
(:mod:`.thread_writer`, :mod:`.loop_writer`), chosen once in
:func:`smartguard.bootstrap.bootstrap`.
"""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

import structlog

from smartguard.service_layer.ports import RowLock, UnitOfWork

T = TypeVar("T")
Job = Callable[[UnitOfWork], Any]
#: ``fn(result, error)``: how a caller of :meth:`Writer.submit_call` learns a job's end.
Callback = Callable[[Any, BaseException | None], None]
log = structlog.get_logger("smartguard.writer")


class WriterMisuse(RuntimeError):
    """A job was run in a way that could only hang: synchronously from the event loop that
    carries out the writer's batches, or from inside a job."""


class Writer(Protocol):
    """What every entry point uses to run a job; the result comes back after its COMMIT."""

    @property
    def stats(self) -> WriterStats: ...

    def run(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        """Run ``job`` and wait for its committed result (or its error). From a thread;
        never from a running event loop's thread (:class:`WriterMisuse`). ``lock``: the
        row the job will lock (its card), taken with the batch's others before any job
        runs (see :meth:`BatchUnitOfWork.lock_rows`)."""
        ...

    async def arun(self, job: Callable[[UnitOfWork], T], lock: RowLock | None = None) -> T:
        """The same from a coroutine."""
        ...

    def submit_call(self, job: Callable[[UnitOfWork], T],
                    fn: Callable[[T | None, BaseException | None], None],
                    lock: RowLock | None = None) -> None:
        """From a running event loop: ``fn(result, error)`` is called on that loop once
        the transaction holding the job's writes has committed (or failed)."""
        ...

    async def aclose(self) -> None:
        """Refuse new jobs and finish every job accepted."""
        ...

    def on_outbox_commit(self, fn: Callable[[], None] | None) -> None:
        """The writer's one after-commit hook: ``fn()`` right after the COMMIT of every
        batch that added outbox rows, on the writer's thread (the notifier wakes its
        relay, so a new alert leaves without waiting for a poll); None removes it. A batch
        in which a job added rows and then failed may call it too (a wake for nothing)."""
        ...

    def close(self) -> None:
        """The same from a thread (after :meth:`aclose`, if the writer runs on a loop)."""
        ...


@dataclass
class WriterStats:
    batches: int = 0
    jobs: int = 0
    largest: int = 0
    conflicts: int = 0  # transient conflicts the store reported (each reran a batch)
    store_errors: int = 0  # jobs failed because the store did (StoreUnavailable)
    overlapped: int = 0  # batches begun beside another batch's COMMIT (overlap.py)


class Ticket:
    """A job waiting to run, and where its end goes: a future (a thread's or a loop's) or
    a callback. The runner sets ``result`` and ``error``; :meth:`settle` hands them on."""

    __slots__ = ("error", "fn", "future", "job", "lock", "loop", "result")

    def __init__(self, job: Job, future: Any = None, fn: Callback | None = None,
                 loop: asyncio.AbstractEventLoop | None = None,
                 lock: RowLock | None = None) -> None:
        self.job = job
        self.future = future
        self.fn = fn
        self.loop = loop  # where the end must be handed on (None: any thread)
        self.lock = lock
        self.result: Any = None
        self.error: BaseException | None = None

    def fail(self, error: BaseException) -> None:
        self.result, self.error = None, error

    def settle(self) -> None:
        if self.fn is not None:
            try:
                self.fn(self.result, self.error)
            except Exception:  # one caller's bug must not keep the rest of a batch waiting
                log.exception("job_callback_failed")
            return
        future = self.future
        if future.done():  # cancelled by its caller
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(self.result)


#: The arrival rate that decides whether a batch waits (``max_wait``) is counted over this
#: long: short enough to follow a change of load within a fraction of a second.
RATE_WINDOW_S = 0.1


class ArrivalRate:
    """Whether a batch should wait ``max_wait`` for more jobs (``commit_max_wait_ms``), as
    PostgreSQL's ``commit_delay`` does: only when the jobs of the last
    :data:`RATE_WINDOW_S` say another one should arrive within the wait. A quiet moment's
    lone job never waits (the command line's, a test's, a lone authorization at night).
    Both writers use it; the thread writer counts from several threads, where a lost
    increment only makes the estimate a little low."""

    __slots__ = ("_arrivals", "_rate", "_window_start", "max_wait")

    def __init__(self, max_wait: float) -> None:
        self.max_wait = max_wait
        self._arrivals = 0  # jobs since ``_window_start``
        self._window_start = time.monotonic()
        self._rate = 0.0  # jobs per second over the last full window

    def arrived(self) -> None:
        self._arrivals += 1
        now = time.monotonic()
        if now - self._window_start >= RATE_WINDOW_S:
            self._rate = self._arrivals / (now - self._window_start)
            self._arrivals, self._window_start = 0, now

    def worth_waiting(self) -> bool:
        """Another job is expected within ``max_wait``."""
        if not self.max_wait:
            return False
        if time.monotonic() - self._window_start > 2 * RATE_WINDOW_S:
            return False  # nothing came for a while: the last rate is stale
        return self._rate * self.max_wait >= 1.0


def settle_all(tickets: list[Ticket]) -> None:
    for ticket in tickets:
        ticket.settle()

def running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
