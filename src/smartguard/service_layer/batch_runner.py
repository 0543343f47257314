"""The batch runner: how one batch of the writer's jobs runs, and every promise about it
(the :class:`~smartguard.service_layer.writer.Writer` hands it the jobs waiting at the
same moment):

- one transaction per batch; results are handed back only after its COMMIT (no answer
  leaves before its decision is durable, SPEC 5);
- jobs run in order, each against the state its predecessors left in the transaction;
- a job that fails undoes only its own writes: jobs run without a savepoint while the store
  can tell that a failed job wrote nothing (:meth:`BatchUnitOfWork.changes`); a batch in
  which a job failed after writing is rolled back and run again with a savepoint per job;
  so is a batch whose COMMIT failed on a write a job deferred (PostgreSQL sends a job's
  unanswered writes with the next statement, at the latest with the COMMIT: adapters/sql/
  db.py; within a savepoint they are sent before it is released, so there the failure is
  the job's own);
- the batch's row locks (each job names the card it will lock) are taken first, in one
  canonical order, so that two writers' batches cannot deadlock on them;
- a transient failure before COMMIT (:class:`~smartguard.errors.StoreConflict`: a
  deadlock, a serialization failure; :class:`~smartguard.errors.StoreDisconnected`: a lost
  connection, as in a failover) reruns the batch, a bounded number of times, on a new
  connection if need be; a connection lost *during* COMMIT leaves the outcome unknown:
  every job fails (the caller sends again, and idempotency keys make that exact);
- a batch that still fails after it began is retried job by job, so that one job's
  failure never takes its neighbours down; a batch that could not even begin fails every
  job at once (the store is unavailable: authorizations fail closed).

The runner is written once, without I/O of its own: it is a generator that yields the
steps that may block (begin, commit, abort) and the points where it can pause, and a
*scheduler* carries them out. There are two (:mod:`.thread_writer`, :mod:`.loop_writer`),
chosen once in :func:`smartguard.bootstrap.bootstrap`; on PostgreSQL the loop writer may run
two batches at once on two connections (:mod:`.overlap`), each batch its own generator.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator
from dataclasses import dataclass
from enum import Enum
from time import perf_counter
from typing import Any

import structlog

from smartguard.errors import (
    SmartGuardError,
    StoreConflict,
    StoreDisconnected,
    StoreUnavailable,
)
from smartguard.service_layer.ports import BatchUnitOfWork, UnitOfWork
from smartguard.service_layer.writer import Ticket, WriterStats

log = structlog.get_logger("smartguard.writer")

#: Jobs run between two pauses of a batch (the event loop serves I/O there).
PAUSE_EVERY = 16
#: Reruns of a whole batch after a transient conflict, before job by job.
CONFLICT_RETRIES = 5


class Io(Enum):
    """The steps of a batch that may wait for the store; a scheduler decides where they
    run (the loop's thread or a helper thread)."""

    BEGIN = "begin"  # open the transaction, waiting for another process's lock if need be
    COMMIT = "commit"  # the fsync
    ABORT = "abort"  # roll back; never raises


@dataclass(frozen=True, slots=True)
class Step:
    io: Io | None  # None: a pause
    uow: BatchUnitOfWork | None = None
    seconds: float = 0.0  # for a pause: how long (0: let others run once)
    size: int = 0  # the batch's size, for a scheduler that commits small batches inline


Batch = Generator[Step, Any, None]


class Tainted(Exception):
    """A job failed after writing, outside a savepoint: the batch must be rolled back and
    run again with a savepoint per job."""


class _BeginFailed(Exception):
    """The transaction could not be opened: nothing ran, every job fails at once."""


class _CommitUnknown(Exception):
    """The connection was lost during COMMIT: the batch may or may not have committed."""


#: What a batch may meet before its COMMIT and simply run again: another writer's locks
#: (a deadlock, a serialization failure) or a lost connection (a failover).
TRANSIENT = (StoreConflict, StoreDisconnected)


class BatchRunner:
    """Runs batches of tickets on units of work from ``uow_factory`` (see the module's
    docstring for the promises). :meth:`batch` is driven by a scheduler."""

    def __init__(self, uow_factory: Callable[[], BatchUnitOfWork],
                 conflict_retries: int = CONFLICT_RETRIES) -> None:
        self._factory = uow_factory
        self._retries = conflict_retries
        self.stats = WriterStats()
        self.after_outbox_commit: Callable[[], None] | None = None  # Writer.on_outbox_commit
        #: called once per committed batch with its size and its COMMIT's seconds
        self.observer: Callable[[int, float], None] | None = None

    def batch(self, tickets: list[Ticket],
              factory: Callable[[], BatchUnitOfWork] | None = None) -> Batch:
        """Run ``tickets`` and set each one's result or error; once this generator is
        exhausted, every ticket may be settled. ``factory``: where its units of work come
        from (a writer lane of the store, loop_writer.py), if not the runner's own."""
        safe, transient = False, 0
        while True:
            try:
                commit_seconds = yield from self._attempt(tickets, safe,
                                                          factory or self._factory)
                break
            except Tainted:
                safe = True  # rolled back: again, with a savepoint per job
            except TRANSIENT as exc:
                transient += 1
                self.stats.conflicts += 1
                if transient > self._retries:
                    yield from self._one_by_one(tickets, exc, factory)
                    return
                log.info("batch_retried", jobs=len(tickets), attempt=transient,
                         error=str(exc))
                yield Step(None, seconds=_backoff(transient))
            except (_BeginFailed, _CommitUnknown) as exc:
                self._fail_all(tickets, exc)
                return
            except Exception as exc:
                yield from self._one_by_one(tickets, exc, factory)
                return
        self.stats.batches += 1
        self.stats.jobs += len(tickets)
        self.stats.largest = max(self.stats.largest, len(tickets))
        if self.observer is not None:
            self.observer(len(tickets), commit_seconds)

    def _fail_all(self, tickets: list[Ticket], exc: Exception) -> None:
        if isinstance(exc, _CommitUnknown):
            failure = StoreUnavailable("the store went away during COMMIT: the outcome is "
                                       "unknown; send the request again")
            log.error("batch_commit_unknown", jobs=len(tickets), error=str(exc.__cause__))
        else:
            failure = _unavailable(exc.__cause__ or exc)
            log.error("batch_not_begun", jobs=len(tickets), error=str(failure))
        self.stats.store_errors += len(tickets)
        for ticket in tickets:
            ticket.fail(failure)

    def _one_by_one(self, tickets: list[Ticket], exc: Exception,
                    factory: Callable[[], BatchUnitOfWork] | None) -> Batch:
        """The batch failed after it began: one job's failure (a lock it lost, a bug at
        COMMIT) must not fail its neighbours; each runs again on its own."""
        if len(tickets) == 1:
            failure = _unavailable(exc)
            log.error("job_failed_in_store", error=str(failure))
            self.stats.store_errors += 1
            tickets[0].fail(failure)
            return
        log.error("batch_failed", error=str(exc), jobs=len(tickets))
        for ticket in tickets:
            yield from self.batch([ticket], factory)

    def _attempt(self, tickets: list[Ticket], safe: bool,
                 factory: Callable[[], BatchUnitOfWork]) -> Generator[Step, Any, float]:
        """One try at the batch; the seconds its COMMIT took."""
        try:
            uow = factory()
        except StoreUnavailable as exc:  # no connection can be had: the store is gone
            raise _BeginFailed() from exc
        try:
            yield Step(Io.BEGIN, uow)
        except StoreDisconnected:
            raise  # a connection that died since its last use: again, on a new one
        except Exception as exc:
            raise _BeginFailed() from exc
        try:
            locks = [t.lock for t in tickets if t.lock is not None]
            if locks:
                uow.lock_rows(locks)
            yield from self._run_jobs(uow, tickets, safe)
            started = perf_counter()
            try:
                took = yield Step(Io.COMMIT, uow, size=len(tickets))
            except StoreDisconnected as exc:
                raise _CommitUnknown() from exc
            except TRANSIENT:
                raise
            except SmartGuardError as exc:
                if safe:
                    raise
                # a write a job deferred (PostgreSQL sends them with the COMMIT) was
                # refused: as if that job had failed after writing
                raise Tainted() from exc
            self._committed(uow)
            # a scheduler that queues COMMITs (overlap.py) times the COMMIT itself
            return took if isinstance(took, float) else perf_counter() - started
        except GeneratorExit:  # the scheduler gave up on this batch (its loop stopped)
            uow.abort()
            raise
        except BaseException:
            yield Step(Io.ABORT, uow)
            raise

    def _committed(self, uow: BatchUnitOfWork) -> None:
        hook = self.after_outbox_commit
        if hook is not None and uow.outbox_added():
            try:
                hook()
            except Exception:  # the hook's failure must not fail a committed batch
                log.exception("after_commit_hook_failed")

    @staticmethod
    def _run_jobs(uow: BatchUnitOfWork, tickets: list[Ticket], safe: bool) -> Batch:
        if safe:
            for n, ticket in enumerate(tickets, 1):
                _run_in_savepoint(uow, ticket)
                if n % PAUSE_EVERY == 0:
                    yield Step(None)
            return
        changes = uow.changes
        for n, ticket in enumerate(tickets, 1):
            _run_fast(uow, ticket, changes)
            if n % PAUSE_EVERY == 0:
                yield Step(None)


def _run_fast(uow: UnitOfWork, ticket: Ticket, changes: Callable[[], int | None]) -> None:
    """Run a job without a savepoint: most failures (an unknown card, a duplicate, bad
    input) come before any write, and a savepoint is two statements on the hot path."""
    before = changes()
    if before is None:  # the store cannot tell what a failed job wrote
        _run_in_savepoint(uow, ticket)
        return
    try:
        ticket.result, ticket.error = ticket.job(uow), None
    except StoreUnavailable:
        raise  # the store failed, not the job: the batch's business
    except Exception as exc:
        if changes() != before:
            raise Tainted() from exc
        _job_failed(ticket, exc)


def _run_in_savepoint(uow: UnitOfWork, ticket: Ticket) -> None:
    try:
        with uow.savepoint():
            ticket.result, ticket.error = ticket.job(uow), None
    except StoreUnavailable:
        raise
    except Exception as exc:
        _job_failed(ticket, exc)


def _job_failed(ticket: Ticket, exc: Exception) -> None:
    if not isinstance(exc, SmartGuardError):
        log.exception("job_failed")  # a bug in one job must not sink the batch
    ticket.fail(exc)


def _unavailable(exc: BaseException) -> StoreUnavailable:
    return exc if isinstance(exc, StoreUnavailable) else StoreUnavailable(str(exc))


def _backoff(attempt: int) -> float:
    """1, 2, 4 ... ms (up to 50), with full jitter: two nodes that met on a lock do not
    meet again at once."""
    return random.uniform(0, min(0.05, 0.001 * 2 ** attempt))


def drive(batch: Batch, do: Callable[[Step], Any]) -> None:
    """Carry a batch out synchronously, ``do`` running each step."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = batch.throw(error) if error is not None else batch.send(value)
        except StopIteration:
            return
        value = error = None
        try:
            value = do(step)
        except BaseException as exc:
            error = exc


async def adrive(batch: Batch, do: Callable[[Step], Any]) -> None:
    """Carry a batch out on an event loop, awaiting ``do(step)`` for each step."""
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            step = batch.throw(error) if error is not None else batch.send(value)
        except StopIteration:
            return
        value = error = None
        try:
            value = await do(step)
        except BaseException as exc:
            error = exc
