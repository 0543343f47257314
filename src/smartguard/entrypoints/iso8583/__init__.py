"""The ISO 8583 gateway: a TCP server (``server``) and what it does with each message
(``gateway``). :func:`service` builds it from the settings for ``smartguard serve``."""

from __future__ import annotations

import structlog

from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.front_metrics import traffic_families
from smartguard.entrypoints.iso8583.gateway import gateway_for
from smartguard.entrypoints.iso8583.meter import IsoMeter
from smartguard.entrypoints.iso8583.server import IsoServer, limits, tls_context
from smartguard.entrypoints.iso8583.workers import IsoWorkers
from smartguard.service_layer.telemetry import ISO8583

log = structlog.get_logger("smartguard.iso8583")


def service(sg: App) -> IsoServer | IsoWorkers:
    """The gateway in this process, or split over ``iso.workers`` front processes."""
    s = sg.settings.iso
    tls = tls_context(s)  # refuse bad TLS settings at start, in either mode
    if s.workers > 0:
        workers = IsoWorkers(sg, s.workers)
        sg.telemetry.probes["iso8583_fronts"] = workers.running
        sg.telemetry.counters["iso8583_front_restarts"] = lambda: workers.restarts
        sg.telemetry.timed_elsewhere.add(ISO8583)  # each front's /metrics times its own
        sg.telemetry.ready["iso8583_listening"] = lambda: workers.running() > 0
        return workers
    if s.front_metrics_port:
        log.warning("front_metrics_port_unused", setting="iso8583.front_metrics_port",
                    reason="iso8583.workers = 0: the core's /metrics counts the gateway")
    meter = IsoMeter(sg.telemetry.request_seconds[ISO8583])  # the core's ISO latency
    server = IsoServer(gateway_for(sg, meter), s.host, s.port, limits(s), tls, meter=meter)
    sg.telemetry.families["iso8583_traffic"] = lambda: traffic_families(meter)
    sg.telemetry.probes["iso8583_connections"] = lambda: len(server.connections)
    sg.telemetry.ready["iso8583_listening"] = server.listening
    return server
