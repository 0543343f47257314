"""Where the time goes at a fixed rate: a py-spy sampling profile of every SmartGuard
process (the core and its ISO 8583 fronts) during one open-loop phase.

    python bench/profile_at_rate.py [--rate 1000] [--seconds 8] [--workers 1]
                                    [--top 30] [--out DIR]

py-spy (PyPI ``py-spy``, a bench extra) samples each process's threads ``--hz`` times a
second; idle threads (waiting in ``epoll``, on a lock or a queue) are left out, so what is
counted is time spent running Python or inside a call such as SQLite's COMMIT, whose
``fsync`` waits for the disk. Each process's samples are summed per function (inclusive:
the function and what it calls; self: the function's own lines) and printed as shares of
that process's samples and as microseconds per answered request (samples / hz / answered).
The raw stacks are kept in ``--out`` for a flame graph (``flamegraph.pl`` or speedscope).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
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


def sampled(pid: int, out: Path, hz: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(["py-spy", "record", "--pid", str(pid), "--threads", "-r",
                             str(hz), "-f", "raw", "-o", str(out), "--nonblocking"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def frame_name(frame: str) -> str:
    """``fn (path/file.py:12)`` -> ``fn file.py``; a thread's label stays as it is."""
    name, _, where = frame.partition(" (")
    return f"{name} {where.split(':')[0].rsplit('/', 1)[-1]}" if where else name


def summarize(path: Path) -> tuple[int, collections.Counter[str], collections.Counter[str]]:
    """Samples in all, and samples per function, inclusive and self."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        frames = [frame_name(f) for f in stack.split(";")]
        total += n
        for name in set(frames):
            inclusive[name] += n
        own[frames[-1]] += n
    return total, inclusive, own


def show(name: str, path: Path, answered: int, hz: int, top: int) -> None:
    total, inclusive, own = summarize(path)
    per = 1e6 / hz / max(answered, 1)
    print(f"\n{name}: {total} samples, {total * per:.0f} us of running time per request")
    for title, counter in (("inclusive", inclusive), ("self", own)):
        print(f"  -- {title}")
        for fn, n in counter.most_common(top):
            print(f"  {100 * n / max(total, 1):5.1f} %  {n * per:7.1f} us/req  {fn}")


async def phase(port: int, pans: list[str], args: argparse.Namespace, name: str) -> int:
    p = await open_loop(port, pans, 77, args.connections, args.rate, args.seconds, name)
    return p.answered


def run(proc: subprocess.Popen[bytes], port: int, pans: list[str],
        args: argparse.Namespace, out: Path) -> None:
    import uvloop

    pids = {"core": proc.pid, **{f"front{i}": c for i, c in
                                 enumerate(load.children(proc.pid))}}
    uvloop.run(phase(port, pans, args, "warm-up"))
    samplers = {k: (sampled(pid, out / f"{k}.txt", args.hz), out / f"{k}.txt")
                for k, pid in pids.items()}
    asyncio.run(asyncio.sleep(1.0))  # let py-spy attach
    answered = uvloop.run(phase(port, pans, args, "profiled"))
    for sampler, _ in samplers.values():
        sampler.send_signal(signal.SIGINT)
        sampler.wait(60)
    for k, (_, path) in samplers.items():
        if path.exists():
            show(k, path, answered, args.hz, args.top)
    print(f"\nraw stacks in {out}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--seconds", type=float, default=8.0)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--hz", type=int, default=250)
    ap.add_argument("--top", type=int, default=30)
    ap.add_argument("--out", type=Path, default=None, help="keep the raw stacks here")
    args = ap.parse_args()
    print(banner(), flush=True)
    load.WORKERS = args.workers
    with tempfile.TemporaryDirectory(prefix="sg-profile-") as tmp:
        data = Path(tmp) / "data"
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        pans = build(data, args.cards).pans
        gc.collect()
        gc.freeze()
        port = free_port()
        proc = load.start_smartguard(data, port)
        try:
            run(proc, port, pans, args, out)
        finally:
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)


if __name__ == "__main__":
    main()
