"""Benchmark: the HTTP authorize endpoint against a running server with durable SQLite.

    python bench/http_load.py [--cards 1000] [--seconds 10] [--connections 32] [--rate 500]

Builds a population in a temporary data dir, starts ``smartguard serve`` on it (SQLite, WAL,
synchronous=FULL), then runs two phases with a light raw-socket HTTP/1.1 client (uvloop):

- closed loop: ``--connections`` keep-alive connections send as fast as answers come back
  -> maximum authorizations per second;
- open loop at ``--rate`` requests per second -> latency percentiles, measured from each
  request's *scheduled* send time (no coordinated omission).

Prints throughput, p50/p95/p99/p99.9 latency and errors. Use --url and --token to target an
already running server (then --pans-from must point at the population's data dir).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from smartguard.bench import progress
from smartguard.bench.population import build, mixed_request

#: An answer slower than this counts as an error (``timeouts``) and the connection is
#: reopened: a stalled request must show in the report, not hang the benchmark.
TIMEOUT_S = 10.0


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    timeouts: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)


class Connection:
    """One keep-alive HTTP/1.1 connection with pre-encoded requests."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.head = (f"POST /v1/authorizations HTTP/1.1\r\nHost: {host}\r\n"
                     f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n")

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def send(self, body: bytes) -> tuple[int, bytes]:
        return await asyncio.wait_for(self._send(body), TIMEOUT_S)

    async def _send(self, body: bytes) -> tuple[int, bytes]:
        self.writer.write(f"{self.head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        length = 0
        for line in header.split(b"\r\n"):
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        payload = await self.reader.readexactly(length)
        return status, payload


class Traffic:
    def __init__(self, pans: list[str], seed: int) -> None:
        self.rng = random.Random(seed)
        self.pans = pans
        self.n = 0
        self.run = f"{os.getpid() % 10000:04d}{int(time.time()) % 1_000_000:06d}"

    def next(self) -> bytes:
        self.n += 1
        req = mixed_request(self.rng, self.pans)
        req |= {"acquirer_id": "10000001", "stan": f"{self.n % 1_000_000:06d}",
                "transmission_time": f"{self.run}-{self.n // 1_000_000}"}
        return json.dumps(req).encode()


def record(result: Result, status: int, payload: bytes, latency: float) -> None:
    result.latencies.append(latency)
    result.statuses[status] = result.statuses.get(status, 0) + 1
    if status != 200:
        result.errors += 1
        return
    outcome = json.loads(payload)["outcome"]
    result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1


async def send(c: Connection, traffic: Traffic, result: Result) -> tuple[int, bytes] | None:
    """One request; a broken or stalled connection counts as an error and is reopened."""
    try:
        return await c.send(traffic.next())
    except TimeoutError:
        result.errors += 1
        result.timeouts += 1
    except (OSError, asyncio.IncompleteReadError):
        result.errors += 1
    c.writer.close()
    await c.open()
    return None


async def _ticker(result: Result, label: str, seconds: float) -> None:
    start, last = time.perf_counter(), 0
    while True:
        await asyncio.sleep(1.0)
        done = len(result.latencies)
        progress.report(label, time.perf_counter() - start, seconds,
                        f"answered {done:,} ({done - last:,}/s) errors {result.errors}")
        last = done


async def closed_loop(host: str, port: int, token: str, traffic: Traffic, conns: int,
                      seconds: float, label: str = "closed loop") -> tuple[Result, float]:
    result = Result()
    end = time.perf_counter() + seconds

    async def worker() -> None:
        c = Connection(host, port, token)
        await c.open()
        while time.perf_counter() < end:
            t0 = time.perf_counter()
            sent = await send(c, traffic, result)
            if sent is not None:
                record(result, *sent, time.perf_counter() - t0)
        c.writer.close()

    start = time.perf_counter()
    ticker = asyncio.create_task(_ticker(result, label, seconds))
    await asyncio.gather(*(worker() for _ in range(conns)))
    ticker.cancel()
    return result, time.perf_counter() - start


async def open_loop(host: str, port: int, token: str, traffic: Traffic, conns: int,
                    rate: float, seconds: float, label: str = "open loop"
                    ) -> tuple[Result, float]:
    """Each connection sends at rate/conns; latency counts from the scheduled send time."""
    result = Result()
    interval = conns / rate

    async def worker(offset: float, start: float) -> None:
        c = Connection(host, port, token)
        await c.open()
        k = 0
        while True:
            scheduled = start + offset + k * interval
            if scheduled - start > seconds:
                break
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent = await send(c, traffic, result)
            if sent is not None:
                record(result, *sent, time.perf_counter() - scheduled)
            k += 1
        c.writer.close()

    start = time.perf_counter() + 0.2
    ticker = asyncio.create_task(_ticker(result, label, seconds))
    await asyncio.gather(*(worker(i * interval / conns, start) for i in range(conns)))
    ticker.cancel()
    return result, time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (all its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report(name: str, result: Result, elapsed: float, cpu: float) -> dict[str, float]:
    """Print one phase. ``cpu`` is the server's CPU seconds in the phase: CPU time per
    authorization is steadier than throughput on a noisy shared machine."""
    n = len(result.latencies)
    summary = {"throughput": n / elapsed, "p50": pct(result.latencies, 50),
               "p95": pct(result.latencies, 95), "p99": pct(result.latencies, 99),
               "p99.9": pct(result.latencies, 99.9), "errors": result.errors,
               "cpu_us": cpu / max(n, 1) * 1e6}
    print(f"{name}: {summary['throughput']:,.0f} auth/s  p50 {summary['p50']:.2f} ms  "
          f"p95 {summary['p95']:.2f} ms  p99 {summary['p99']:.2f} ms  "
          f"p99.9 {summary['p99.9']:.2f} ms  errors {result.errors} "
          f"(timeouts {result.timeouts})  "
          f"server CPU {summary['cpu_us']:.0f} us/auth  outcomes {result.outcomes}",
          flush=True)
    return summary


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    cmd = [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--data-dir",
           str(data_dir), "--port", str(port), "--no-iso", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


async def phases(args: argparse.Namespace, port: int, token: str, pans: list[str],
                 pid: int) -> None:
    host = "127.0.0.1"
    await closed_loop(host, port, token, Traffic(pans, 0), args.connections, 1.0, "warm-up")
    closed, opened = [], []
    for i in range(args.runs):
        c0 = cpu_seconds(pid)
        r, t = await closed_loop(host, port, token, Traffic(pans, i + 1), args.connections,
                                 args.seconds, f"closed loop {i + 1}")
        closed.append(report(f"closed loop run {i + 1} ({args.connections} conns)", r, t,
                             cpu_seconds(pid) - c0))
    for i in range(args.runs):
        c0 = cpu_seconds(pid)
        r, t = await open_loop(host, port, token, Traffic(pans, 100 + i), 16, args.rate,
                               args.seconds, f"open loop {i + 1}")
        opened.append(report(f"open loop run {i + 1} at {args.rate:.0f}/s", r, t,
                             cpu_seconds(pid) - c0))
    med = statistics.median
    print(f"MEDIANS: closed loop {med(x['throughput'] for x in closed):,.0f} auth/s, "
          f"{med(x['cpu_us'] for x in closed):.0f} us server CPU/auth; open loop at "
          f"{args.rate:.0f}/s p99 {med(x['p99'] for x in opened):.2f} ms, "
          f"p50 {med(x['p50'] for x in opened):.2f} ms")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cards", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--rate", type=float, default=500.0)
    args = ap.parse_args(argv)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    with tempfile.TemporaryDirectory(prefix="sg-bench-") as tmp:
        data = Path(tmp) / "data"
        pop = build(data, args.cards)
        gc.collect()  # the client's own full collections must not stall its measurements
        gc.freeze()
        port = free_port()
        server = start_server(data, port)
        try:
            asyncio.run(phases(args, port, pop.token, pop.pans, server.pid))
        finally:
            server.send_signal(signal.SIGINT)
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
