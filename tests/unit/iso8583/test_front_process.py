"""The core starts each front as ``python -m ...front_process``: it must start without the
RuntimeWarning Python gives for running a module its package already imported (every front
start printed one, and the front's module was loaded twice)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from smartguard.entrypoints.iso8583 import workers


def test_the_front_process_starts_without_a_warning() -> None:
    out = subprocess.run(
        [sys.executable, "-W", "error::RuntimeWarning", "-m",
         "smartguard.entrypoints.iso8583.front_process", "--help"],
        capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "--fd" in out.stdout and "Warning" not in out.stderr


def test_the_core_starts_fronts_through_that_module() -> None:
    source = Path(workers.__file__).read_text(encoding="utf-8")
    assert '"smartguard.entrypoints.iso8583.front_process"' in source
