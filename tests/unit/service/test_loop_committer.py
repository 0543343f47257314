"""The event-loop committer keeps the thread committer's promises: one transaction per
batch, a failing job undoes only its own writes, results only after COMMIT, a batch that
fails at commit is retried job by job, and closing finishes what was accepted."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from smartguard.domain.cards import Cardholder
from smartguard.domain.errors import InvalidInput
from smartguard.errors import StoreUnavailable
from smartguard.service_layer.loop_committer import LoopCommitter
from smartguard.service_layer.ports import UnitOfWork
from tests.builders import beijing
from tests.fakes import FakeStore

NOW = beijing(12)


def add_holder(i: int) -> Any:
    def job(uow: UnitOfWork) -> str:
        uow.cardholders.add(Cardholder(f"chd_{i}", "H", "+8613800138000"), NOW)
        return f"chd_{i}"

    return job


def bad(uow: UnitOfWork) -> None:
    add_holder(99)(uow)
    raise InvalidInput("field", "bad")


def test_many_jobs_commit_in_few_batches_and_a_bad_one_undoes_only_itself() -> None:
    store = FakeStore()

    async def scenario() -> list[Any]:
        c = LoopCommitter(store.uow, asyncio.get_running_loop())
        futures = [c.asubmit(add_holder(i)) for i in range(50)] + [c.asubmit(bad)]
        results = await asyncio.gather(*futures, return_exceptions=True)
        await c.aclose()
        assert c.stats.batches < 10
        return results

    results = asyncio.run(scenario())
    assert results[:50] == [f"chd_{i}" for i in range(50)]
    assert isinstance(results[50], InvalidInput)
    view = store.uow()
    assert view.cardholders.get("chd_49") is not None
    assert view.cardholders.get("chd_99") is None


def test_a_result_is_settled_only_after_its_commit() -> None:
    store = FakeStore()
    seen: list[bool] = []

    async def scenario() -> None:
        c = LoopCommitter(store.uow, asyncio.get_running_loop())
        result = await c.arun(add_holder(1))
        seen.append(store.uow().cardholders.get(result) is not None)
        await c.aclose()

    asyncio.run(scenario())
    assert seen == [True]


def test_a_batch_failing_at_commit_is_retried_job_by_job() -> None:
    store = FakeStore()
    poisoned: list[bool] = []

    class Poisonable:
        def __init__(self) -> None:
            self.inner = store.uow()

        def __getattr__(self, name: str) -> Any:
            return getattr(self.inner, name)

        def __enter__(self) -> Poisonable:
            poisoned.clear()
            self.inner.__enter__()
            return self

        def __exit__(self, *exc: Any) -> None:
            self.inner.__exit__(*exc)

        def commit(self) -> None:
            if poisoned:
                raise StoreUnavailable("deadlock detected")
            self.inner.commit()

    async def scenario() -> list[Any]:
        c = LoopCommitter(Poisonable, asyncio.get_running_loop())  # type: ignore[arg-type]
        futures = [c.asubmit(add_holder(1)), c.asubmit(lambda uow: poisoned.append(True)),
                   c.asubmit(add_holder(2))]
        results = await asyncio.gather(*futures, return_exceptions=True)
        await c.aclose()
        return results

    first, poison, second = asyncio.run(scenario())
    assert (first, second) == ("chd_1", "chd_2")
    assert isinstance(poison, StoreUnavailable)


def test_after_close_new_jobs_are_refused_closed() -> None:
    async def scenario() -> None:
        c = LoopCommitter(FakeStore().uow, asyncio.get_running_loop())
        await c.aclose()
        with pytest.raises(StoreUnavailable):
            await c.arun(add_holder(1))

    asyncio.run(scenario())


def test_other_threads_can_submit_while_the_loop_runs() -> None:
    store = FakeStore()

    async def scenario() -> str:
        c = LoopCommitter(store.uow, asyncio.get_running_loop())
        result = await asyncio.to_thread(c.run, add_holder(7))
        await c.aclose()
        return result

    assert asyncio.run(scenario()) == "chd_7"


@pytest.mark.parametrize(("inline_max", "in_thread"), [(8, True), (None, False)])
def test_large_batches_commit_in_the_helper_thread_unless_told_to_commit_inline(
        inline_max: int | None, in_thread: bool) -> None:
    """A batch larger than ``inline_commit_max`` commits in the helper thread (the loop
    goes on decoding); with None (a core behind ISO 8583 fronts) every batch commits on
    the loop's own thread."""
    import threading

    store = FakeStore()
    threads: list[str] = []

    def factory() -> UnitOfWork:
        uow = store.uow()
        commit = uow.commit

        def traced() -> None:
            threads.append(threading.current_thread().name)
            commit()

        uow.commit = traced  # type: ignore[method-assign]
        return uow

    async def scenario() -> None:
        c = LoopCommitter(factory, asyncio.get_running_loop(), inline_commit_max=inline_max)
        await asyncio.gather(*[c.asubmit(add_holder(i)) for i in range(40)])
        await c.aclose()

    asyncio.run(scenario())
    assert threads
    assert all((name != threading.main_thread().name) is in_thread for name in threads)


@pytest.mark.parametrize("kind", ["loop", "thread"])
def test_submit_call_calls_back_on_the_loop_after_the_commit(kind: str) -> None:
    from smartguard.service_layer.committer import Committer

    store = FakeStore()
    calls: list[tuple[Any, Any, bool, bool]] = []

    async def scenario() -> None:
        loop = asyncio.get_running_loop()
        c: Any = LoopCommitter(store.uow, loop) if kind == "loop" else Committer(store.uow)
        if kind == "thread":
            c.start()
        done = asyncio.Event()

        def fn(result: Any, error: BaseException | None) -> None:
            committed = store.uow().cardholders.get("chd_1") is not None
            calls.append((result, error, committed, asyncio.get_running_loop() is loop))
            if len(calls) == 3:
                done.set()

        def broken(result: Any, error: BaseException | None) -> None:
            raise RuntimeError("a caller's bug")

        c.submit_call(add_holder(1), broken)
        c.submit_call(add_holder(1), fn)  # a duplicate id: refused, nothing kept
        c.submit_call(bad, fn)
        c.submit_call(add_holder(2), fn)
        await asyncio.wait_for(done.wait(), 5)
        if kind == "loop":
            await c.aclose()
        else:
            c.stop()

    asyncio.run(scenario())
    assert [r for r, _, _, _ in calls] == [None, None, "chd_2"]
    assert [type(e).__name__ for _, e, _, _ in calls[:2]] == ["Conflict", "InvalidInput"]
    assert all(committed and on_loop for _, _, committed, on_loop in calls)
    assert store.uow().cardholders.get("chd_99") is None
