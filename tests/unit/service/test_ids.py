"""Record ids: unique, and in the order they were made (messages to one phone go out in
that order, even when a use case writes two in the same millisecond)."""

from __future__ import annotations

import threading

from smartguard.service_layer.context import new_id


def test_ids_made_in_one_burst_sort_in_the_order_they_were_made() -> None:
    ids = [new_id("msg") for _ in range(20_000)]  # far more than one per millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)


def test_ids_from_several_threads_are_unique_and_each_thread_sees_them_increase() -> None:
    made: list[list[str]] = [[] for _ in range(4)]

    def make(out: list[str]) -> None:
        out.extend(new_id("auth") for _ in range(5_000))

    threads = [threading.Thread(target=make, args=(out,)) for out in made]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(out == sorted(out) for out in made)
    assert len({i for out in made for i in out}) == 20_000
