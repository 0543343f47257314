"""``smartguard bench iso8583|http|engine``: each runs its benchmark from the installed
package, draws a progress bar per phase and prints the benchmark's results (short runs:
the figures themselves are measured by hand, docs/performance.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from smartguard.bench import progress
from smartguard.entrypoints.cli import main

SRC = Path(__file__).resolve().parents[2] / "src"


def bench(*args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(SRC), "COLUMNS": "160"}
    return subprocess.run(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "bench", *args],
        capture_output=True, text=True, timeout=300, check=True, env=env,
        cwd=SRC.parent.parent).stdout


def test_bench_engine_draws_a_bar_per_run_and_prints_the_median() -> None:
    out = CliRunner().invoke(main, ["bench", "engine", "--seconds", "1.2", "--runs", "2"])
    assert out.exit_code == 0, out.output
    assert re.search(r"^median: [\d,]+ decisions/s on one core", out.output, re.M)
    assert re.search(r"engine run 1 .*━.* [\d,]+ decisions", out.output)
    assert re.search(r"engine run 2 .*━", out.output)
    assert progress._current is progress._line  # the bars are gone with the command


def test_bench_http_runs_both_loops_with_their_bars() -> None:
    out = bench("http", "--cards", "20", "--seconds", "1.2", "--runs", "1", "--rate", "50",
                "--connections", "4")
    assert re.search(r"^closed loop run 1 \(4 conns\): [\d,]+ auth/s .* errors 0 ", out, re.M)
    assert re.search(r"^open loop run 1 at 50/s: .* errors 0 ", out, re.M)
    assert "MEDIANS: closed loop" in out
    assert re.search(r"closed loop 1 .*━.* answered [\d,]+", out)


def test_bench_iso8583_runs_smartguard_from_the_package() -> None:
    out = bench("iso8583", "--cards", "20", "--seconds", "1.2", "--runs", "1", "--rate",
                "100", "--no-baseline")
    assert re.search(r"^smartguard closed loop run 1 .* errors 0 ", out, re.M)
    assert re.search(r"^smartguard open loop run 1 at 100/s: .* errors 0 ", out, re.M)
    assert "MEDIANS: smartguard: closed loop" in out
    assert re.search(r"smartguard closed 1 .*━.* answered [\d,]+", out)


def test_bench_passes_its_script_help_through() -> None:
    out = CliRunner().invoke(main, ["bench", "iso8583", "--help"])
    assert out.exit_code == 0
    assert "--connections" in out.output and "--window" in out.output
