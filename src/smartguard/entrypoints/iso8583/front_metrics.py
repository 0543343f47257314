"""An ISO 8583 front process's own Prometheus ``/metrics`` (``[iso8583]
front_metrics_port``; docs/operations.md lists the metrics and what the core counts).

The core binds front ``i``'s port (``front_metrics_port + i``) before it starts the fronts
(a port in use stops ``serve`` from starting, with the setting's name) and hands each
front its socket, as it does the ISO port's: a front started again after a crash serves
the same socket, and two fronts can never race for a port. The front answers scrapes on
its own event loop (:class:`MetricsServer`, a minimal HTTP/1.1 responder: no thread, so
the tallies are never read while the loop writes them). Every family carries a ``front``
label (the front's index), and the names are the ones the core would use for the same
thing, so that ``sum()`` over core and fronts counts each event once. The one-process
gateway's traffic families (:func:`traffic_families`, without the label) are on the
core's /metrics.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable, Iterator

import structlog
from prometheus_client import CollectorRegistry, ProcessCollector, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583.link import FrontLink
from smartguard.entrypoints.iso8583.meter import IsoMeter
from smartguard.entrypoints.metrics import CONTENT_TYPE, PREFIX, histogram_family
from smartguard.service_layer.telemetry import ISO8583

log = structlog.get_logger("smartguard.iso8583")
SETTING = "iso8583.front_metrics_port"
READ_TIMEOUT_S = 5.0
MAX_REQUEST = 8192  # a scrape's request line and headers


def bind_metrics_sockets(host: str, first: int, count: int) -> list[socket.socket]:
    """Front ``i``'s metrics socket on ``first + i``, bound (a front listens on it). A port
    that cannot be bound is refused here, at start, with the setting's name."""
    bound: list[socket.socket] = []
    for i in range(count):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, first + i))
        except OSError as exc:
            sock.close()
            for s in bound:
                s.close()
            log.error("front_metrics_port_unavailable", setting=SETTING, front=i, host=host,
                      port=first + i, error=exc.strerror)
            raise InvalidInput(SETTING, f"front {i} cannot serve its metrics on "
                               f"{host}:{first + i}: {exc.strerror}") from exc
        bound.append(sock)
    return bound


class FrontCollector:
    """The families of one front: its meter, its open connections, its link to the core."""

    def __init__(self, front: int, meter: IsoMeter, connections: Callable[[], int],
                 link: FrontLink) -> None:
        self.front = str(front)
        self.meter = meter
        self.connections = connections
        self.link = link

    def collect(self) -> Iterator[Metric]:
        f, meter = self.front, self.meter
        yield _gauge("iso8583_open_connections", "ISO 8583 connections open now", f,
                     self.connections())
        yield from traffic_families(meter, f)
        yield histogram_family("request_seconds", "from a request's bytes to its answer's",
                               ["interface", "front"], {(ISO8583, f): meter.latency})
        yield from self._link()

    def _link(self) -> Iterator[Metric]:
        f, link = self.front, self.link
        yield _gauge("iso8583_core_link_up", "1 while the front is connected to the core "
                     "(a front whose link drops exits; the core starts another)", f,
                     1 if link.up else 0)
        yield _gauge("iso8583_core_link_in_flight", "requests sent to the core and not yet "
                     "answered", f, link.in_flight)
        messages = _counter("iso8583_core_link_messages", "requests sent to the core and "
                            "answers received from it", ["direction"])
        messages.add_metric([f, "sent"], link.sent)
        messages.add_metric([f, "answered"], link.sent - link.in_flight)
        yield messages


def traffic_families(meter: IsoMeter, front: str | None = None) -> Iterator[Metric]:
    """Connections accepted, requests and answers by MTI, format errors: a front's (with
    its ``front`` label), or the one-process gateway's (``front`` None: no label; the core
    shows them on its own /metrics)."""
    at = [] if front is None else [front]
    names = [] if front is None else ["front"]
    accepted = CounterMetricFamily(PREFIX + "iso8583_connections_accepted", "ISO 8583 "
                                   "connections accepted", labels=names)
    accepted.add_metric(at, meter.accepted.n)
    yield accepted
    requests = CounterMetricFamily(PREFIX + "iso8583_requests", "ISO 8583 messages read, "
                                   "by MTI (other: any MTI SmartGuard does not handle)",
                                   labels=[*names, "mti"])
    for mti, n in meter.requests_by_mti().items():
        requests.add_metric([*at, mti], n)
    yield requests
    answers = CounterMetricFamily(PREFIX + "iso8583_answers", "ISO 8583 answers, by MTI "
                                  "(closed: the connection was closed instead; none: "
                                  "nothing to answer)", labels=[*names, "mti"])
    for mti, n in meter.answers_by_mti().items():
        answers.add_metric([*at, mti], n)
    yield answers
    errors = CounterMetricFamily(PREFIX + "iso8583_format_errors", "ISO 8583 format errors, "
                                 "by reason and field", labels=[*names, "reason", "field"])
    for (reason, field), n in sorted(dict(meter.format_errors).items()):  # a copy: atomic
        errors.add_metric([*at, reason, field], n)
    yield errors


def _counter(name: str, doc: str, labels: list[str]) -> CounterMetricFamily:
    return CounterMetricFamily(PREFIX + name, doc, labels=["front", *labels])


def _gauge(name: str, doc: str, front: str, value: float) -> GaugeMetricFamily:
    family = GaugeMetricFamily(PREFIX + name, doc, labels=["front"])
    family.add_metric([front], value)
    return family


def registry_for(collector: FrontCollector) -> CollectorRegistry:
    """The front's registry: its collector and the process's CPU and memory."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    ProcessCollector(registry=registry)
    return registry


class MetricsServer:
    """Answers ``GET /metrics`` on an inherited socket, on the running event loop."""

    def __init__(self, sock: socket.socket, registry: CollectorRegistry, front: int = 0
                 ) -> None:
        self.sock = sock
        self.front = front
        self.registry = registry
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve, sock=self.sock,
                                                  limit=MAX_REQUEST)
        host, port = self.sock.getsockname()[:2]
        log.info("front_metrics_listening", front=self.front, host=host, port=port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                     ) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), READ_TIMEOUT_S)
            writer.write(self.answer(head))
            await writer.drain()
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError,
                ConnectionError):
            pass
        finally:
            writer.close()

    def answer(self, head: bytes) -> bytes:
        """The whole HTTP answer to a request whose line and headers are ``head``."""
        method, _, rest = head.partition(b" ")
        path = rest.split(b" ", 1)[0].split(b"?", 1)[0]
        if method not in (b"GET", b"HEAD"):
            return _response(b"405 Method Not Allowed", b"GET /metrics only\n")
        if path != b"/metrics":
            return _response(b"404 Not Found", b"see /metrics\n")
        body = generate_latest(self.registry)
        return _response(b"200 OK", body, CONTENT_TYPE.encode(), head_only=method == b"HEAD")


def _response(status: bytes, body: bytes, content_type: bytes = b"text/plain",
              head_only: bool = False) -> bytes:
    headers = (b"HTTP/1.1 " + status + b"\r\nContent-Type: " + content_type +
               b"\r\nContent-Length: " + str(len(body)).encode() +
               b"\r\nConnection: close\r\n\r\n")
    return headers if head_only else headers + body
