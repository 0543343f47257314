"""The ISO 8583 gateway: a TCP server (``server``) and what it does with each message
(``gateway``). :func:`service` builds it from the settings for ``smartguard serve``."""

from __future__ import annotations

import ssl
from typing import TYPE_CHECKING

from smartguard.bootstrap import App
from smartguard.config import Settings
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583.gateway import gateway_for
from smartguard.entrypoints.iso8583.server import IsoServer, Limits

if TYPE_CHECKING:
    from smartguard.entrypoints.iso8583.workers import IsoWorkers


def tls_context(settings: Settings) -> ssl.SSLContext | None:
    """TLS for the ISO port when ``iso_tls_cert`` and ``iso_tls_key`` are set; with
    ``iso_tls_client_ca`` too, clients must present a certificate that CA signed."""
    if not settings.iso_tls_cert and not settings.iso_tls_key:
        return None
    if not (settings.iso_tls_cert and settings.iso_tls_key):
        raise InvalidInput("iso_tls_cert", "set both iso_tls_cert and iso_tls_key")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(settings.iso_tls_cert, settings.iso_tls_key)
        if settings.iso_tls_client_ca:
            context.load_verify_locations(settings.iso_tls_client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInput("iso_tls_cert", f"cannot load the TLS certificate: {exc}") from exc
    return context


def limits(settings: Settings) -> Limits:
    return Limits(
        idle_timeout=settings.iso_idle_timeout_s,
        max_message=min(settings.iso_max_message_bytes, 0xFFFF),
        max_in_flight=settings.iso_max_in_flight,
        grace=settings.iso_shutdown_grace_s,
    )


def service(sg: App) -> IsoServer | IsoWorkers:
    """The gateway in this process, or split over ``iso_workers`` front processes."""
    s = sg.settings
    tls_context(s)  # refuse bad TLS settings at start, in either mode
    if s.iso_workers > 0:
        from smartguard.entrypoints.iso8583.workers import IsoWorkers

        return IsoWorkers(sg, s.iso_workers)
    return IsoServer(gateway_for(sg), s.iso_host, s.iso_port, limits(s), tls_context(s))
