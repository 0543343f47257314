"""``smartguard bench iso8583|http|engine``: the benchmarks of smartguard.bench, with a rich
progress bar per phase. Each takes the options of its script in ``bench/`` (``smartguard
bench iso8583 --help`` lists them); the results are the same lines the scripts print."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from smartguard.bench import progress

if TYPE_CHECKING:  # rich comes with the "bench" extra: imported when a benchmark runs
    from rich.progress import Progress, TaskID

PASS_THROUGH = {"ignore_unknown_options": True, "allow_extra_args": True,
                "help_option_names": []}


class Bars:
    """A :data:`progress.Report` drawing one bar per phase label (its seconds done of its
    planned seconds, and the phase's own detail beside it)."""

    def __init__(self, bars: Progress) -> None:
        self.bars = bars
        self.tasks: dict[str, TaskID] = {}
        self.last: str | None = None

    def __call__(self, label: str, done: float, planned: float, detail: str) -> None:
        if label != self.last and self.last is not None:
            self.finish(self.last)
        self.last = label
        task = self.tasks.get(label)
        if task is None:
            task = self.tasks[label] = self.bars.add_task(label, total=planned, detail="")
        self.bars.update(task, completed=min(done, planned), detail=detail)

    def finish(self, label: str) -> None:
        task = self.tasks[label]
        total = self.bars.tasks[task].total or 0.0
        self.bars.update(task, completed=total)


@contextmanager
def bars() -> Iterator[Bars]:
    """Progress bars for as long as the block runs (what it prints goes above them)."""
    try:
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    except ImportError:
        raise click.ClickException("the benchmarks' progress bars need rich: "
                                   "pip install 'smartguard[bench]'") from None
    shown = Progress(TextColumn("{task.description:<28}"), BarColumn(), TimeElapsedColumn(),
                     TextColumn("{task.fields[detail]}"), transient=False)
    hook = Bars(shown)
    progress.install(hook)
    try:
        with shown:
            yield hook
            if hook.last is not None:
                hook.finish(hook.last)
    finally:
        progress.install(None)


def _run(main: Callable[[list[str] | None], None], args: tuple[str, ...]) -> None:
    with bars():
        try:
            main(list(args))
        except SystemExit as exc:  # argparse's --help and usage errors
            if exc.code not in (0, None):
                code = exc.code if isinstance(exc.code, int) else 2
                raise click.exceptions.Exit(code) from None


@click.group("bench")
def bench_group() -> None:
    """Benchmarks (docs/performance.md): the ISO 8583 gateway against a protocol-only
    baseline, the HTTP authorize endpoint, the decision engine alone."""


@bench_group.command("iso8583", context_settings=PASS_THROUGH)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def iso8583(args: tuple[str, ...]) -> None:
    """ISO 8583 load: SmartGuard and the protocol-only baseline, alternated (--cards,
    --seconds, --runs, --connections, --window, --rate, --workers, --no-baseline...)."""
    from smartguard.bench import iso8583_load

    _run(iso8583_load.main, args)


@bench_group.command("http", context_settings=PASS_THROUGH)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def http(args: tuple[str, ...]) -> None:
    """HTTP authorize load, closed and open loop (--cards, --seconds, --runs,
    --connections, --rate)."""
    from smartguard.bench import http_load

    _run(http_load.main, args)


@bench_group.command("engine", context_settings=PASS_THROUGH)
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def engine(args: tuple[str, ...]) -> None:
    """The decision engine alone, in-process, on one core (--seconds, --runs,
    --every-control)."""
    from smartguard.bench import engine_bench

    _run(engine_bench.main, args)
