"""The ISO 8583 TCP server: many connections, many requests in flight on each.

Each connection is an asyncio protocol that splits the byte stream into length-prefixed
messages and hands each to a :class:`Handler`; answers are written as they are decided.
Limits: a length header above ``max_message`` closes the connection (the stream cannot be
trusted past it); a connection with nothing in flight that sends nothing for
``idle_timeout`` seconds is closed; above ``max_in_flight`` requests on one connection,
reading pauses until answers catch up. :meth:`IsoServer.stop` stops accepting and reading,
answers every request already accepted (up to ``grace`` seconds), then closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from dataclasses import dataclass
from typing import cast

import structlog

from smartguard.adapters.iso8583 import codec
from smartguard.config import IsoSettings
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583.gateway import Handler
from smartguard.entrypoints.iso8583.meter import IsoMeter

log = structlog.get_logger("smartguard.iso8583")


@dataclass(frozen=True)
class Limits:
    idle_timeout: float = 300.0
    max_message: int = 8192
    max_in_flight: int = 512
    grace: float = 10.0


def limits(settings: IsoSettings) -> Limits:
    return Limits(
        idle_timeout=settings.idle_timeout_s,
        max_message=min(settings.max_message_bytes, codec.MAX_FRAME),
        max_in_flight=settings.max_in_flight,
        grace=settings.shutdown_grace_s,
    )


def tls_context(settings: IsoSettings) -> ssl.SSLContext | None:
    """TLS for the ISO port when ``tls_cert`` and ``tls_key`` are set; with
    ``tls_client_ca`` too, clients must present a certificate that CA signed."""
    if not settings.tls_cert and not settings.tls_key:
        return None
    if not (settings.tls_cert and settings.tls_key):
        raise InvalidInput("iso8583.tls_cert", "set both tls_cert and tls_key")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    try:
        context.load_cert_chain(settings.tls_cert, settings.tls_key)
        if settings.tls_client_ca:
            context.load_verify_locations(settings.tls_client_ca)
            context.verify_mode = ssl.CERT_REQUIRED
    except (OSError, ssl.SSLError) as exc:
        raise InvalidInput("iso8583.tls_cert", f"cannot load the TLS certificate: {exc}"
                           ) from exc
    return context


class _Connection(asyncio.Protocol):
    def __init__(self, server: IsoServer) -> None:
        self.server = server
        self.limits = server.limits
        self.transport: asyncio.Transport | None = None
        self.buffer = b""
        self.in_flight = 0
        self.last_seen = time.monotonic()
        self.paused = self.draining = self.closed = False
        self.peer = ""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        peer = transport.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)
        self.server.connections.add(self)
        if self.server.meter is not None:
            self.server.meter.accepted.n += 1

    def data_received(self, data: bytes) -> None:
        if self.draining:
            return
        self.last_seen = time.monotonic()
        frames = codec.split(self.buffer + data if self.buffer else data,
                             self.limits.max_message)
        self.buffer = frames.rest
        for message in frames.messages:
            if message:  # a zero-length frame is a keep-alive
                self.in_flight += 1
                self.server.handler.handle(message, self._reply, self.peer)
        if frames.too_large:
            log.warning("frame_too_large", peer=self.peer, length=frames.too_large,
                        limit=self.limits.max_message)
            if self.server.meter is not None:
                self.server.meter.format_error("frame_too_large")
            self.finish()
        elif self.in_flight >= self.limits.max_in_flight and not self.paused:
            self.paused = True
            self._transport().pause_reading()

    def _transport(self) -> asyncio.Transport:
        assert self.transport is not None
        return self.transport

    def _reply(self, answer: bytes | None) -> None:
        self.in_flight -= 1
        if self.closed:
            return
        if answer is None:
            self.close()
            return
        if answer:
            self._transport().write(answer)
        if self.paused and self.in_flight < self.limits.max_in_flight // 2 and \
                not self.draining:
            self.paused = False
            self._transport().resume_reading()
        if self.draining and self.in_flight == 0:
            self.close()

    def eof_received(self) -> bool:
        if self.buffer:
            log.warning("truncated_frame", peer=self.peer, buffered=len(self.buffer))
            if self.server.meter is not None:
                self.server.meter.format_error("truncated_frame")
            self.buffer = b""
        self.finish()
        return True  # keep the write side open until the answers in flight are sent

    def finish(self) -> None:
        """Take no new request; close once every accepted request is answered. Bytes that
        still arrive are read and dropped, so that closing sends a FIN, not a reset that
        could destroy answers not yet delivered."""
        self.draining = True
        if self.paused and self.transport is not None and not self.transport.is_closing():
            self.paused = False
            with contextlib.suppress(RuntimeError, OSError):
                self.transport.resume_reading()
        if self.in_flight == 0:
            self.close()

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            if self.transport is not None:
                self.transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.connections.discard(self)
        if self.in_flight:
            log.warning("connection_lost_with_requests_in_flight", peer=self.peer,
                        in_flight=self.in_flight)


class IsoServer:
    """A :class:`~smartguard.entrypoints.serve.Service` serving ``handler`` on TCP."""

    name = "iso8583"

    def __init__(self, handler: Handler, host: str, port: int, limits: Limits | None = None,
                 tls: ssl.SSLContext | None = None, sock: socket.socket | None = None,
                 meter: IsoMeter | None = None) -> None:
        self.handler, self.host, self.port = handler, host, port
        self.meter = meter  # counts connections accepted and frames refused
        self.sock = sock  # an already listening socket (front processes share one)
        self.limits = limits or Limits()
        self.tls = tls
        self.connections: set[_Connection] = set()
        self._server: asyncio.Server | None = None
        self._sweeper: asyncio.Task[None] | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        if self.sock is not None:
            self._server = await loop.create_server(
                lambda: _Connection(self), sock=self.sock, ssl=self.tls, backlog=1024)
        else:
            self._server = await loop.create_server(
                lambda: _Connection(self), self.host, self.port, ssl=self.tls,
                reuse_address=True, backlog=1024)
        self.port = self._server.sockets[0].getsockname()[1]
        self._sweeper = asyncio.create_task(self._sweep())
        log.info("iso8583_listening", host=self.host, port=self.port, tls=self.tls is not None)

    def listening(self) -> bool:
        return self._server is not None and self._server.is_serving()

    async def _sweep(self) -> None:
        """Close connections idle for longer than the idle timeout."""
        interval = max(0.05, min(1.0, self.limits.idle_timeout / 4))
        while True:
            await asyncio.sleep(interval)
            now = time.monotonic()
            for conn in list(self.connections):
                if conn.in_flight == 0 and now - conn.last_seen > self.limits.idle_timeout:
                    log.info("idle_timeout", peer=conn.peer)
                    conn.close()

    def abort(self) -> None:
        """Close every connection now, answering nothing more (the core is gone)."""
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            conn.close()

    async def stop(self) -> None:
        if self._server is None:
            return
        self._server.close()
        for conn in list(self.connections):
            conn.finish()
        deadline = time.monotonic() + self.limits.grace
        while any(c.in_flight for c in self.connections) and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for conn in list(self.connections):
            conn.close()
        if self._sweeper is not None:
            self._sweeper.cancel()
        await self._server.wait_closed()
        self._server = None
