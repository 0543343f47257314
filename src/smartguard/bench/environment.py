"""What a benchmark ran on, printed at its start, so that two series can be compared
honestly: CPU model and count, load average just before the run, Python, the commit."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def commit() -> str:
    try:
        out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=5, cwd=Path(__file__).parent, check=False)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True, timeout=5,
                               cwd=Path(__file__).parent, check=False)
        return out.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def describe() -> dict[str, str]:
    load = os.getloadavg()
    return {
        "cpu": f"{os.cpu_count()} x {cpu_model()}",
        "load average before": " ".join(f"{x:.2f}" for x in load),
        "python": platform.python_version(),
        "commit": commit(),
    }


def banner() -> str:
    return "ENVIRONMENT: " + "; ".join(f"{k} {v}" for k, v in describe().items())
