"""Load generator for the ISO 8583 gateway, with a protocol-only baseline.

    python bench/iso8583_load.py [--cards 1000] [--seconds 10] [--runs 3]
                                 [--connections 8] [--window 32] [--rate 1000]
                                 [--compare SRC] [--compare-env NAME=VALUE]
                                 [--compare-rules starter|50]

Builds the benchmark population on a temporary data dir, starts ``smartguard serve`` on it
(durable SQLite: WAL, synchronous=FULL) and, for the baseline, a **protocol-only
responder**: the same TCP server, framing, pyiso8583 decoding, field mapping and answer
encoding, but nothing decided and nothing stored (every authorization is "approved").
Against each it runs, with the same client:

- closed loop: ``--connections`` connections, each keeping ``--window`` requests in
  flight, as fast as answers come back -> maximum throughput;
- open loop at ``--rate`` requests per second spread over the connections -> latency
  percentiles, measured from each request's *scheduled* send time (no coordinated
  omission).

The traffic is a realistic mix over the population (bench/iso8583_traffic.py): approvals,
lock and limit declines, verification, inquiries, refunds, duplicates and reversals.
Progress is printed every second; each phase reports throughput, p50/p95/p99/p99.9
latency, errors (answers 30/96, unanswered requests), response codes, and the server's and
client's CPU time per request. Both servers run side by side and their runs alternate, so
drift of the shared machine moves both alike. The last lines give medians and
SmartGuard's closed-loop throughput as a ratio of the baseline's (median of the pairs).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from smartguard.bench.environment import banner
from smartguard.bench.http_load import cpu_seconds, free_port
from smartguard.bench.iso8583_client import Phase, closed_loop, open_loop
from smartguard.bench.population import build
from smartguard.bench.rule_load import install_live


def wait_port(port: int, proc: subprocess.Popen[bytes]) -> None:
    import socket

    deadline = time.time() + 30
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


WORKERS = 0  # set from --workers


def start_smartguard(data: Path, iso_port: int, src: Path | None = None,
                     extra_env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """``smartguard serve`` on ``data``; from the sources in ``src`` when given (another
    version of the code, to compare with this one in the same run), with ``extra_env``
    (settings as ``SMARTGUARD_<NAME>`` variables, to compare two configurations)."""
    http_port = free_port()
    cmd = [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--data-dir",
           str(data), "--port", str(http_port), "--iso-port", str(iso_port),
           "--iso-workers", str(WORKERS), "--log-level", "warning"]
    env = None if src is None else {**os.environ, "PYTHONPATH": str(src)}
    if extra_env:
        env = {**(env or os.environ), **extra_env}
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, env=env)
    wait_port(iso_port, proc)
    # the HTTP port too: until it is bound, the next server's free_port() may pick it
    wait_port(http_port, proc)
    return proc


BASELINE_PROCESSES = 1  # set from --baseline-processes


def start_baseline(port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "smartguard.bench.iso8583_baseline", "--port", str(port),
           "--processes", str(BASELINE_PROCESSES)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    wait_port(port, proc)
    return proc


def client_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(c) for c in text.split()]


def cpu_pair(pid: int) -> tuple[float, float]:
    """CPU seconds of the server's main process, and of it with its child processes (the
    ISO 8583 fronts, or the baseline's responders)."""
    main = cpu_seconds(pid)
    total = main
    for child in children(pid):
        with contextlib.suppress(OSError):  # a front restarting
            total += cpu_seconds(child)
    return main, total


def report(name: str, phase: Phase, server_cpu: tuple[float, float], own_cpu: float
           ) -> dict[str, float]:
    s = phase.summary()
    n = max(phase.answered, 1)
    s["main_us"], s["server_us"] = server_cpu[0] / n * 1e6, server_cpu[1] / n * 1e6
    s["client_us"] = own_cpu / n * 1e6
    codes = dict(sorted(phase.codes.items()))
    print(f"{name}: {s['throughput']:,.0f}/s  p50 {s['p50']:.2f} ms  p95 {s['p95']:.2f} ms  "
          f"p99 {s['p99']:.2f} ms  p99.9 {s['p99.9']:.2f} ms  errors {phase.errors}  "
          f"server CPU {s['server_us']:.0f} us/req (main process {s['main_us']:.0f})  "
          f"client CPU {s['client_us']:.0f} us/req  "
          f"codes {codes}", flush=True)
    return s


async def closed_run(name: str, port: int, pid: int, pans: list[str],
                     args: argparse.Namespace, seed: int, i: int) -> dict[str, float]:
    c0, o0 = cpu_pair(pid), client_cpu()
    phase = await closed_loop(port, pans, seed, args.connections, args.window, args.seconds,
                              f"{name} closed {i}")
    return report(f"{name} closed loop run {i} ({args.connections} conns x {args.window})",
                  phase, since(pid, c0), client_cpu() - o0)


async def open_run(name: str, port: int, pid: int, pans: list[str], args: argparse.Namespace,
                   seed: int, i: int) -> dict[str, float]:
    c0, o0 = cpu_pair(pid), client_cpu()
    phase = await open_loop(port, pans, seed, args.connections, args.rate, args.seconds,
                            f"{name} open {i}")
    return report(f"{name} open loop run {i} at {args.rate:.0f}/s", phase, since(pid, c0),
                  client_cpu() - o0)


def since(pid: int, before: tuple[float, float]) -> tuple[float, float]:
    now = cpu_pair(pid)
    return now[0] - before[0], now[1] - before[1]


async def main_async(args: argparse.Namespace, data: Path, pans: list[str]) -> None:
    """Both servers run side by side and their runs alternate (SmartGuard run 1, baseline
    run 1, SmartGuard run 2, ...), so a machine that drifts faster or slower during the
    benchmark moves both alike; the ratio is taken per pair of runs."""
    med = statistics.median
    servers: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
    try:
        port = free_port()
        servers["smartguard"] = (port, start_smartguard(data, port))
        if args.compare is not None or args.compare_env or args.compare_rules:
            other = data.parent / "compared"  # on a copy of the same data
            shutil.copytree(data, other)
            if args.compare_rules:
                live = await asyncio.to_thread(install_live, other, args.compare_rules)
                print(f"compared: {live} monitoring rules active", flush=True)
            port = free_port()
            env = dict(kv.split("=", 1) for kv in args.compare_env)
            servers["compared"] = (port, start_smartguard(other, port, args.compare, env))
        if not args.no_baseline:
            port = free_port()
            servers["baseline"] = (port, start_baseline(port))
        for name, (port, _) in servers.items():  # warm up
            await closed_loop(port, pans, 1000, args.connections, args.window, 1.0, name,
                              quiet=True)
        closed: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
        opened: dict[str, list[dict[str, float]]] = {name: [] for name in servers}
        for i in range(1, args.runs + 1):
            for name, (port, proc) in servers.items():
                closed[name].append(await closed_run(name, port, proc.pid, pans, args,
                                                     1000 + i, i))
        for i in range(1, args.runs + 1):
            for name, (port, proc) in servers.items():
                opened[name].append(await open_run(name, port, proc.pid, pans, args,
                                                   1100 + i, i))
    finally:
        for _, proc in servers.values():
            proc.send_signal(signal.SIGINT)
            proc.wait(timeout=60)
    lines = []
    for name in servers:
        lines.append(
            f"{name}: closed loop {med(x['throughput'] for x in closed[name]):,.0f}/s "
            f"({med(x['server_us'] for x in closed[name]):.0f} us server CPU/req, main process "
            f"{med(x['main_us'] for x in closed[name]):.0f}), open loop "
            f"at {args.rate:.0f}/s p99 {med(x['p99'] for x in opened[name]):.2f} ms "
            f"p50 {med(x['p50'] for x in opened[name]):.2f} ms")
    print("MEDIANS: " + "; ".join(lines))
    if "compared" in servers:
        pairs = [sg["server_us"] / other["server_us"]
                 for sg, other in zip(closed["smartguard"], closed["compared"], strict=True)]
        print(f"CPU: this code / compared code, server CPU per request, closed loop = "
              f"{med(pairs):.3f} (median of the pairs {' · '.join(f'{r:.3f}' for r in pairs)})")
        pairs = [sg["server_us"] / other["server_us"]
                 for sg, other in zip(opened["smartguard"], opened["compared"], strict=True)]
        print(f"CPU: this code / compared code, server CPU per request, open loop at "
              f"{args.rate:.0f}/s = {med(pairs):.3f} (median of the pairs "
              f"{' · '.join(f'{r:.3f}' for r in pairs)})")
    if "baseline" in servers:
        pairs = [sg["throughput"] / base["throughput"]
                 for sg, base in zip(closed["smartguard"], closed["baseline"], strict=True)]
        sg_med = med(x["throughput"] for x in closed["smartguard"])
        base_med = med(x["throughput"] for x in closed["baseline"])
        print(f"RATIO: SmartGuard / protocol-only baseline = {med(pairs):.3f} (median of the "
              f"pairs {' · '.join(f'{r:.3f}' for r in pairs)}; medians {sg_med:,.0f} / "
              f"{base_med:,.0f} per second)")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--window", type=int, default=32, help="requests in flight per "
                    "connection in the closed loop")
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--compare", type=Path, default=None, metavar="SRC",
                    help="also serve the code in SRC (a src/ directory of another "
                    "version), alternated with this one (runs SmartGuard, compared, ...)")
    ap.add_argument("--compare-env", action="append", default=[], metavar="NAME=VALUE",
                    help="serve a second SmartGuard (this code, or --compare's) with this "
                    "environment variable, e.g. SMARTGUARD_COMMIT_MAX_WAIT_MS=1")
    ap.add_argument("--compare-rules", choices=["starter", "50"], default=None,
                    help="serve a second SmartGuard whose store has these monitoring rules "
                    "active (the starter pack, or it and 44 more): what the rules cost")
    ap.add_argument("--workers", type=int, default=1,
                    help="ISO 8583 front processes for SmartGuard (iso_workers)")
    ap.add_argument("--baseline-processes", type=int, default=1,
                    help="responder processes for the baseline (the ratio's definition: 1)")
    args = ap.parse_args(argv)
    print(banner(), flush=True)
    global WORKERS, BASELINE_PROCESSES
    WORKERS, BASELINE_PROCESSES = args.workers, args.baseline_processes
    import uvloop

    with tempfile.TemporaryDirectory(prefix="sg-iso-bench-") as tmp:
        data = Path(tmp) / "data"
        pop = build(data, args.cards)
        gc.collect()  # the client's own full collections must not stall its measurements
        gc.freeze()
        uvloop.run(main_async(args, data, pop.pans))


if __name__ == "__main__":
    main()
