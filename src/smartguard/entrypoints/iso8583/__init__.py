"""The ISO 8583 gateway: a TCP server (``server``) and what it does with each message
(``gateway``). :func:`service` builds it from the settings for ``smartguard serve``."""

from __future__ import annotations

from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.gateway import gateway_for
from smartguard.entrypoints.iso8583.server import IsoServer, limits, tls_context
from smartguard.entrypoints.iso8583.workers import IsoWorkers


def service(sg: App) -> IsoServer | IsoWorkers:
    """The gateway in this process, or split over ``iso.workers`` front processes."""
    s = sg.settings.iso
    tls = tls_context(s)  # refuse bad TLS settings at start, in either mode
    if s.workers > 0:
        return IsoWorkers(sg, s.workers)
    return IsoServer(gateway_for(sg), s.host, s.port, limits(s), tls)
