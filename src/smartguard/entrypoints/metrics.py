"""Prometheus metrics of one process, built when they are scraped.

The hot path only adds to plain tallies (:mod:`smartguard.service_layer.telemetry`); this
collector turns them into metric families when ``/metrics`` is read (in a worker thread,
while the event loop goes on adding to them: every dict is copied in one C call before a
Python loop walks it, so a key added meanwhile cannot break the iteration), and asks the store
then for what the database knows (outbox depth and the age of its oldest message per
channel). Each process exposes its own: several serving nodes are several targets.
docs/operations.md lists every metric.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import structlog
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)

from smartguard.bootstrap import App
from smartguard.errors import SmartGuardError
from smartguard.service_layer import monitoring
from smartguard.service_layer.telemetry import Histogram

log = structlog.get_logger("smartguard.metrics")
PREFIX = "smartguard_"
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"

#: probe name -> (metric name, help); the probes services register (telemetry.probes)
GAUGES = {
    "iso8583_connections": ("iso8583_open_connections", "ISO 8583 connections open now"),
    "iso8583_fronts": ("iso8583_fronts", "ISO 8583 front processes running"),
    "smpp_link_up": ("smpp_link_up", "1 while the SMPP link is bound, else 0"),
}
COUNTERS = {
    "deliveries": ("deliveries", "alert messages delivered by this process's relay"),
    "delivery_failures": ("delivery_failures", "failed delivery attempts"),
    "dead_letters": ("dead_letters", "messages given up on (dead letters)"),
    "iso8583_front_restarts": ("iso8583_front_restarts", "ISO 8583 front processes "
                               "started again after one exited"),
}


def histogram_family(name: str, doc: str, labels: list[str],
                     parts: dict[tuple[str, ...], Histogram]) -> HistogramMetricFamily:
    """A histogram family from :class:`Histogram` tallies, one per tuple of label values."""
    family = HistogramMetricFamily(PREFIX + name, doc, labels=labels)
    for values, h in list(parts.items()):  # copied at once: the loop's thread adds keys
        counts, running, buckets = list(h.counts), 0, []
        for bound, n in zip([*map(str, h.bounds), "+Inf"], counts, strict=True):
            running += n
            buckets.append((bound, running))
        family.add_metric(list(values), buckets, h.total)
    return family


def _histogram(name: str, doc: str, label: str | None, parts: dict[str, Histogram]
               ) -> HistogramMetricFamily:
    return histogram_family(name, doc, [label] if label else [],
                            {((value,) if label else ()): h for value, h in list(parts.items())})


class SmartGuardCollector:
    """A prometheus-client collector over one App's telemetry and store."""

    def __init__(self, app: App) -> None:
        self.app = app

    def collect(self) -> Iterator[Metric]:
        t = self.app.telemetry
        decisions = CounterMetricFamily(
            PREFIX + "decisions", "authorizations decided, by interface, outcome and "
            "primary reason", labels=["interface", "outcome", "reason"])
        for key, n in sorted(t.decisions.items()):
            decisions.add_metric([str(part) for part in key], n)
        yield decisions
        yield _histogram("decision_seconds", "the use case's run per decision (load, "
                         "decide, record), inside its batch", "interface", t.decision_seconds)
        yield _histogram("request_seconds", "from a request's bytes to its answer's",
                         "interface", {name: h for name, h in list(t.request_seconds.items())
                                       if name not in t.timed_elsewhere})
        yield _histogram("commit_seconds", "COMMIT of one writer batch", None,
                         {"": t.commit_seconds})
        yield _histogram("batch_jobs", "jobs per committed writer batch", None,
                         {"": t.batch_jobs})
        yield from self._writer()
        yield _rule_errors()
        yield from self._probes()
        for build in list(t.families.values()):
            yield from build()
        yield from self._outbox()

    def _writer(self) -> Iterator[Metric]:
        stats = self.app.writer.stats
        errors = CounterMetricFamily(PREFIX + "store_errors", "store failures seen by the "
                                     "writer: jobs failed (unavailable), batches rerun "
                                     "(conflict)", labels=["kind"])
        errors.add_metric(["unavailable"], stats.store_errors)
        errors.add_metric(["conflict"], stats.conflicts)
        yield errors
        yield CounterMetricFamily(PREFIX + "batches_overlapped", "writer batches begun "
                                  "while the one before was committing (PostgreSQL, "
                                  "commit_overlap)", value=stats.overlapped)

    def _probes(self) -> Iterator[Metric]:
        t = self.app.telemetry
        for probe, (name, doc) in GAUGES.items():
            if probe in t.probes:
                yield GaugeMetricFamily(PREFIX + name, doc, value=t.probes[probe]())
        for probe, (name, doc) in COUNTERS.items():
            if probe in t.counters:
                yield CounterMetricFamily(PREFIX + name, doc, value=t.counters[probe]())

    def _outbox(self) -> Iterator[Metric]:
        depth = GaugeMetricFamily(PREFIX + "outbox_pending", "messages waiting to be sent",
                                  labels=["channel"])
        age = GaugeMetricFamily(PREFIX + "outbox_oldest_age_seconds", "age of the oldest "
                                "message waiting, per channel", labels=["channel"])
        try:
            waiting = self.app.read(lambda uow: uow.outbox.waiting())
        except SmartGuardError as exc:  # the scrape still shows the process's own tallies
            log.warning("metrics_outbox_unreadable", error=str(exc))
            waiting = {}
        now = self.app.ctx.clock()
        for channel in sorted(set(self.app.settings.alerts.written_channels) | set(waiting)):
            n, oldest = waiting.get(channel, (0, now))
            depth.add_metric([channel], n)
            age.add_metric([channel], max(0.0, _seconds(now, oldest)))
        yield depth
        yield age


def _rule_errors() -> Metric:
    family = CounterMetricFamily(PREFIX + "rule_errors", "monitoring rules that failed at "
                                 "run time on a request (treated as not matched), by rule",
                                 labels=["rule"])
    for rule_id, n in sorted(monitoring.ERRORS.items()):
        family.add_metric([rule_id], n)
    return family


def _seconds(now: datetime, then: datetime) -> float:
    return (now - then).total_seconds()


def exposition(app: App) -> bytes:
    """The text a Prometheus server scrapes."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(SmartGuardCollector(app))
    return generate_latest(registry)
