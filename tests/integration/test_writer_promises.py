"""The writer's promises (SPEC 5), written once and kept by both schedulers (a thread, the
event loop) on every store (the in-memory fake, SQLite, PostgreSQL): no result before its
COMMIT, jobs in order against their predecessors' writes, a failing job undoes only its own
writes (also when it fails after writing), a transient conflict is retried unseen, a failed
COMMIT is retried job by job, and a store that cannot begin fails every job at once."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest

from smartguard.adapters.sqlite.store import SqliteStore
from smartguard.adapters.sqlite.store import upgrade as sqlite_upgrade
from smartguard.domain.cards import Cardholder
from smartguard.domain.errors import InvalidInput
from smartguard.errors import StoreConflict, StoreDisconnected, StoreUnavailable
from smartguard.service_layer.batch_runner import BatchRunner
from smartguard.service_layer.loop_writer import LoopWriter
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.overlap import Lanes
from smartguard.service_layer.ports import BatchUnitOfWork, UnitOfWork
from smartguard.service_layer.thread_writer import ThreadWriter
from smartguard.service_layer.writer import Writer
from tests.builders import beijing
from tests.fakes import FakeStore

NOW = beijing(12)
Factory = Callable[[], BatchUnitOfWork]


class Stores:
    """One store under test: its writer's units of work and a view of what is committed."""

    def __init__(self, writer: Factory, view: Callable[[], UnitOfWork],
                 close: Callable[[], None] = lambda: None, second: Factory | None = None
                 ) -> None:
        self.writer, self.view, self.close = writer, view, close
        self.second = second  # a second writer connection (PostgreSQL): overlapped batches

    def holders(self, *ids: str) -> list[bool]:
        with self.view() as uow:
            return [uow.cardholders.get(i) is not None for i in ids]


STORES = ("fake", "sqlite", "postgres")
#: ``overlap``: the loop writer with two lanes (service_layer/overlap.py), which only a
#: store with two writer connections has (PostgreSQL)
SCHEDULERS = ("thread", "loop", "overlap")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every store with every scheduler it can have."""
    if "scheduler" in metafunc.fixturenames:
        metafunc.parametrize(("store", "scheduler"), [
            (s, k) for s in STORES for k in SCHEDULERS if k != "overlap" or s == "postgres"])


@pytest.fixture
def stores(store: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    if store == "fake":
        fake = FakeStore()
        yield Stores(fake.uow, fake.uow)
        return
    if store == "sqlite":
        sqlite_upgrade(tmp_path / "w.db")
        found: Any = SqliteStore(tmp_path / "w.db")
    else:
        from smartguard.adapters.postgres import store as pg

        url = request.getfixturevalue("pg_url")
        pg.upgrade(url)
        found = pg.PostgresStore(url)
        yield Stores(found.writer, found.reader, found.close, found.writers(2)[1])
        found.close()
        return
    yield Stores(found.writer, found.reader, found.close)
    found.close()


@asynccontextmanager
async def writer_on(scheduler: str, factory: Factory, second: Factory | None = None
                    ) -> AsyncIterator[Writer]:
    runner = BatchRunner(factory)
    writer: Writer
    if scheduler == "thread":
        thread = ThreadWriter(runner)
        thread.start()
        writer = thread
    elif scheduler == "overlap":
        assert second is not None
        writer = LoopWriter(runner, asyncio.get_running_loop(),
                            lanes=Lanes([factory, second]))
    else:
        writer = LoopWriter(runner, asyncio.get_running_loop())
    try:
        yield writer
    finally:
        await writer.aclose()


async def one_batch(writer: Writer, jobs: list[Callable[[UnitOfWork], Any]]) -> list[Any]:
    """Run ``jobs`` as one batch; their results, or the exceptions they ended with. On the
    loop, jobs submitted in one turn form a batch; the thread is held by a job until all
    are queued behind it."""
    release = threading.Event()
    entered = threading.Event()
    held = None
    if isinstance(writer, ThreadWriter):
        held = asyncio.ensure_future(writer.arun(
            lambda uow: entered.set() or release.wait(5)))
        await asyncio.to_thread(entered.wait, 5)
    futures = [asyncio.ensure_future(writer.arun(job)) for job in jobs]
    release.set()
    if held is not None:
        await held
    return await asyncio.gather(*futures, return_exceptions=True)


def scenario(scheduler: str, stores: Stores, body: Callable[[Writer], Any],
             factory: Factory | None = None) -> Any:
    second = stores.second
    if factory is not None and second is not None:  # the faulty store's, on both lanes
        second = lambda: Faulty(stores.second)  # type: ignore[arg-type,return-value] # noqa: E731

    async def main() -> Any:
        async with writer_on(scheduler, factory or stores.writer, second) as writer:
            return await body(writer)

    return asyncio.run(main())


def add(name: str) -> Callable[[UnitOfWork], str]:
    def job(uow: UnitOfWork) -> str:
        uow.cardholders.add(Cardholder(name, "H", "+8613800138000"), NOW)
        return name

    return job


def wrote_then_failed(uow: UnitOfWork) -> None:
    add("chd_written_then_failed")(uow)
    raise InvalidInput("field", "after a write")


def failed_first(uow: UnitOfWork) -> None:
    raise InvalidInput("field", "before any write")


def test_a_result_is_handed_back_only_after_its_commit(scheduler: str, stores: Stores
                                                       ) -> None:
    seen: list[list[bool]] = []

    async def body(writer: Writer) -> None:
        await writer.arun(add("chd_1"))
        seen.append(stores.holders("chd_1"))  # read on another connection

    scenario(scheduler, stores, body)
    assert seen == [[True]]


def test_a_callback_runs_on_the_loop_after_the_commit(scheduler: str, stores: Stores) -> None:
    calls: list[tuple[Any, str | None, bool, bool]] = []

    async def body(writer: Writer) -> None:
        loop = asyncio.get_running_loop()
        done = asyncio.Event()

        def fn(result: Any, error: BaseException | None) -> None:
            on_loop = asyncio.get_running_loop() is loop
            calls.append((result, type(error).__name__ if error else None,
                          stores.holders("chd_1")[0], on_loop))
            if len(calls) == 2:
                done.set()

        def broken(result: Any, error: BaseException | None) -> None:
            raise RuntimeError("a caller's bug")

        writer.submit_call(add("chd_1"), broken)  # contained: the others still get theirs
        writer.submit_call(add("chd_1"), fn)  # the same id again: refused
        writer.submit_call(add("chd_2"), fn)
        await asyncio.wait_for(done.wait(), 5)

    scenario(scheduler, stores, body)
    assert [(r, e) for r, e, _, _ in calls] == [(None, "Conflict"), ("chd_2", None)]
    assert all(committed and on_loop for _, _, committed, on_loop in calls)


def test_jobs_run_in_order_each_seeing_what_the_ones_before_it_wrote(
        scheduler: str, stores: Stores) -> None:
    def next_one(uow: UnitOfWork) -> int:
        n = sum(uow.cardholders.get(f"chd_{i}") is not None for i in range(20))
        add(f"chd_{n}")(uow)
        return n

    results = scenario(scheduler, stores, lambda w: one_batch(w, [next_one] * 10))
    assert results == list(range(10))


def test_a_failing_job_undoes_only_its_own_writes(scheduler: str, stores: Stores) -> None:
    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), failed_first, wrote_then_failed, add("chd_2")]))
    assert results[0] == "chd_1" and results[3] == "chd_2"
    assert [str(r) for r in results[1:3]] == ["field: before any write",
                                               "field: after a write"]
    assert stores.holders("chd_1", "chd_2", "chd_written_then_failed") == [True, True, False]


def test_a_job_that_wrote_and_failed_makes_the_batch_run_again_with_savepoints(
        scheduler: str, stores: Stores) -> None:
    runs: list[int] = []

    def counted(uow: UnitOfWork) -> str:
        runs.append(1)
        return add("chd_1")(uow)

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [counted, wrote_then_failed]))
    assert results[0] == "chd_1" and isinstance(results[1], InvalidInput)
    assert len(runs) == 2  # once fast, once with a savepoint per job


def test_a_bug_in_one_job_fails_that_job_only(scheduler: str, stores: Stores) -> None:
    def bug(uow: UnitOfWork) -> None:
        raise ZeroDivisionError("a bug")

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), bug, add("chd_2")]))
    assert results[0] == "chd_1" and results[2] == "chd_2"
    assert isinstance(results[1], ZeroDivisionError)


class Faulty:
    """A unit of work from ``factory`` whose store misbehaves on demand."""

    fail_begin = False
    poison: list[bool]  # a job sets it: the COMMIT of its transaction fails
    conflicts: list[int]  # conflicts still to report, one per job run
    lost_at_commit = False  # the connection drops while COMMIT is on its way
    locked: list[list[tuple[str, str]]]  # what each batch asked to lock, before its jobs

    def __init__(self, factory: Factory) -> None:
        self.inner = factory()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def begin(self) -> None:
        if Faulty.fail_begin:
            raise StoreUnavailable("the store is down")
        Faulty.poison.clear()
        self.inner.begin()

    def try_begin(self) -> bool:
        self.begin()
        return True

    def commit(self) -> None:
        if Faulty.poison:
            raise StoreUnavailable("could not serialize the batch at COMMIT")
        if Faulty.lost_at_commit:
            raise StoreDisconnected("server closed the connection unexpectedly")
        self.inner.commit()

    def lock_rows(self, locks: list[tuple[str, str]]) -> None:
        Faulty.locked.append(list(locks))
        self.inner.lock_rows(locks)


@pytest.fixture
def faulty(stores: Stores) -> Iterator[Factory]:
    Faulty.fail_begin, Faulty.poison, Faulty.conflicts = False, [], []
    Faulty.lost_at_commit, Faulty.locked = False, []
    yield lambda: Faulty(stores.writer)  # type: ignore[return-value]


def test_a_batch_whose_commit_fails_is_retried_job_by_job(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    def poison(uow: UnitOfWork) -> None:
        Faulty.poison.append(True)

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), poison, add("chd_2")]), faulty)
    assert results[0] == "chd_1" and results[2] == "chd_2"
    assert isinstance(results[1], StoreUnavailable)
    assert stores.holders("chd_1", "chd_2") == [True, True]


def test_a_transient_conflict_is_retried_and_never_seen(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    Faulty.conflicts.extend([1, 1])  # the first two runs meet another node's lock

    def contended(uow: UnitOfWork) -> str:
        if Faulty.conflicts:
            Faulty.conflicts.pop()
            raise StoreConflict("deadlock detected")
        return add("chd_2")(uow)

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), contended, add("chd_3")]), faulty)
    assert results == ["chd_1", "chd_2", "chd_3"]
    assert stores.holders("chd_1", "chd_2", "chd_3") == [True, True, True]


def test_a_conflict_that_persists_fails_only_its_own_job(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    def always(uow: UnitOfWork) -> None:
        raise StoreConflict("deadlock detected")

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), always, add("chd_2")]), faulty)
    assert results[0] == "chd_1" and results[2] == "chd_2"
    assert isinstance(results[1], StoreUnavailable)


def test_a_store_that_cannot_begin_fails_every_job_at_once_and_the_writer_goes_on(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    async def body(writer: Writer) -> tuple[list[Any], str]:
        Faulty.fail_begin = True
        failed = await asyncio.gather(writer.arun(add("chd_1")), writer.arun(add("chd_2")),
                                      return_exceptions=True)
        Faulty.fail_begin = False
        return failed, await writer.arun(add("chd_3"))

    failed, later = scenario(scheduler, stores, body, faulty)
    assert len(failed) == 2
    assert all(isinstance(r, StoreUnavailable) for r in failed)
    assert later == "chd_3"
    assert stores.holders("chd_1", "chd_3") == [False, True]


def test_many_jobs_share_few_batches(scheduler: str, stores: Stores) -> None:
    async def body(writer: Writer) -> int:
        await one_batch(writer, [add(f"chd_{i}") for i in range(60)])
        return writer.stats.batches

    assert scenario(scheduler, stores, body) <= 3


def test_a_connection_lost_before_commit_is_retried_and_never_seen(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    Faulty.conflicts.append(1)

    def failover(uow: UnitOfWork) -> str:
        if Faulty.conflicts:
            Faulty.conflicts.pop()
            raise StoreDisconnected("server closed the connection unexpectedly")
        return add("chd_2")(uow)

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), failover]), faulty)
    assert results == ["chd_1", "chd_2"]
    assert stores.holders("chd_1", "chd_2") == [True, True]


def test_a_connection_lost_during_commit_fails_every_job_and_runs_nothing_again(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    """The batch may or may not have committed: nothing is run again (an enrolment would
    be made twice); the callers send again, and idempotency keys make that exact."""
    runs: list[int] = []

    def counted(uow: UnitOfWork) -> str:
        runs.append(1)
        Faulty.lost_at_commit = True  # this batch's COMMIT will not come back
        return add("chd_1")(uow)

    results = scenario(scheduler, stores, lambda w: one_batch(w, [counted, add("chd_2")]),
                       faulty)
    assert all(isinstance(r, StoreUnavailable) and "unknown" in str(r) for r in results)
    assert len(runs) == 1


def test_each_batch_asks_for_its_jobs_row_locks_before_any_job_runs(
        scheduler: str, stores: Stores, faulty: Factory) -> None:
    seen: list[int] = []

    def job(uow: UnitOfWork) -> str:
        seen.append(len(Faulty.locked))
        return "ran"

    async def body(writer: Writer) -> list[Any]:
        release, entered = threading.Event(), threading.Event()
        held = None
        if isinstance(writer, ThreadWriter):
            held = asyncio.ensure_future(writer.arun(
                lambda uow: entered.set() or release.wait(5)))
            await asyncio.to_thread(entered.wait, 5)
        futures = [asyncio.ensure_future(writer.arun(job, ("pan", p))) for p in "ba"]
        futures.append(asyncio.ensure_future(writer.arun(job)))
        release.set()
        if held is not None:
            await held
        return await asyncio.gather(*futures)

    assert scenario(scheduler, stores, body, faulty) == ["ran"] * 3
    assert [("pan", "b"), ("pan", "a")] in Faulty.locked
    assert all(n >= 1 for n in seen)  # the batch had asked for its locks already


def add_message(message_id: str) -> Callable[[UnitOfWork], str]:
    def job(uow: UnitOfWork) -> str:
        uow.outbox.add(OutboxMessage(message_id, NOW, "sms", "security", "security.test",
                                     "+8613800138000", "zh-CN", "text", {}))
        return message_id

    return job


def test_the_after_commit_hook_runs_once_a_batch_that_added_outbox_rows_committed(
        scheduler: str, stores: Stores) -> None:
    """The writer's one hook (the notifier wakes its relay): after the COMMIT of a batch
    with outbox rows, never for a batch without; and not once removed."""
    seen: list[bool] = []

    def hook() -> None:
        with stores.view() as uow:
            seen.append(uow.outbox.get("msg_hook_1") is not None)

    async def body(writer: Writer) -> None:
        writer.on_outbox_commit(hook)
        await writer.arun(add("chd_1"))
        assert seen == []
        await writer.arun(add_message("msg_hook_1"))
        writer.on_outbox_commit(None)
        await writer.arun(add_message("msg_hook_3"))

    scenario(scheduler, stores, body)
    assert seen == [True]


def test_a_write_refused_when_it_is_sent_fails_only_the_job_that_made_it(
        scheduler: str, stores: Stores) -> None:
    """On PostgreSQL a job's unanswered writes (here an outbox row) go to the server with
    the next answered statement, at the latest with the COMMIT (adapters/sql/db.py): a
    refusal there is that job's failure, not its neighbours'; SQLite and the fake refuse at
    once. Either way the batch commits without the refused job."""
    from smartguard.errors import Conflict

    scenario(scheduler, stores, lambda w: w.arun(add_message("msg_taken")))

    def duplicate_message(uow: UnitOfWork) -> None:
        add("chd_with_duplicate")(uow)
        add_message("msg_taken")(uow)

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), add("chd_2"), duplicate_message]))  # the last: sent with COMMIT
    assert results[0] == "chd_1" and results[1] == "chd_2"
    assert isinstance(results[2], Conflict)
    assert stores.holders("chd_1", "chd_2", "chd_with_duplicate") == [True, True, False]


def test_a_write_refused_when_it_travels_with_the_next_jobs_read_fails_only_its_own_job(
        scheduler: str, stores: Stores) -> None:
    """The refused write is sent with the next job's first read: that job is not blamed."""
    from smartguard.errors import Conflict

    scenario(scheduler, stores, lambda w: w.arun(add_message("msg_taken")))

    def reads(uow: UnitOfWork) -> bool:
        return uow.cardholders.get("chd_1") is not None

    results = scenario(scheduler, stores, lambda w: one_batch(
        w, [add("chd_1"), add_message("msg_taken"), reads]))
    assert results[0] == "chd_1" and results[2] is True
    assert isinstance(results[1], Conflict)
