"""Group commit: write jobs run on one thread, as many per transaction as are waiting.

A job that fails undoes only its own writes: jobs run in one savepoint each, or, where the
store can tell whether a failed job wrote anything (SQLite's change counter), without one —
most failures come before any write — and a batch in which a job failed after writing is
rolled back and run again with a savepoint per job. The results are handed back only after
the transaction that holds them has committed: no answer leaves before its decision is
durable (SPEC 5). While one batch is being committed (an
fsync), the next requests queue up and form the next batch, so batches grow with load
without any artificial wait; ``max_wait`` can add a short wait to grow them further.

Results for asyncio callers are handed to their event loop in one call per batch (not one
wake-up per request), which keeps the loop free for parsing and answering.
"""

from __future__ import annotations

import asyncio
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any, TypeVar

import structlog

from smartguard.errors import SmartGuardError, StoreUnavailable
from smartguard.service_layer.ports import UnitOfWork

T = TypeVar("T")
Job = Callable[[UnitOfWork], Any]
log = structlog.get_logger("smartguard.committer")

_STOP = object()


class _Waiter:
    """Where a job's outcome goes: a thread's Future, or an asyncio future on a loop."""

    __slots__ = ("future", "loop")

    def __init__(self, future: Any, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.future = future
        self.loop = loop


class Call:
    """A job's end for a caller on the committer's loop that wants neither a future nor a
    turn of the loop: ``fn(result, error)`` is called as the batch settles (future-like, so
    :func:`_settle` treats it as any other)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[Any, BaseException | None], None]) -> None:
        self.fn = fn

    def done(self) -> bool:
        return False

    def set_result(self, result: Any) -> None:
        self._call(result, None)

    def set_exception(self, error: BaseException) -> None:
        self._call(None, error)

    def _call(self, result: Any, error: BaseException | None) -> None:
        try:
            self.fn(result, error)
        except Exception:  # one caller's bug must not keep the rest of the batch waiting
            log.exception("job_callback_failed")


Outcome = tuple[_Waiter, Any, BaseException | None]


def _settle(outcomes: list[Outcome]) -> None:
    for waiter, result, error in outcomes:
        future = waiter.future
        if future.done():
            continue
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)


class Tainted(Exception):
    """A job failed after it had written, outside a savepoint: the transaction must be
    rolled back and the batch run again with a savepoint per job."""


def run_one(uow: UnitOfWork, job: Job, waiter: _Waiter) -> Outcome:
    """Run one job in its own savepoint: its failure undoes only its own writes."""
    try:
        with uow.savepoint():
            return (waiter, job(uow), None)
    except SmartGuardError as exc:
        return (waiter, None, exc)  # nothing of this job was written
    except Exception as exc:
        log.exception("job_failed")  # a bug in one job must not sink the batch
        return (waiter, None, exc)


def run_fast(uow: UnitOfWork, job: Job, waiter: _Waiter) -> Outcome:
    """Run one job without a savepoint when the store can tell whether a failed job wrote
    anything (``changes``): most failures (an unknown card, a conflict, bad input) come
    before any write, and a savepoint per job is two statements on the hot path. A job that
    fails after writing raises :class:`Tainted`."""
    changes: Callable[[], int | None] | None = getattr(uow, "changes", None)
    before = changes() if changes is not None else None
    if changes is None or before is None:
        return run_one(uow, job, waiter)
    try:
        return (waiter, job(uow), None)
    except Exception as exc:
        if changes() != before:
            raise Tainted() from exc
        if not isinstance(exc, SmartGuardError):
            log.exception("job_failed")
        return (waiter, None, exc)


@dataclass
class CommitStats:
    batches: int = 0
    jobs: int = 0
    largest: int = 0


class Committer:
    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        max_batch: int = 256,
        max_wait: float = 0.0,
    ) -> None:
        self._uow_factory = uow_factory
        self._max_batch = max_batch
        self._max_wait = max_wait
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.stats = CommitStats()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="committer", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        """Finish every job already submitted, then stop the thread."""
        if self._thread is not None:
            self._queue.put(_STOP)
            self._thread.join()
            self._thread = None

    def submit(self, job: Callable[[UnitOfWork], T]) -> Future[T]:
        future: Future[T] = Future()
        self._put(job, _Waiter(future))
        return future

    def run(self, job: Callable[[UnitOfWork], T]) -> T:
        """Submit ``job`` and wait for its committed result (or its error)."""
        return self.submit(job).result()

    async def arun(self, job: Callable[[UnitOfWork], T]) -> T:
        return await self.asubmit(job)

    def asubmit(self, job: Callable[[UnitOfWork], T]) -> asyncio.Future[T]:
        """Submit ``job`` from the running event loop; the returned future is settled on
        that loop once the transaction holding the job's writes has committed."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._put(job, _Waiter(future, loop))
        return future

    def submit_call(self, job: Callable[[UnitOfWork], T],
                    fn: Callable[[T | None, BaseException | None], None]) -> None:
        """Submit ``job`` from the running event loop; ``fn(result, error)`` runs on that
        loop once the transaction holding the job's writes has committed (or failed)."""
        self._put(job, _Waiter(Call(fn), asyncio.get_running_loop()))

    def _put(self, job: Job, waiter: _Waiter) -> None:
        if self._thread is None:
            waiter.future.set_exception(StoreUnavailable("the writer is not running"))
        else:
            self._queue.put((job, waiter))

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._collect()
            if batch:
                self._deliver(self._run_batch(batch))

    def _collect(self) -> tuple[list[tuple[Job, _Waiter]], bool]:
        first = self._queue.get()
        if first is _STOP:
            return [], True
        batch = [first]
        deadline = time.monotonic() + self._max_wait
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

    def _run_batch(self, batch: list[tuple[Job, _Waiter]], safe: bool = False
                   ) -> list[Outcome]:
        outcomes: list[Outcome] = []
        run = run_one if safe else run_fast
        try:
            with self._uow_factory() as uow:
                for job, waiter in batch:
                    outcomes.append(run(uow, job, waiter))
                uow.commit()
        except Tainted:
            return self._run_batch(batch, safe=True)  # rolled back: again, with savepoints
        except Exception as exc:
            log.error("batch_failed", error=str(exc), jobs=len(batch))
            if len(batch) > 1:
                # One job's lock conflict (a PostgreSQL deadlock between two writer
                # processes, say) must not fail its neighbours: retry each on its own.
                return [o for item in batch for o in self._run_batch([item], safe=True)]
            failure = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc))
            return [(w, None, failure) for _, w in batch]
        self.stats.batches += 1
        self.stats.jobs += len(batch)
        self.stats.largest = max(self.stats.largest, len(batch))
        return outcomes

    @staticmethod
    def _deliver(outcomes: list[Outcome]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[Outcome]] = {}
        for outcome in outcomes:
            loop = outcome[0].loop
            if loop is None:
                _settle([outcome])
            else:
                by_loop.setdefault(loop, []).append(outcome)
        for loop, items in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, items)
            except RuntimeError:  # the loop has closed: its callers are gone
                log.warning("loop_closed", results=len(items))
