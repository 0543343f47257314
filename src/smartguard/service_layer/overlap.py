"""Overlapped batches: the loop writer's next batch runs while the one before it commits
(PostgreSQL, two writer connections: ``commit_overlap``).

On PostgreSQL a batch's COMMIT is a wait for the server's fsync (and, in production, for
the synchronous standby): 3-4 ms on the test machine's disk, during which a writer with one
connection does nothing. With two *lanes* (connections), batch B takes its row locks and
runs its jobs on the second one while A's COMMIT is in flight on the first; B's COMMIT is
queued behind A's in the one commit thread, so batches still commit in the order they
began, and every answer still leaves only after its own batch's COMMIT.

Why this keeps the writer's promises (batch_runner.py): B is another transaction, exactly
as another node's batch is, and the row locks order the two. Everything B reads about a
card it reads after locking that card (locks.py: the lock statement goes first, and every
read after it takes a new snapshot), so a card of A's is read only once A has committed.
What the locks do not cover stays out of an overlapping batch:

- B holds only jobs that name their card (``("pan", ...)`` or ``("card", ...)``: the
  authorizations and the reversals that carry their PAN), taken from the head of the
  queue, in order, up to the first job that does not;
- and only while A holds such jobs alone. A reversal sent without its PAN names its
  original's key: its card is found by a read *before* the locks (locks.py), which would
  not see an original A has not committed yet (and an original would not see A's pending
  reversal); a job without a lock (a web change, an SMS) may touch any card.

Two rules keep the process from waiting for itself. A lane begins a transaction only
while no other lane has one open and not yet committing: B may wait on the loop's thread
for a row A holds (two cards of one account), because A's COMMIT runs in the commit thread
and needs nothing from the loop; and a batch that runs again (A's COMMIT failed) waits
until B is committing before it locks anything B may hold.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from enum import Enum
from functools import partial
from time import perf_counter
from typing import Any

from smartguard.errors import StoreUnavailable
from smartguard.service_layer.batch_runner import BatchRunner, Io, Step, adrive, log
from smartguard.service_layer.ports import BatchUnitOfWork
from smartguard.service_layer.writer import Ticket, settle_all


class State(Enum):
    IDLE = "idle"  # no transaction open
    RUNNING = "running"  # locks taken or being taken, jobs running
    COMMITTING = "committing"  # its COMMIT sent to the commit thread


class Lane:
    __slots__ = ("busy", "factory", "named_only", "state")

    def __init__(self, factory: Callable[[], BatchUnitOfWork]) -> None:
        self.factory = factory
        self.busy = False  # a batch is on this lane (from its start until it is settled)
        self.state = State.IDLE
        self.named_only = False  # every job of its batch names its card


def names_its_card(ticket: Ticket) -> bool:
    lock = ticket.lock
    return lock is not None and lock[0] in ("pan", "card")


class Lanes:
    """The lanes of one loop writer, and the drain that fills them."""

    def __init__(self, factories: list[Callable[[], BatchUnitOfWork]]) -> None:
        if len(factories) < 2:
            raise ValueError("overlapped batches need two writer connections")
        self.lanes = [Lane(f) for f in factories]
        self._waiters: list[asyncio.Future[None]] = []
        self._arrival: asyncio.Future[None] | None = None  # the drain waits for a job

    async def drain(self, pending: list[Ticket], max_batch: int, runner: BatchRunner,
                    loop: asyncio.AbstractEventLoop, io: ThreadPoolExecutor) -> None:
        """Run every job in ``pending`` (and those that arrive meanwhile), two batches at
        a time where the module's rules allow; returns when every batch is settled."""
        while True:
            if not pending:
                if not any(o.busy for o in self.lanes):
                    return
                # a new job (:meth:`arrived`) or the last batch's end
                self._arrival = loop.create_future()
                self._waiters.append(self._arrival)
                await self._arrival
                continue
            await self._until(loop, lambda: self._free() is not None)
            lane = self._free()
            assert lane is not None
            other = next((o for o in self.lanes if o.busy), None)
            batch = _take(pending, max_batch, other)
            if not batch:  # the head cannot overlap: wait for the batch before to end
                await self._until(loop, lambda: not any(o.busy for o in self.lanes))
                continue
            runner.stats.overlapped += other is not None
            lane.busy, lane.named_only = True, all(map(names_its_card, batch))
            reached: asyncio.Future[None] = loop.create_future()
            loop.create_task(self._run(batch, lane, reached, runner, loop, io))
            await reached  # its jobs have run and its COMMIT is on its way (or it ended)

    def _free(self) -> Lane | None:
        return next((lane for lane in self.lanes if not lane.busy), None)

    async def _run(self, batch: list[Ticket], lane: Lane, reached: asyncio.Future[None],
                   runner: BatchRunner, loop: asyncio.AbstractEventLoop,
                   io: ThreadPoolExecutor) -> None:
        try:
            await adrive(runner.batch(batch, lane.factory),
                         partial(self._do, lane, reached, loop, io))
        except Exception:  # a bug: the batch's callers must not wait forever
            log.exception("overlapped_batch_failed")
            failure = StoreUnavailable("the writer failed to run this batch")
            for ticket in batch:
                if ticket.error is None and ticket.result is None:
                    ticket.fail(failure)
        finally:
            lane.busy, lane.state = False, State.IDLE
            _done(reached)
            self.wake()
        settle_all(batch)

    async def _do(self, lane: Lane, reached: asyncio.Future[None],
                  loop: asyncio.AbstractEventLoop, io: ThreadPoolExecutor, step: Step
                  ) -> Any:
        uow = step.uow
        if step.io is None:
            await asyncio.sleep(step.seconds)
            return None
        if uow is None:
            raise AssertionError(f"{step.io} without a unit of work")
        if step.io is Io.BEGIN:
            await self._until(loop, lambda: not any(
                o.state is State.RUNNING for o in self.lanes if o is not lane))
            lane.state = State.RUNNING
            try:
                if not uow.try_begin():  # a lost connection: replaced in the thread
                    await loop.run_in_executor(io, uow.begin)
            except BaseException:
                self._set(lane, State.IDLE)
                raise
            return None
        if step.io is Io.COMMIT:
            self._set(lane, State.COMMITTING)
            commit: asyncio.Future[Any] = loop.run_in_executor(io, _timed, uow.commit)
            _done(reached)
        else:
            commit = loop.run_in_executor(io, uow.abort)
        try:
            return await commit
        finally:
            self._set(lane, State.IDLE)

    def _set(self, lane: Lane, state: State) -> None:
        lane.state = state
        self.wake()

    async def _until(self, loop: asyncio.AbstractEventLoop, ok: Callable[[], bool]) -> None:
        while not ok():
            waiter: asyncio.Future[None] = loop.create_future()
            self._waiters.append(waiter)
            await waiter

    def arrived(self) -> None:
        """A job was queued: the drain, if it waits for one, looks again."""
        if self._arrival is not None:
            _done(self._arrival)
            self._arrival = None

    def wake(self) -> None:
        """Let every waiter look again (a lane moved on)."""
        waiters, self._waiters = self._waiters, []
        for waiter in waiters:
            _done(waiter)


def _take(pending: list[Ticket], max_batch: int, other: Lane | None) -> list[Ticket]:
    """The next batch from the head of ``pending``: up to ``max_batch`` jobs while no other
    batch is on a lane; beside ``other``, only if its jobs all name their cards, and then
    only the jobs before the first that does not."""
    n = min(len(pending), max_batch)
    if other is not None:
        if not other.named_only:
            return []
        n = next((i for i, t in enumerate(pending[:n]) if not names_its_card(t)), n)
    batch = pending[:n]
    del pending[:n]
    return batch


def _timed(fn: Callable[[], None]) -> float:
    """Run ``fn``; the seconds it took (a COMMIT, not its wait behind the one before)."""
    started = perf_counter()
    fn()
    return perf_counter() - started


def _done(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)
