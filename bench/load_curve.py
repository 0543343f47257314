"""A load curve for the ISO 8583 gateway: SmartGuard and the protocol-only baseline at
several rates, side by side.

    python bench/load_curve.py [--rates 250,500,1000,2000] [--seconds 10] [--runs 3]
                               [--cards 1000] [--connections 8] [--workers 1]
                               [--plot load-curve.png]

Both servers run at once (durable SQLite for SmartGuard; bench/iso8583_load.py says what
the baseline is). For each run, each rate is played against SmartGuard and then the
baseline (open loop, latency from each request's scheduled time), then a closed loop gives
each one's maximum. Printed: the environment, every phase, and a table of medians per rate:
p50/p99/p99.9, CPU per request of the server's processes, and SmartGuard's figures as a
ratio of the baseline's at the same rate. ``--plot`` writes a PNG of p99 and CPU per request
against the rate (needs matplotlib: ``pip install -e '.[bench]'``).
"""

from __future__ import annotations

import argparse
import gc
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import smartguard.bench.iso8583_load as load
from smartguard.bench.environment import banner
from smartguard.bench.http_load import free_port
from smartguard.bench.iso8583_client import closed_loop, open_loop
from smartguard.bench.population import build

Point = dict[str, float]


async def curve(args: argparse.Namespace, servers: dict[str, tuple[int, int]],
                pans: list[str]) -> dict[str, dict[str, list[Point]]]:
    """points[name][rate label] = one Point per run."""
    points: dict[str, dict[str, list[Point]]] = {n: {} for n in servers}
    for name, (port, _) in servers.items():  # warm up
        await closed_loop(port, pans, 1000, args.connections, 32, 1.0, name, quiet=True)
    for run in range(1, args.runs + 1):
        for rate in [*args.rates, None]:
            label = "max" if rate is None else f"{rate:g}"
            for name, (port, pid) in servers.items():
                before, own = load.cpu_pair(pid), load.client_cpu()
                if rate is None:
                    phase = await closed_loop(port, pans, 2000 + run, args.connections, 32,
                                              args.seconds, f"{name} closed {run}")
                else:
                    phase = await open_loop(port, pans, 3000 + run, args.connections, rate,
                                            args.seconds, f"{name} {label}/s {run}")
                point = load.report(f"{name} {label}/s run {run}", phase,
                                    load.since(pid, before), load.client_cpu() - own)
                points[name].setdefault(label, []).append(point)
    return points


def table(points: dict[str, dict[str, list[Point]]]) -> list[dict[str, Any]]:
    med = statistics.median
    rows = []
    for label in points["smartguard"]:
        row: dict[str, Any] = {"rate": label}
        for name in points:
            runs = points[name][label]
            for key in ("throughput", "p50", "p99", "p99.9", "server_us"):
                row[f"{name} {key}"] = med(p[key] for p in runs)
        if "baseline" in points:
            row["p99 ratio"] = row["smartguard p99"] / max(row["baseline p99"], 1e-9)
            row["CPU ratio"] = row["smartguard server_us"] / max(row["baseline server_us"],
                                                                 1e-9)
        rows.append(row)
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    print("\nMEDIANS (per rate; latency in ms, CPU in us per request)")
    print(f"{'rate':>6} | {'SG /s':>7} {'p50':>7} {'p99':>7} {'p99.9':>7} {'CPU':>6} | "
          f"{'base /s':>7} {'p50':>7} {'p99':>7} {'p99.9':>7} {'CPU':>6} | "
          f"{'p99 x':>6} {'CPU x':>6}")
    for r in rows:
        print(f"{r['rate']:>6} | {r['smartguard throughput']:7,.0f} {r['smartguard p50']:7.2f} "
              f"{r['smartguard p99']:7.2f} {r['smartguard p99.9']:7.2f} "
              f"{r['smartguard server_us']:6.0f} | {r.get('baseline throughput', 0):7,.0f} "
              f"{r.get('baseline p50', 0):7.2f} {r.get('baseline p99', 0):7.2f} "
              f"{r.get('baseline p99.9', 0):7.2f} {r.get('baseline server_us', 0):6.0f} | "
              f"{r.get('p99 ratio', 0):6.2f} {r.get('CPU ratio', 0):6.2f}")


def plot(rows: list[dict[str, Any]], path: Path, title: str) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("no plot: matplotlib is not installed (pip install -e '.[bench]')")
        return
    fig, (lat, cpu) = plt.subplots(1, 2, figsize=(11, 4.2))
    for name, style in (("smartguard", "o-"), ("baseline", "s--")):
        if f"{name} p99" not in rows[0]:
            continue
        xs = [r[f"{name} throughput"] for r in rows]
        lat.plot(xs, [r[f"{name} p99"] for r in rows], style, label=f"{name} p99")
        lat.plot(xs, [r[f"{name} p99.9"] for r in rows], style, alpha=0.4,
                 label=f"{name} p99.9")
        cpu.plot(xs, [r[f"{name} server_us"] for r in rows], style, label=name)
    lat.set(xlabel="answered per second", ylabel="ms", yscale="log",
            title="tail latency (open loop; last point: closed loop)")
    cpu.set(xlabel="answered per second", ylabel="µs CPU per request",
            title="server CPU per request")
    for ax in (lat, cpu):
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"plot written to {path}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rates", default="250,500,1000,2000")
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--workers", type=int, default=1, help="SmartGuard's ISO 8583 fronts")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--plot", type=Path, default=None, help="write a PNG here")
    args = ap.parse_args()
    args.rates = [float(r) for r in args.rates.split(",") if r]
    load.WORKERS = args.workers
    environment = banner()
    print(environment, flush=True)
    import uvloop

    with tempfile.TemporaryDirectory(prefix="sg-curve-") as tmp:
        data = Path(tmp) / "data"
        pans = build(data, args.cards).pans
        gc.collect()
        gc.freeze()
        procs: dict[str, tuple[int, subprocess.Popen[bytes]]] = {}
        try:
            port = free_port()
            procs["smartguard"] = (port, load.start_smartguard(data, port))
            if not args.no_baseline:
                port = free_port()
                procs["baseline"] = (port, load.start_baseline(port))
            servers = {n: (port, proc.pid) for n, (port, proc) in procs.items()}
            points = uvloop.run(curve(args, servers, pans))
        finally:
            for _, proc in procs.values():
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=60)
    rows = table(points)
    print_table(rows)
    if args.plot:
        plot(rows, args.plot, environment.removeprefix("ENVIRONMENT: "))


if __name__ == "__main__":
    main()
