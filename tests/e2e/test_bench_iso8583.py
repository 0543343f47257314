"""The ISO 8583 load generator runs end to end (a short run: the figures themselves are
measured by hand, see docs/performance.md): SmartGuard with a front process and the
protocol-only baseline, alternating, no errors, and the ratio line at the end."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_load_generator_reports_both_servers_and_their_ratio() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "iso8583_load.py"), "--cards", "30",
         "--seconds", "0.6", "--runs", "2", "--rate", "200", "--workers", "1"],
        capture_output=True, text=True, timeout=300, check=True).stdout
    runs = re.findall(r"^(smartguard|baseline) (closed|open) loop run (\d)", out, re.M)
    assert runs == [("smartguard", "closed", "1"), ("baseline", "closed", "1"),
                    ("smartguard", "closed", "2"), ("baseline", "closed", "2"),
                    ("smartguard", "open", "1"), ("baseline", "open", "1"),
                    ("smartguard", "open", "2"), ("baseline", "open", "2")]
    assert len(re.findall(r"errors 0 ", out)) == 8
    ratio = re.search(r"^RATIO: .* = (\d\.\d+) \(median of the pairs", out, re.M)
    assert ratio is not None and 0 < float(ratio.group(1)) < 2


def test_compare_rules_serves_a_second_store_with_the_rules_live() -> None:
    """``--compare-rules``: the compared server's copy of the data has the starter pack
    active (its rules decline part of the mix with 59), the first has no rules."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "iso8583_load.py"), "--cards", "30",
         "--seconds", "0.6", "--runs", "1", "--rate", "200", "--workers", "0",
         "--no-baseline", "--compare-rules", "starter"],
        capture_output=True, text=True, timeout=300, check=True).stdout
    assert "compared: 6 monitoring rules active" in out
    codes = dict(re.findall(r"^(smartguard|compared) closed loop run 1 .*codes (\{.*\})$",
                            out, re.M))
    assert "'59'" in codes["compared"] and "'59'" not in codes["smartguard"]
    assert re.search(r"^CPU: this code / compared code, server CPU per request, closed",
                     out, re.M)
