"""The load generator's client: asyncio protocols (uvloop), many requests in flight per
connection, answers matched to requests by STAN and transmission time (they may come back
in any order), answers decoded with pyiso8583."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast

from smartguard.adapters.iso8583 import codec
from smartguard.bench import progress
from smartguard.bench.iso8583_traffic import Message, Traffic

ERROR_CODES = frozenset({"30", "96"})


@dataclass
class Phase:
    latencies: list[float] = field(default_factory=list)
    codes: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    answered: int = 0
    errors: int = 0
    started: float = 0.0
    ended: float = 0.0

    def summary(self) -> dict[str, float]:
        ordered = sorted(self.latencies) or [0.0]

        def pct(p: float) -> float:
            return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

        elapsed = max(self.ended - self.started, 1e-9)
        return {"throughput": self.answered / elapsed, "p50": pct(50), "p95": pct(95),
                "p99": pct(99), "p99.9": pct(99.9), "errors": self.errors}


class Conn(asyncio.Protocol):
    def __init__(self, phase: Phase, on_answer: Callable[[Conn], None]) -> None:
        self.phase, self.on_answer = phase, on_answer
        self.pending: dict[bytes, list[float]] = {}
        self.buffer = b""
        self.transport: asyncio.Transport | None = None
        self.lost = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass

    def send(self, message: Message, at: float) -> None:
        assert self.transport is not None
        self.pending.setdefault(message.key, []).append(at)
        self.phase.sent += 1
        self.transport.write(message.raw)

    def data_received(self, data: bytes) -> None:
        frames = codec.split(self.buffer + data, codec.MAX_FRAME)
        self.buffer = frames.rest
        now = time.perf_counter()
        phase = self.phase
        for raw in frames.messages:
            answer = codec.decode(raw)
            code = answer.get("39", "??")
            phase.codes[code] = phase.codes.get(code, 0) + 1
            times = self.pending.get((answer.get("11", "") + answer.get("7", "")).encode())
            if not times:
                phase.errors += 1  # an answer to nothing we sent
                continue
            phase.latencies.append(now - times.pop(0))
            phase.answered += 1
            if code in ERROR_CODES:
                phase.errors += 1
            self.on_answer(self)

    def in_flight(self) -> int:
        return sum(len(v) for v in self.pending.values())

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.lost.done():
            self.lost.set_result(None)


async def _connect(port: int, phase: Phase, on_answer: Callable[[Conn], None]) -> Conn:
    loop = asyncio.get_running_loop()
    _, conn = await loop.create_connection(lambda: Conn(phase, on_answer), "127.0.0.1", port)
    return conn


async def _progress(phase: Phase, label: str, seconds: float, conns: list[Conn]) -> None:
    start, last = time.perf_counter(), 0
    while True:
        await asyncio.sleep(1.0)
        done = phase.answered
        progress.report(label, time.perf_counter() - start, seconds,
                        f"sent {phase.sent:,} answered {done:,} ({done - last:,}/s) in "
                        f"flight {sum(c.in_flight() for c in conns):,} errors {phase.errors}")
        last = done


async def _drain(phase: Phase, conns: list[Conn], grace: float = 10.0) -> None:
    deadline = time.perf_counter() + grace
    while any(c.in_flight() for c in conns) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    phase.ended = time.perf_counter()
    phase.errors += sum(c.in_flight() for c in conns)  # never answered
    for c in conns:
        if c.transport is not None:
            c.transport.close()


def _ports(port: int | list[int]) -> list[int]:
    return [port] if isinstance(port, int) else port


async def closed_loop(port: int | list[int], pans: list[str], seed: int, connections: int,
                      window: int, seconds: float, label: str, quiet: bool = False) -> Phase:
    """Each connection keeps ``window`` requests in flight until ``seconds`` have passed;
    with several ports (nodes of a cluster) the connections are spread over them."""
    traffic, phase = Traffic(pans, seed), Phase()
    end = 0.0

    def again(conn: Conn) -> None:
        if time.perf_counter() < end:
            conn.send(traffic.next(), time.perf_counter())

    ports = _ports(port)
    conns = [await _connect(ports[i % len(ports)], phase, again) for i in range(connections)]
    phase.started = time.perf_counter()
    end = phase.started + seconds
    for c in conns:
        for _ in range(window):
            c.send(traffic.next(), time.perf_counter())
    ticker = None if quiet else asyncio.create_task(_progress(phase, label, seconds, conns))
    await asyncio.sleep(seconds)
    await _drain(phase, conns)
    if ticker:
        ticker.cancel()
    return phase


async def open_loop(port: int | list[int], pans: list[str], seed: int, connections: int,
                    rate: float, seconds: float, label: str) -> Phase:
    """Send at ``rate`` per second, round-robin over the connections, whatever the answers;
    latency counts from each request's scheduled time."""
    traffic, phase = Traffic(pans, seed), Phase()
    ports = _ports(port)
    conns = [await _connect(ports[i % len(ports)], phase, lambda c: None)
             for i in range(connections)]
    ticker = asyncio.create_task(_progress(phase, label, seconds, conns))
    interval, total = 1.0 / rate, int(rate * seconds)
    phase.started = start = time.perf_counter()
    k = 0
    while k < total:  # each wake-up sends every request whose time has come
        now = time.perf_counter()
        while k < total and start + k * interval <= now:
            conns[k % connections].send(traffic.next(), start + k * interval)
            k += 1
        await asyncio.sleep(max(0.0, start + k * interval - time.perf_counter()))
    await _drain(phase, conns)
    ticker.cancel()
    return phase
