"""The serving process keeps a growing cache out of the garbage collector's full scans."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from smartguard.entrypoints import runtime


@pytest.fixture
def thawed() -> Iterator[None]:
    yield
    gc.unfreeze()


class Record:  # a cached card's record: tracked by the collector, no cycles
    def __init__(self, i: int) -> None:
        self.id = f"card_{i}"
        self.limits = [i, i + 1]


def test_a_grown_oldest_generation_is_frozen_and_a_small_one_is_not(thawed: None) -> None:
    gc.collect()
    gc.freeze()
    assert runtime.settle_grown(limit=5_000) is False  # nothing has grown
    cache = [Record(i) for i in range(20_000)]
    gc.collect()  # the cache survives into the oldest generation, as it would in service
    assert len(gc.get_objects(generation=2)) > 5_000
    before = gc.get_freeze_count()
    assert runtime.settle_grown(limit=5_000) is True
    assert gc.get_freeze_count() >= before + 20_000
    assert len(gc.get_objects(generation=2)) <= 5_000  # a full collection has little to scan
    assert cache[-1].id == "card_19999"
