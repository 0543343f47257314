"""How a benchmark tells how far it is: each phase reports, about once a second, its label,
the seconds done of its planned seconds, and a line of detail. By default a line on
stderr (the scripts in ``bench/``); ``smartguard bench`` puts rich progress bars here."""

from __future__ import annotations

import sys
from collections.abc import Callable

#: label, seconds done, seconds planned, detail
Report = Callable[[str, float, float, str], None]


def _line(label: str, done: float, planned: float, detail: str) -> None:
    print(f"  [{label} {done:4.1f}/{planned:.0f} s] {detail}", file=sys.stderr, flush=True)


_current: Report = _line


def report(label: str, done: float, planned: float, detail: str) -> None:
    _current(label, done, planned, detail)


def install(hook: Report | None) -> None:
    """Report through ``hook`` from now on (None: the stderr lines again)."""
    global _current
    _current = hook or _line
