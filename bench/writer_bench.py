"""The writer alone: authorize jobs submitted straight to the group-commit writer, with no
network and no codec, on durable SQLite.

    python bench/writer_bench.py [--cards 1000] [--requests 20000]

Requests are the ISO 8583 load generator's mix, mapped to domain requests beforehand. Prints
authorizations per second and the process's CPU time per authorization: the bound the
writer puts on any entry point (docs/performance.md).
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.iso8583_traffic import iso_fields
from bench.population import build, mixed_request
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bootstrap import bootstrap
from smartguard.config import load
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
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="sg-writer-") as tmp:
        data = Path(tmp) / "data"
        pans = build(data, args.cards).pans
        sg = bootstrap(load(None, data_dir=data))
        writer = sg.writer
        assert isinstance(writer, ThreadWriter)  # no loop given: the thread scheduler
        rng = random.Random(1)
        jobs = []
        for n in range(args.requests):
            fields = iso_fields(mixed_request(rng, pans), "10000001")
            fields["7"], fields["11"] = f"{n // 1_000_000 + 1:010d}", f"{n % 1_000_000:06d}"
            ref, req, given = m.to_authorization(fields, sg.ctx.hash_pan)
            jobs.append(lambda uow, ref=ref, req=req, given=given: az.authorize(
                uow, sg.ctx, ref, req, billing_given=given))
        c0, t0 = cpu(), time.perf_counter()
        window: list[Future[Any]] = []
        for job in jobs:  # keep 256 in flight, as many connections would
            window.append(writer.submit(job))
            if len(window) >= 256:
                window.pop(0).result()
        for f in window:
            f.result()
        elapsed, used = time.perf_counter() - t0, cpu() - c0
        stats = writer.stats
        print(f"{len(jobs) / elapsed:,.0f} authorizations/s  {used / len(jobs) * 1e6:.0f} us "
              f"CPU/authorization  {stats.batches} batches (largest {stats.largest})")
        sg.close()


if __name__ == "__main__":
    main()
