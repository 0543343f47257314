"""Group commit (SPEC 5): an answer leaves only after the transaction holding it committed;
a job that fails undoes only its own writes; when the store fails, every waiting job gets
StoreUnavailable (an authorization fails closed) instead of waiting for ever."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from smartguard.domain.cards import Cardholder
from smartguard.domain.errors import InvalidInput
from smartguard.errors import StoreUnavailable
from smartguard.service_layer.committer import Committer
from smartguard.service_layer.ports import UnitOfWork
from tests.builders import beijing
from tests.fakes import FakeStore

NOW = beijing(12)
WAIT = 5  # seconds: far longer than any of these jobs takes


@pytest.fixture
def store() -> FakeStore:
    return FakeStore()


@pytest.fixture
def committer(store: FakeStore) -> Iterator[Committer]:
    c = Committer(store.uow)
    c.start()
    yield c
    c.stop()


def add_holder(i: int):
    def job(uow: UnitOfWork) -> str:
        uow.cardholders.add(Cardholder(f"chd_{i}", "H", "+8613800138000"), NOW)
        return f"chd_{i}"
    return job


def test_a_result_is_handed_back_only_once_it_is_committed(store, committer):
    assert committer.run(add_holder(1)) == "chd_1"
    assert store.uow().cardholders.get("chd_1") is not None


def test_a_failing_job_undoes_only_its_own_writes(store, committer):
    def bad(uow: UnitOfWork) -> None:
        add_holder(2)(uow)
        raise InvalidInput("field", "bad")

    gate = threading.Event()
    blocker = committer.submit(lambda uow: gate.wait(WAIT))  # lets the next three queue up
    futures = [committer.submit(add_holder(1)), committer.submit(bad),
               committer.submit(add_holder(3))]
    gate.set()
    blocker.result(WAIT)
    assert futures[0].result(WAIT) == "chd_1"
    with pytest.raises(InvalidInput):
        futures[1].result(WAIT)
    assert futures[2].result(WAIT) == "chd_3"
    view = store.uow()
    assert [view.cardholders.get(f"chd_{i}") is not None for i in (1, 2, 3)] == [
        True, False, True]


def test_a_failed_commit_fails_every_job_of_the_batch_and_keeps_nothing(store, committer):
    store.fail_on_commit = True
    with pytest.raises(StoreUnavailable):
        committer.submit(add_holder(1)).result(WAIT)
    assert store.uow().cardholders.get("chd_1") is None


def test_a_store_that_cannot_begin_fails_the_jobs_instead_of_leaving_them_waiting(
    store, committer
):
    store.fail_on_enter = True
    future = committer.submit(add_holder(1))
    with pytest.raises(StoreUnavailable):
        future.result(WAIT)


def test_the_writer_keeps_going_after_a_failed_batch(store, committer):
    store.fail_on_commit = True
    with pytest.raises(StoreUnavailable):
        committer.submit(add_holder(1)).result(WAIT)
    store.fail_on_commit = False
    assert committer.run(add_holder(2)) == "chd_2"


def test_a_job_submitted_to_a_stopped_writer_fails_at_once(store):
    with pytest.raises(StoreUnavailable):
        Committer(store.uow).submit(add_holder(1)).result(WAIT)


def test_a_batch_whose_commit_fails_is_retried_job_by_job(store):
    """A job that makes the whole transaction fail at COMMIT (a deadlock, say) must not
    take its neighbours down with it: they are retried one by one and committed."""
    poisoned: list[bool] = []

    class PoisonableUow:
        def __init__(self) -> None:
            self.inner = store.uow()

        def __getattr__(self, name: str):
            return getattr(self.inner, name)

        def __enter__(self):
            poisoned.clear()
            self.inner.__enter__()
            return self

        def __exit__(self, *exc):
            return self.inner.__exit__(*exc)

        def commit(self) -> None:
            if poisoned:
                raise StoreUnavailable("deadlock detected")
            self.inner.commit()

    def poison(uow: UnitOfWork) -> None:
        poisoned.append(True)

    c = Committer(PoisonableUow)
    c.start()
    try:
        gate = threading.Event()
        blocker = c.submit(lambda uow: gate.wait(WAIT))
        futures = [c.submit(add_holder(1)), c.submit(poison), c.submit(add_holder(2))]
        gate.set()
        blocker.result(WAIT)
        assert futures[0].result(WAIT) == "chd_1"
        with pytest.raises(StoreUnavailable):
            futures[1].result(WAIT)
        assert futures[2].result(WAIT) == "chd_2"
    finally:
        c.stop()
    view = store.uow()
    assert view.cardholders.get("chd_1") is not None
    assert view.cardholders.get("chd_2") is not None
