"""Group commit: write jobs run on one thread, as many per transaction as are waiting.

Every job runs in its own savepoint, so a job that fails undoes only its own writes. The
results are handed back only after the transaction that holds them has committed: no answer
leaves before its decision is durable (SPEC 5). While one batch is being committed (an
fsync), the next requests queue up and form the next batch, so batches grow with load
without any artificial wait; ``max_wait`` can add a short wait to grow them further.
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
        if self._thread is None:
            future.set_exception(StoreUnavailable("the writer is not running"))
            return future
        self._queue.put((job, future))
        return future

    def run(self, job: Callable[[UnitOfWork], T]) -> T:
        """Submit ``job`` and wait for its committed result (or its error)."""
        return self.submit(job).result()

    async def arun(self, job: Callable[[UnitOfWork], T]) -> T:
        return await asyncio.wrap_future(self.submit(job))

    def _loop(self) -> None:
        stopping = False
        while not stopping:
            batch, stopping = self._collect()
            if batch:
                self._run_batch(batch)

    def _collect(self) -> tuple[list[tuple[Job, Future[Any]]], bool]:
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

    def _run_batch(self, batch: list[tuple[Job, Future[Any]]]) -> None:
        done: list[tuple[Future[Any], Any]] = []
        try:
            with self._uow_factory() as uow:
                for job, future in batch:
                    if future.set_running_or_notify_cancel():
                        self._run_one(uow, job, future, done)
                uow.commit()
        except Exception as exc:
            log.error("batch_failed", error=str(exc), jobs=len(batch))
            failure = exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc))
            # Every job still waiting fails, not only those that ran: when the transaction
            # could not even begin, no job ran and their callers would wait for ever.
            for _, future in batch:
                if not future.done():
                    future.set_exception(failure)
            return
        self.stats.batches += 1
        self.stats.jobs += len(batch)
        self.stats.largest = max(self.stats.largest, len(batch))
        for future, result in done:
            future.set_result(result)

    @staticmethod
    def _run_one(
        uow: UnitOfWork, job: Job, future: Future[Any], done: list[tuple[Future[Any], Any]]
    ) -> None:
        try:
            with uow.savepoint():
                result = job(uow)
        except SmartGuardError as exc:
            future.set_exception(exc)  # nothing of this job was written
        except Exception as exc:
            log.exception("job_failed")
            future.set_exception(exc)
        else:
            done.append((future, result))
