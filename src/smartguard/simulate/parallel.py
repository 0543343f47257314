"""Runs the configurations, in worker processes when asked (each on its own store in a
temporary directory), with a progress bar (rich) while they run."""

from __future__ import annotations

import gc
import multiprocessing
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from smartguard.simulate import runner
from smartguard.simulate.configurations import Configuration, available
from smartguard.simulate.configured import from_scenario
from smartguard.simulate.model import Plan
from smartguard.simulate.scenario import Scenario
from smartguard.simulate.tally import Tally

Results = list[tuple[Configuration, Tally]]
#: What a forked worker inherits (the plan is made once, before the fork).
_SHARED: dict[str, Any] = {}


def run_one(sc: Scenario, plan: Plan, config: Configuration,
            progress: Callable[[int], None] | None = None) -> Tally:
    with tempfile.TemporaryDirectory(prefix=f"smartguard-sim-{config.name}-") as d:
        return runner.run(sc, plan, config, Path(d), progress)


def run_all(sc: Scenario, plan: Plan, configs: Sequence[Configuration], workers: int,
            show: bool) -> Results:
    """Every configuration's tally, in the order of ``configs`` (whatever the workers).
    The plan, made once, is shared by all of them (a forked worker inherits it), and kept
    out of the garbage collector while they run: a full collection does not walk its
    millions of objects."""
    gc.freeze()
    try:
        if workers <= 1:
            with _Bar(show, plan, configs) as bar:
                return [(c, run_one(sc, plan, c, bar.updater(c.name))) for c in configs]
        return _in_workers(sc, plan, configs, workers, show)
    finally:
        gc.unfreeze()


def _in_workers(sc: Scenario, plan: Plan, configs: Sequence[Configuration], workers: int,
                show: bool) -> Results:
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    _SHARED.update(sc=sc, plan=plan, queue=queue)
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        submitted = {c.name: pool.submit(_worker, c.name) for c in costliest_first(configs)}
        futures = [submitted[c.name] for c in configs]
        with _Bar(show, plan, configs) as bar:
            _follow(futures, queue, bar)
        return [(c, f.result()) for c, f in zip(configs, futures, strict=True)]


def costliest_first(configs: Sequence[Configuration]) -> list[Configuration]:
    """The order the workers take the configurations in: the costliest first (rules on
    every debit, then alerts written for every payment), so that the last ones to run,
    side by side with nothing else left, are short ones. The report keeps the order of
    ``configs`` (whatever the order run)."""
    return sorted(configs, key=lambda c: (c.rules is None, not c.learn, not c.alerts))


def _worker(name: str) -> Tally:
    """One configuration in a worker (named: a configuration holds functions)."""
    sc: Scenario = _SHARED["sc"]
    queue, config = _SHARED["queue"], available(from_scenario(sc.configurations))[name]
    return run_one(_SHARED["sc"], _SHARED["plan"], config,
                   lambda done: queue.put((config.name, done)))


def _follow(futures: list[Future[Tally]], queue: Any, bar: _Bar) -> None:
    while not all(f.done() for f in futures) or not queue.empty():
        while not queue.empty():
            name, done = queue.get()
            bar.update(name, done)
        for f in futures:
            if f.done() and f.exception() is not None:
                raise f.exception()  # type: ignore[misc]
        bar.wait(0.2)


class _Bar:
    """A rich progress bar per configuration (nothing when not shown, or without rich)."""

    def __init__(self, show: bool, plan: Plan, configs: Sequence[Configuration]) -> None:
        self.progress: Any = None
        self.tasks: dict[str, Any] = {}
        self.total = len(plan.events)
        if show:
            self.progress = _rich_progress()
            if self.progress is not None:
                self.tasks = {c.name: self.progress.add_task(c.name, total=self.total)
                              for c in configs}

    def __enter__(self) -> _Bar:
        if self.progress is not None:
            self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.stop()

    def updater(self, name: str) -> Callable[[int], None]:
        return lambda done: self.update(name, done)

    def update(self, name: str, done: int) -> None:
        if self.progress is not None:
            self.progress.update(self.tasks[name], completed=done)

    def wait(self, seconds: float) -> None:
        time.sleep(seconds)


def _rich_progress() -> Any:
    try:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
    except ModuleNotFoundError:
        return None
    return Progress(TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), TimeRemainingColumn())
