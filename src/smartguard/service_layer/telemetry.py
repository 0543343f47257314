"""What a process counts about itself, cheaply enough for the hot path: plain integers and
bucket counts, written by the thread that does the work (the serving loop's, or the
writer's) and read only when metrics are scraped, where they become Prometheus families
(:mod:`smartguard.entrypoints.metrics`). Values that can be computed when asked (outbox
depth, link state, open connections) are not counted here at all: services register a
*probe* that the scrape calls.

Each decision also gives one log line at info (``decision``: interface, outcome, reason,
latency, the card's id; never a PAN)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from time import perf_counter
from typing import Any

import structlog

from smartguard.service_layer.records import AuthorizationRecord

log = structlog.get_logger("smartguard.decisions")

#: Upper bounds (seconds) of the latency buckets: 0.25 ms to 5 s.
SECONDS = (0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0,
           2.5, 5.0)
#: Upper bounds of the batch-size buckets.
SIZES = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0)
HTTP, ISO8583 = "http", "iso8583"
NO_REASON = "none"
INTERFACES = (HTTP, ISO8583)


class Histogram:
    """Bucket counts as Prometheus means them (``le``: at or below the bound), and a sum."""

    __slots__ = ("bounds", "counts", "total")

    def __init__(self, bounds: tuple[float, ...]) -> None:
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)  # the last one: above every bound (+Inf)
        self.total = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect_left(self.bounds, value)] += 1
        self.total += value

    def since(self, started: float) -> None:
        """Observe the seconds since ``started`` (a ``perf_counter()`` value)."""
        self.observe(perf_counter() - started)

    @property
    def count(self) -> int:
        return sum(self.counts)


def _per_interface() -> dict[str, Histogram]:
    return {name: Histogram(SECONDS) for name in INTERFACES}


@dataclass
class Telemetry:
    """The tallies of one process, and the probes its services registered."""

    #: (interface, outcome, primary reason or "none") -> decisions answered
    decisions: dict[tuple[str, str, str], int] = field(default_factory=dict)
    #: the decision log line is written (``serve`` clears it below log_level info)
    log_decisions: bool = True
    #: the use case's run (load, decide, record) per decision, inside its batch
    decision_seconds: dict[str, Histogram] = field(default_factory=_per_interface)
    #: from the request's bytes to its answer's
    request_seconds: dict[str, Histogram] = field(default_factory=_per_interface)
    commit_seconds: Histogram = field(default_factory=lambda: Histogram(SECONDS))
    batch_jobs: Histogram = field(default_factory=lambda: Histogram(SIZES))
    #: name -> a gauge read at scrape time (services register theirs when they start)
    probes: dict[str, Callable[[], float]] = field(default_factory=dict)
    #: name -> a count kept by a service (only grows), read at scrape time
    counters: dict[str, Callable[[], float]] = field(default_factory=dict)
    #: name -> metric families a service builds at scrape time (the one-process ISO 8583
    #: gateway's traffic by MTI); the metrics module yields what they give
    families: dict[str, Callable[[], Iterable[Any]]] = field(default_factory=dict)
    #: interfaces whose requests other processes time (ISO 8583 fronts: their /metrics)
    timed_elsewhere: set[str] = field(default_factory=set)
    #: name -> a readiness check (True: ready), read by /readyz
    ready: dict[str, Callable[[], bool]] = field(default_factory=dict)

    def decided(self, interface: str, record: AuthorizationRecord, decide: float,
                durable: float, duplicate: bool = False,
                origin: tuple[str, str, str, str] | None = None) -> None:
        """One decision answered on ``interface``: ``decide`` seconds of its use case's
        run, ``durable`` from its submission to the writer to its COMMIT; ``origin``, an
        ISO 8583 message's request id, peer, MTI and STAN (an HTTP request's id is in the
        log context). The hot path: enum members are the keys (their ``.value`` costs more
        than the rest)."""
        key = (interface, record.outcome, record.verdicts[0].reason if record.verdicts
               else NO_REASON)
        self.decisions[key] = self.decisions.get(key, 0) + 1
        self.decision_seconds[interface].observe(decide)
        if self.log_decisions:
            at = {} if origin is None else {"request_id": origin[0], "peer": origin[1],
                                            "mti": origin[2]}
            log.info("decision", interface=interface, outcome=str(key[1]),
                     reason=str(key[2]), response_code=record.response_code,
                     card_id=record.card_id, stan=record.request.stan, duplicate=duplicate,
                     latency_ms=round(durable * 1000, 3), decide_ms=round(decide * 1000, 3),
                     **at)

    def batch_committed(self, jobs: int, commit_seconds: float) -> None:
        """The writer's observer: one batch of ``jobs`` committed in ``commit_seconds``."""
        self.batch_jobs.observe(jobs)
        self.commit_seconds.observe(commit_seconds)
