"""An ISO 8583 front process: connections, framing and the codec (``iso_workers > 0``).

Started by the core process (:mod:`smartguard.entrypoints.iso8583.workers`) with the
listening socket's file descriptor and the path of the core's Unix socket; the secret that
keys PAN hashes comes on its standard input (one line of hex). It answers network
management (0800) and messages it cannot decode or map itself, sends mapped authorizations
and reversals to the core (:mod:`.link`: PAN hashes, never PANs) and encodes the answers
from their outcomes. With ``--metrics-fd`` it serves its own Prometheus ``/metrics`` on
that socket (:mod:`.front_metrics`). On SIGTERM it stops accepting, answers what it
accepted and exits; if the core goes away it closes every connection at once and exits
(an answer it no longer can give must not be guessed).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import socket
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

import structlog

from smartguard.adapters.iso8583 import codec
from smartguard.config import IsoSettings, Settings
from smartguard.entrypoints import logs
from smartguard.entrypoints.iso8583.front_metrics import (
    FrontCollector,
    MetricsServer,
    registry_for,
)
from smartguard.entrypoints.iso8583.gateway import Gateway
from smartguard.entrypoints.iso8583.link import FrontLink
from smartguard.entrypoints.iso8583.meter import IsoMeter
from smartguard.entrypoints.iso8583.server import IsoServer, limits, tls_context
from smartguard.entrypoints.runtime import settle_heap
from smartguard.service_layer.context import Context

log = structlog.get_logger("smartguard.iso8583")

def front_settings(settings: Settings) -> dict[str, Any]:
    """What a front needs on its command line (the secret comes on standard input)."""
    return {"iso": asdict(settings.iso), "log_level": settings.log_level,
            "log_format": settings.log_format}


async def run_front(fd: int, core: Path, settings: IsoSettings, secret: bytes,
                    index: int = 0, metrics_fd: int | None = None) -> None:
    """Serve the ISO socket ``fd`` (and, given ``metrics_fd``, this front's /metrics)."""
    link = FrontLink(core)
    await link.connect()
    sock = socket.socket(fileno=fd)
    meter = IsoMeter()
    handler = Gateway(Context(secret=secret).hash_pan, link.send, meter=meter)
    server = IsoServer(handler, "", 0, limits(settings), tls_context(settings), sock, meter)
    metrics = None
    if metrics_fd is not None:
        collector = FrontCollector(index, meter, lambda: len(server.connections), link)
        metrics = MetricsServer(socket.socket(fileno=metrics_fd), registry_for(collector),
                                index)
        await metrics.start()
    await server.start()
    settle_heap()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    stopped, core_gone = asyncio.create_task(stop.wait()), asyncio.create_task(
        link.closed.wait())
    await asyncio.wait({stopped, core_gone}, return_when=asyncio.FIRST_COMPLETED)
    if link.closed.is_set():
        log.error("core_link_lost", in_flight=link.in_flight)
        server.abort()
    else:
        await server.stop()
    for task in (stopped, core_gone):
        task.cancel()
    if metrics is not None:
        await metrics.stop()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="SmartGuard ISO 8583 front process")
    ap.add_argument("--fd", type=int, required=True, help="the listening socket")
    ap.add_argument("--core", type=Path, required=True, help="the core's Unix socket")
    ap.add_argument("--settings", required=True, help="JSON of the front's settings")
    ap.add_argument("--index", type=int, default=0, help="this front's number (from 0)")
    ap.add_argument("--metrics-fd", type=int, default=None,
                    help="the socket of this front's /metrics (none: no metrics)")
    args = ap.parse_args(argv)
    values = json.loads(args.settings)
    settings = IsoSettings(**values["iso"])
    logs.configure(values["log_level"], values["log_format"])
    secret = bytes.fromhex(sys.stdin.readline().strip())
    if not secret:
        raise SystemExit("the front expects the secret on its standard input")
    import uvloop

    uvloop.run(run_front(args.fd, args.core, settings, secret, args.index, args.metrics_fd))


__all__ = ["codec", "main"]
