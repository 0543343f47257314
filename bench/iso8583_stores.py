"""SmartGuard on each store, side by side: SQLite one node, PostgreSQL one node, PostgreSQL
two nodes on one database, with the same client and traffic.

    python bench/iso8583_stores.py [--cards 1000] [--seconds 10] [--runs 3]
                                   [--connections 8] [--window 32] [--rate 1000]
                                   [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
                                   [--compare-setting 'commit_overlap = false']
                                   [--sync-standby]

Each setup gets its own population (SQLite in a temporary data dir; PostgreSQL in a fresh
schema of ``--pg-url``, dropped afterwards). The runs alternate between setups (closed loop
SQLite 1, PostgreSQL 1, PostgreSQL 2 nodes, then again), so drift of a shared machine moves
all alike. The client spreads its connections over a cluster's nodes. For each phase:
throughput, p50/p99/p99.9, errors (30/96 answers, unanswered), codes, and CPU time per
authorization of every process: each node (with its ISO 8583 fronts) and the PostgreSQL
backends serving the setup's connections (found by ``application_name``; the server's
shared WAL writer and checkpointer are not counted). The last lines give medians and the
PostgreSQL two-node throughput as a ratio of SQLite one node's (median of the triples).

``--sync-standby`` runs PostgreSQL as production does: a private primary streaming to a
synchronous standby (both on spare ports, started with the machine's ``initdb`` and
``pg_basebackup``, as the failover test does), so every COMMIT waits for the standby too.
``--compare-setting LINE`` adds the two PostgreSQL setups again with ``LINE`` in their
settings file (``postgres-1*``, ``postgres-2*``), alternated with the others in the same
run: the same code with and without a setting, side by side.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import signal
import statistics
import subprocess
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from smartguard.bench.environment import banner
from smartguard.bench.http_load import cpu_seconds, free_port
from smartguard.bench.iso8583_client import Phase, closed_loop, open_loop
from smartguard.bench.iso8583_load import client_cpu, cpu_pair, wait_port
from smartguard.bench.population import build

PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@dataclass
class Setup:
    """One way of running SmartGuard: its nodes (processes), their ports, and the
    ``application_name`` its PostgreSQL connections carry (None on SQLite)."""

    name: str
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)
    ports: list[int] = field(default_factory=list)
    app_name: str | None = None
    pg_url: str = ""  # the server whose backends it counts

    def cpu(self) -> dict[str, float]:
        """CPU seconds so far: each node with its children, and the PostgreSQL backends."""
        got: dict[str, float] = {}
        for i, proc in enumerate(self.procs):
            got[f"node{i + 1}"] = cpu_pair(proc.pid)[1]  # with its fronts
        if self.app_name:
            got["postgres"] = sum(cpu_seconds(pid)
                                  for pid in backends(self.pg_url, self.app_name))
        return got


def backends(pg_url: str, app_name: str) -> list[int]:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE application_name = %s",
                            (app_name,)).fetchall()
    pids = []
    for (pid,) in rows:
        with contextlib.suppress(OSError):
            cpu_seconds(pid)
            pids.append(pid)
    return pids


def start_node(config: Path, workers: int) -> tuple[subprocess.Popen[bytes], int]:
    iso = free_port()
    cmd = [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--config",
           str(config), "--port", str(free_port()), "--iso-port", str(iso),
           "--iso-workers", str(workers), "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    wait_port(iso, proc)
    return proc, iso


def prepare(root: Path, name: str, cards: int, database_url: str, extra: str = ""
            ) -> tuple[Path, list[str]]:
    data = root / name
    pop = build(data, cards, database_url)
    config = root / f"{name}.toml"
    config.write_text(f'data_dir = "{data}"\ndatabase_url = "{database_url}"\n{extra}\n',
                      encoding="utf-8")
    return config, pop.pans


def report(name: str, phase: Phase, cpu: dict[str, float], own: float) -> dict[str, float]:
    s = phase.summary()
    n = max(phase.answered, 1)
    per = {k: v / n * 1e6 for k, v in cpu.items()}
    s["server_us"] = sum(per.values())
    s["postgres_us"] = per.get("postgres", 0.0)
    parts = " + ".join(f"{k} {v:.0f}" for k, v in per.items())
    print(f"{name}: {s['throughput']:,.0f}/s  p50 {s['p50']:.2f} ms  p99 {s['p99']:.2f} ms  "
          f"p99.9 {s['p99.9']:.2f} ms  errors {phase.errors}  CPU {s['server_us']:.0f} "
          f"us/req ({parts})  client {own / n * 1e6:.0f} us/req  "
          f"codes {dict(sorted(phase.codes.items()))}", flush=True)
    return s


def delta(after: dict[str, float], before: dict[str, float]) -> dict[str, float]:
    return {k: v - before.get(k, 0.0) for k, v in after.items()}


async def run_all(args: argparse.Namespace, setups: list[Setup], pans: dict[str, list[str]]
                  ) -> None:
    closed: dict[str, list[dict[str, float]]] = {s.name: [] for s in setups}
    opened: dict[str, list[dict[str, float]]] = {s.name: [] for s in setups}
    for s in setups:  # warm up
        await closed_loop(s.ports, pans[s.name], 1000, args.connections, args.window, 1.0,
                          s.name, quiet=True)
    for loop, into in (("closed", closed), ("open", opened)):
        for i in range(1, args.runs + 1):
            for s in setups:
                c0, o0 = s.cpu(), client_cpu()
                if loop == "closed":
                    phase = await closed_loop(s.ports, pans[s.name], 1000 + i,
                                              args.connections, args.window, args.seconds,
                                              f"{s.name} closed {i}")
                    label = f"{s.name} closed loop run {i}"
                else:
                    phase = await open_loop(s.ports, pans[s.name], 1100 + i,
                                            args.connections, args.rate, args.seconds,
                                            f"{s.name} open {i}")
                    label = f"{s.name} open loop run {i} at {args.rate:.0f}/s"
                into[s.name].append(report(label, phase, delta(s.cpu(), c0),
                                           client_cpu() - o0))
    summarize(args, setups, closed, opened)


def summarize(args: argparse.Namespace, setups: list[Setup],
              closed: dict[str, list[dict[str, float]]],
              opened: dict[str, list[dict[str, float]]]) -> None:
    med = statistics.median
    for s in setups:
        c, o = closed[s.name], opened[s.name]
        print(f"MEDIANS {s.name}: closed loop {med(x['throughput'] for x in c):,.0f}/s, "
              f"{med(x['server_us'] for x in c):.0f} us CPU/req (PostgreSQL "
              f"{med(x['postgres_us'] for x in c):.0f}); at {args.rate:.0f}/s p50 "
              f"{med(x['p50'] for x in o):.2f} ms p99 {med(x['p99'] for x in o):.2f} ms "
              f"p99.9 {med(x['p99.9'] for x in o):.2f} ms, "
              f"{med(x['server_us'] for x in o):.0f} us CPU/req (PostgreSQL "
              f"{med(x['postgres_us'] for x in o):.0f}), errors "
              f"{sum(int(x['errors']) for x in c + o)}")
    first = setups[0].name
    for last in (s.name for s in setups[1:] if s.name.startswith(f"postgres-{args.nodes}")):
        ratios = [b["throughput"] / a["throughput"]
                  for a, b in zip(closed[first], closed[last], strict=True)]
        print(f"RATIO: {last} / {first} closed-loop throughput = {med(ratios):.3f} (runs "
              f"{' · '.join(f'{r:.3f}' for r in ratios)})")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--window", type=int, default=32)
    ap.add_argument("--rate", type=float, default=1000.0)
    ap.add_argument("--workers", type=int, default=1, help="ISO 8583 fronts per node")
    ap.add_argument("--nodes", type=int, default=2, help="nodes of the PostgreSQL cluster")
    ap.add_argument("--pg-url", default=PG_URL)
    ap.add_argument("--sync-standby", action="store_true",
                    help="PostgreSQL on a private primary streaming to a synchronous "
                    "standby (started with the machine's initdb and pg_basebackup, as "
                    "the failover test does): every COMMIT waits for both, as in "
                    "production; replaces --pg-url")
    ap.add_argument("--compare-setting", default="", metavar="LINE",
                    help="the PostgreSQL setups again with this TOML line in their "
                    "settings, e.g. 'commit_overlap = false'")
    args = ap.parse_args()
    print(banner(), flush=True)
    if args.sync_standby:
        from tests.cluster import PgPair  # from a checkout: the failover test's pair

        pair = PgPair().start()
        args.pg_url = f"postgresql://postgres@127.0.0.1:{pair.ports['primary']}/postgres"
        try:
            run_stores(args)
        finally:
            pair.stop()
        return
    run_stores(args)


def run_stores(args: argparse.Namespace) -> None:
    import psycopg

    tag = uuid.uuid4().hex[:8]
    variants = ["", "*"] if args.compare_setting else [""]
    pg = [(n, v) for n in (1, args.nodes) for v in variants]
    schemas = [f"sgbench_{tag}_{n}{'c' if v else ''}" for n, v in pg]
    with psycopg.connect(args.pg_url, autocommit=True) as conn:
        for schema in schemas:
            conn.execute(f"CREATE SCHEMA {schema}")
    plan = [("sqlite-1", 1, ""), *(
        (f"postgres-{n}{v}", n, f"{args.pg_url}?options=-csearch_path%3D{schema}"
                                f"&application_name={schema}")
        for (n, v), schema in zip(pg, schemas, strict=True))]
    try:
        with tempfile.TemporaryDirectory(prefix="sg-stores-bench-") as tmp:
            run_setups(args, plan, Path(tmp))
    finally:
        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            for schema in schemas:
                conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def run_setups(args: argparse.Namespace, plan: list[tuple[str, int, str]], tmp: Path) -> None:
    import uvloop

    setups: list[Setup] = []
    pans = {}
    try:
        for name, nodes, url in plan:
            extra = args.compare_setting if name.endswith("*") else ""
            config, pans[name] = prepare(tmp, name.replace("*", "c"), args.cards, url, extra)
            setup = Setup(name, app_name=url and url.rsplit("application_name=", 1)[1],
                          pg_url=args.pg_url)
            for _ in range(nodes):
                proc, port = start_node(config, args.workers)
                setup.procs.append(proc)
                setup.ports.append(port)
            setups.append(setup)
        gc.collect()
        gc.freeze()
        uvloop.run(run_all(args, setups, pans))
    finally:
        for setup in setups:
            for proc in setup.procs:
                proc.send_signal(signal.SIGINT)
                proc.wait(timeout=60)

if __name__ == "__main__":
    main()
