"""The in-memory unit of work keeps the promises of the UnitOfWork protocol, so service
tests that use it mean what they say: writes are seen by a new unit of work only after
commit; leaving without commit rolls back; a savepoint undoes only its own writes."""

from __future__ import annotations

import inspect
import typing

import pytest

from smartguard.domain.cards import Cardholder
from smartguard.errors import Conflict
from smartguard.service_layer.ports import UnitOfWork
from tests.builders import beijing
from tests.fakes import FakeStore, FakeUnitOfWork

NOW = beijing(12)


def holder(i: int) -> Cardholder:
    return Cardholder(f"chd_{i}", "Holder", "+8613800138000")


def test_fake_has_every_repository_and_method_of_the_protocol():
    uow = FakeStore().uow()
    for name, repo_type in typing.get_type_hints(UnitOfWork).items():
        repo = getattr(uow, name)
        for method, _ in inspect.getmembers(repo_type, inspect.isfunction):
            if not method.startswith("_"):
                assert callable(getattr(repo, method)), f"{name}.{method}"
    for method in ("__enter__", "__exit__", "commit", "rollback", "savepoint"):
        assert callable(getattr(uow, method))


def test_writes_are_invisible_to_a_new_unit_of_work_until_commit():
    store = FakeStore()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        assert uow.cardholders.get("chd_1") is not None
        assert store.uow().cardholders.get("chd_1") is None
        uow.commit()
    assert store.uow().cardholders.get("chd_1") is not None


def test_leaving_without_commit_rolls_back():
    store = FakeStore()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
    assert store.uow().cardholders.get("chd_1") is None
    assert store.commits == 0


def test_an_exception_rolls_back():
    store = FakeStore()
    with pytest.raises(RuntimeError), store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        raise RuntimeError("boom")
    assert store.uow().cardholders.get("chd_1") is None


def test_explicit_rollback_discards_the_writes():
    store = FakeStore()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        uow.rollback()
        assert uow.cardholders.get("chd_1") is None


def test_a_failed_savepoint_undoes_only_its_own_writes():
    store = FakeStore()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        with pytest.raises(ValueError), uow.savepoint():
            uow.cardholders.add(holder(2), NOW)
            raise ValueError("job failed")
        with uow.savepoint():
            uow.cardholders.add(holder(3), NOW)
        uow.commit()
    view = store.uow()
    assert [view.cardholders.get(f"chd_{i}") is not None for i in (1, 2, 3)] == [
        True, False, True]


def test_a_unit_of_work_entered_later_sees_the_latest_commit():
    store = FakeStore()
    early = store.uow()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        uow.commit()
    with early:
        assert early.cardholders.get("chd_1") is not None


def test_a_duplicate_key_is_refused_like_the_sql_store():
    store = FakeStore()
    with store.uow() as uow:
        uow.cardholders.add(holder(1), NOW)
        with pytest.raises(Conflict):
            uow.cardholders.add(holder(1), NOW)


def test_the_store_is_a_unit_of_work_factory():
    assert isinstance(FakeStore()(), FakeUnitOfWork)
