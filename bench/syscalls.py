"""System calls per request at a fixed rate, SmartGuard's processes beside the baseline's.

    python bench/syscalls.py [--rate 1000] [--seconds 8] [--workers 1] [--cards 1000]

Counts what no noisy neighbour changes much: ``strace -c -f`` is attached to every server
process (SmartGuard's core and its ISO 8583 fronts; the baseline responder) for one open-loop
phase at ``--rate``, and the counts are divided by the requests answered. strace slows the
traced process, which can grow batches: compare the two servers in the same run, and read
the counts, not the latency.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import smartguard.bench.iso8583_load as load
from smartguard.bench.environment import banner
from smartguard.bench.http_load import free_port
from smartguard.bench.iso8583_client import open_loop
from smartguard.bench.population import build


def traced(pid: int, out: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["strace", "-c", "-f", "-q", "-o", str(out), "-p", str(pid)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def counts(path: Path) -> dict[str, int]:
    """strace -c's table: syscall name -> calls."""
    found: dict[str, int] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] != "total":
            found[parts[-1]] = int(parts[3])
    return found


async def phase(port: int, pans: list[str], args: argparse.Namespace, name: str) -> int:
    p = await open_loop(port, pans, 77, args.connections, args.rate, args.seconds, name)
    return p.answered


def run_one(name: str, proc: subprocess.Popen[bytes], port: int, pans: list[str],
            args: argparse.Namespace, tmp: Path) -> None:
    import uvloop

    pids = {"main": proc.pid, **{f"child{i}": c for i, c in
                                 enumerate(load.children(proc.pid))}}
    uvloop.run(phase(port, pans, args, f"{name} warm-up"))
    tracers = {k: (traced(pid, tmp / f"{name}-{k}.txt"), tmp / f"{name}-{k}.txt")
               for k, pid in pids.items()}
    asyncio.run(asyncio.sleep(1.0))  # let strace attach
    answered = uvloop.run(phase(port, pans, args, name))
    for tracer, _ in tracers.values():
        tracer.send_signal(signal.SIGINT)
        tracer.wait(30)
    for k, (_, path) in tracers.items():
        c = counts(path)
        total = sum(c.values())
        top = sorted(c.items(), key=lambda kv: -kv[1])[:14]
        print(f"{name} {k}: {total / max(answered, 1):.1f} syscalls per request ("
              + ", ".join(f"{s} {n / max(answered, 1):.2f}" for s, n in top) + ")")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=8)
    args = ap.parse_args()
    print(banner(), flush=True)
    load.WORKERS = args.workers
    with tempfile.TemporaryDirectory(prefix="sg-syscalls-") as tmp:
        data = Path(tmp) / "data"
        pans = build(data, args.cards).pans
        gc.collect()
        gc.freeze()
        for name, start in (("smartguard", lambda p: load.start_smartguard(data, p)),
                            ("baseline", load.start_baseline)):
            port = free_port()
            proc = start(port)
            try:
                run_one(name, proc, port, pans, args, Path(tmp))
            finally:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=60)


if __name__ == "__main__":
    main()
