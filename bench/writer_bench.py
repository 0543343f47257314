"""The writer alone: authorize jobs submitted straight to the group-commit writer, with no
network and no codec, on durable SQLite.

    python bench/writer_bench.py [--cards 1000] [--requests 20000] [--window 256]
                                 [--pg-url postgresql://postgres@127.0.0.1:5432/postgres]
                                 [--rules none|starter|50] [--shadow]

Requests are the ISO 8583 load generator's mix, mapped to domain requests beforehand. Prints
authorizations per second and the process's CPU time per authorization: the bound the
writer puts on any entry point (docs/performance.md). With ``--pg-url`` the store is
PostgreSQL (a fresh schema, dropped afterwards): it also prints the CPU of the backend
serving the writer, and the SQL statements and round trips per authorization, counted
(not timed: the same figures on a busy machine). ``--window 1`` submits one job at a time
(batches of one: the cost of a quiet moment).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bench.iso8583_traffic import iso_fields
from smartguard.bench.population import build, mixed_request
from smartguard.bench.rule_load import install_live
from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.rules import RuleStatus
from smartguard.service_layer import authorize as az
from smartguard.service_layer.thread_writer import ThreadWriter


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--requests", type=int, default=20_000)
    ap.add_argument("--window", type=int, default=256, help="jobs kept in flight")
    ap.add_argument("--pg-url", default="", help="PostgreSQL instead of SQLite")
    ap.add_argument("--rules", choices=["none", "starter", "50"], default="none",
                    help="monitoring rules active in the store: none, the starter pack, or "
                    "it and 44 more (smartguard/bench/rule_load.py)")
    ap.add_argument("--shadow", action="store_true",
                    help="the rules in shadow: evaluated and their hits recorded, nothing "
                    "enforced (the same decisions as without rules)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sg-writer-") as tmp, \
            pg_schema(args.pg_url) as url:
        data = Path(tmp) / "data"
        pans = build(data, args.cards, url).pans
        if args.rules != "none":
            install_live(data, args.rules, url,
                         RuleStatus.SHADOW if args.shadow else RuleStatus.ACTIVE)
        sg = bootstrap(load(None, data_dir=data, database_url=url))
        writer = sg.writer
        counts = count_statements(sg) if url else None
        assert isinstance(writer, ThreadWriter)  # no loop given: the thread scheduler
        rng = random.Random(1)
        jobs = []
        for n in range(args.requests):
            fields = iso_fields(mixed_request(rng, pans), "10000001")
            fields["7"], fields["11"] = f"{n // 1_000_000 + 1:010d}", f"{n % 1_000_000:06d}"
            ref, req, given = m.to_authorization(fields, sg.ctx.hash_pan)
            jobs.append((lambda uow, ref=ref, req=req, given=given: az.authorize(
                uow, sg.ctx, ref, req, billing_given=given), lock_of(ref, req)))
        backend = backend_cpu(sg) if url else None
        b0 = backend() if backend else 0.0
        if counts is not None:
            counts.update(statements=0, round_trips=0)
        c0, t0 = cpu(), time.perf_counter()
        window: list[Future[Any]] = []
        for job, lock in jobs:  # keep a window in flight, as many connections would
            window.append(writer.submit(job, lock))  # the card's row, as the gateway names it
            if len(window) >= args.window:
                window.pop(0).result()
        for f in window:
            f.result()
        elapsed, used = time.perf_counter() - t0, cpu() - c0
        stats = writer.stats
        n = len(jobs)
        line = (f"{n / elapsed:,.0f} authorizations/s  {used / n * 1e6:.0f} us "
                f"CPU/authorization  {stats.batches} batches (largest {stats.largest})")
        if backend is not None and counts is not None:
            line += (f"  backend {(backend() - b0) / n * 1e6:.0f} us/authorization  "
                     f"statements {counts['statements'] / n:.2f}/authorization  "
                     f"round trips {counts['round_trips'] / n:.2f}/authorization")
        print(line)
        sg.close()


def lock_of(ref: az.CardRef, req: Any) -> Any:
    """The row lock the gateway names (with the decision key, where the code has it)."""
    lock_for = getattr(ref, "lock_for", None)  # (older code: the card's row alone)
    return lock_for(req) if lock_for is not None else ref.lock


@contextlib.contextmanager
def pg_schema(url: str) -> Iterator[str]:
    """A fresh schema of ``url`` for one run (dropped afterwards); "" passes through."""
    if not url:
        yield ""
        return
    import psycopg

    schema = f"sgwriter_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    try:
        yield f"{url}?options=-csearch_path%3D{schema}&application_name={schema}"
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


def writer_db(sg: Any) -> Any:
    """The writer's (first) connection (older code kept it as ``_writer``)."""
    old = getattr(sg.store, "_writer", None)
    return old if old is not None else sg.store.writer().db


def count_statements(sg: Any) -> dict[str, int]:
    """Count what the writer's connection sends: statements (each row of an
    ``executemany`` or of the deferred writes counts as one) and round trips (a statement
    answered before the next is sent is one; the deferred writes travel with the next
    answered statement, adapters/sql/db.py)."""
    counts = {"statements": 0, "round_trips": 0}
    db = writer_db(sg)
    execute, many = db.execute, db.executemany
    flush = getattr(db, "flush", lambda: None)  # (older code defers nothing)

    def waiting() -> int:
        return db.deferred_count() if hasattr(db, "deferred_count") else 0

    def counted(sql: str, params: Any = ()) -> Any:
        counts["statements"] += 1 + waiting()
        counts["round_trips"] += 1
        return execute(sql, params)

    def counted_many(sql: str, rows: Any) -> None:
        counts["statements"] += len(rows) + waiting()
        counts["round_trips"] += 1
        many(sql, rows)

    def counted_flush() -> None:
        if waiting():
            counts["statements"] += waiting()
            counts["round_trips"] += 1
        flush()

    def counted_pipeline(statements: Any) -> Any:
        counts["statements"] += len(statements) + waiting()
        counts["round_trips"] += 1
        return pipeline(statements)

    db.execute, db.executemany, db.flush = counted, counted_many, counted_flush  # type: ignore[method-assign]
    if hasattr(db, "pipeline"):
        pipeline = db.pipeline
        db.pipeline = counted_pipeline
    return counts


def backend_cpu(sg: Any) -> Any:
    """CPU seconds of the PostgreSQL backend serving the writer's connection."""
    pid = writer_db(sg).conn.info.backend_pid
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    return read


if __name__ == "__main__":
    main()
