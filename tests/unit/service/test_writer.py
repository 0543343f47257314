"""The two schedulers of the writer, beyond the promises they share (those are in
tests/integration/test_writer_promises.py): where a COMMIT runs, closing, and the guard
against a job run in a way that could only hang."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from smartguard.domain.cards import Cardholder
from smartguard.errors import StoreUnavailable
from smartguard.service_layer.batch_runner import BatchRunner
from smartguard.service_layer.loop_writer import LoopWriter
from smartguard.service_layer.ports import BatchUnitOfWork, UnitOfWork
from smartguard.service_layer.thread_writer import ThreadWriter
from smartguard.service_layer.writer import WriterMisuse
from tests.builders import beijing
from tests.fakes import FakeStore

NOW = beijing(12)


def add_holder(i: int) -> Any:
    def job(uow: UnitOfWork) -> str:
        uow.cardholders.add(Cardholder(f"chd_{i}", "H", "+8613800138000"), NOW)
        return f"chd_{i}"

    return job


def test_run_from_the_writers_own_loop_fails_at_once_instead_of_hanging() -> None:
    async def scenario() -> None:
        writer = LoopWriter(BatchRunner(FakeStore().uow), asyncio.get_running_loop())
        started = time.monotonic()
        with pytest.raises(WriterMisuse, match="arun"):
            writer.run(add_holder(1))
        assert time.monotonic() - started < 1
        assert await writer.arun(add_holder(2)) == "chd_2"  # and the writer is fine
        await writer.aclose()

    asyncio.run(scenario())


def test_run_from_a_thread_with_a_running_loop_fails_at_once_on_the_thread_writer() -> None:
    writer = ThreadWriter(BatchRunner(FakeStore().uow))
    writer.start()

    async def scenario() -> None:
        with pytest.raises(WriterMisuse, match="arun"):
            writer.run(add_holder(1))
        assert await writer.arun(add_holder(2)) == "chd_2"

    try:
        asyncio.run(scenario())
    finally:
        writer.close()


def test_a_job_that_waits_for_another_job_fails_instead_of_deadlocking() -> None:
    writer = ThreadWriter(BatchRunner(FakeStore().uow))
    writer.start()
    try:
        with pytest.raises(WriterMisuse):
            writer.run(lambda uow: writer.run(add_holder(1)))
    finally:
        writer.close()


def test_other_threads_can_run_jobs_on_the_loop_writer() -> None:
    async def scenario() -> str:
        writer = LoopWriter(BatchRunner(FakeStore().uow), asyncio.get_running_loop())
        result = await asyncio.to_thread(writer.run, add_holder(7))
        await writer.aclose()
        return result

    assert asyncio.run(scenario()) == "chd_7"


@pytest.mark.parametrize("kind", ["thread", "loop"])
def test_after_close_new_jobs_are_refused_closed(kind: str) -> None:
    async def scenario() -> None:
        runner = BatchRunner(FakeStore().uow)
        writer: Any = ThreadWriter(runner) if kind == "thread" else \
            LoopWriter(runner, asyncio.get_running_loop())
        if kind == "thread":
            writer.start()
        await writer.aclose()
        with pytest.raises(StoreUnavailable):
            await writer.arun(add_holder(1))

    asyncio.run(scenario())


def test_closing_finishes_every_job_accepted() -> None:
    store = FakeStore()

    async def scenario() -> list[Any]:
        writer = LoopWriter(BatchRunner(store.uow), asyncio.get_running_loop())
        futures = [asyncio.ensure_future(writer.arun(add_holder(i))) for i in range(5)]
        await asyncio.sleep(0)
        await writer.aclose()
        return await asyncio.gather(*futures)

    assert asyncio.run(scenario()) == [f"chd_{i}" for i in range(5)]


@pytest.mark.parametrize(("inline_max", "in_thread"), [(8, True), (None, False)])
def test_large_batches_commit_in_the_helper_thread_unless_told_to_commit_inline(
        inline_max: int | None, in_thread: bool) -> None:
    """A batch larger than ``inline_commit_max`` commits in the helper thread (the loop
    goes on decoding); with None (a core behind ISO 8583 fronts) every batch commits on
    the loop's own thread."""
    store = FakeStore()
    threads: list[str] = []

    def factory() -> BatchUnitOfWork:
        uow = store.uow()
        commit = uow.commit

        def traced() -> None:
            threads.append(threading.current_thread().name)
            commit()

        uow.commit = traced  # type: ignore[method-assign]
        return uow

    async def scenario() -> None:
        writer = LoopWriter(BatchRunner(factory), asyncio.get_running_loop(),
                            inline_commit_max=inline_max)
        await asyncio.gather(*[writer.arun(add_holder(i)) for i in range(40)])
        await writer.aclose()

    asyncio.run(scenario())
    assert threads
    assert all((name != threading.main_thread().name) is in_thread for name in threads)


def _paced(max_wait: float, gap: float, jobs: int, on_thread: bool = False
           ) -> tuple[int, int]:
    """Jobs submitted ``gap`` seconds apart to a loop writer (or a thread writer) that may
    wait ``max_wait``: (batches, batches that waited)."""
    async def scenario() -> tuple[int, int]:
        writer: LoopWriter | ThreadWriter
        if on_thread:
            writer = ThreadWriter(BatchRunner(FakeStore().uow), max_wait=max_wait)
            writer.start()
        else:
            writer = LoopWriter(BatchRunner(FakeStore().uow), asyncio.get_running_loop(),
                                max_wait=max_wait)
        done = []
        for i in range(jobs):
            done.append(asyncio.ensure_future(writer.arun(add_holder(i))))
            await asyncio.sleep(gap)
        assert sorted(await asyncio.gather(*done)) == sorted(f"chd_{i}" for i in range(jobs))
        await writer.aclose()
        return writer.stats.batches, writer.waits

    return asyncio.run(scenario())


@pytest.mark.parametrize("on_thread", [False, True], ids=["loop", "thread"])
def test_under_steady_load_a_batch_waits_for_the_next_jobs_when_told_to(on_thread: bool
                                                                        ) -> None:
    """commit_max_wait_ms: at ~500 jobs/s a 20 ms wait gathers several jobs a batch (once
    the first 0.1 s have told the rate: until then each job is a batch of its own)."""
    batches, waited = _paced(max_wait=0.02, gap=0.002, jobs=300, on_thread=on_thread)
    assert waited > 0
    assert batches < 300 / 2


@pytest.mark.parametrize("on_thread", [False, True], ids=["loop", "thread"])
def test_without_a_wait_or_at_a_quiet_moment_no_batch_waits(on_thread: bool) -> None:
    assert _paced(max_wait=0.0, gap=0.002, jobs=60, on_thread=on_thread)[1] == 0
    batches, waited = _paced(max_wait=0.005, gap=0.03, jobs=10,  # ~30/s: none expected
                             on_thread=on_thread)
    assert waited == 0
    assert batches == 10
