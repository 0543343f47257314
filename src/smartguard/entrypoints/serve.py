"""Run SmartGuard: the HTTP API and every background service in one asyncio loop.

Background services (the ISO 8583 server, the notifier, ...) implement :class:`Service`
and are listed by :func:`services`; they start before HTTP accepts requests and stop, in
reverse order, after it has drained. The writer stops last, after answering what it took;
it should run on the serving loop (``bootstrap(settings, loop=...)``, as :func:`serve`
does).
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import socket
import threading
from collections.abc import Awaitable, Callable, Coroutine, Generator
from datetime import datetime
from typing import Any, Protocol

import structlog
import uvicorn

from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings
from smartguard.entrypoints import logs
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.entrypoints.runtime import keep_heap_settled, settle_heap

log = structlog.get_logger("smartguard.serve")


class Service(Protocol):
    name: str

    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class _Server(uvicorn.Server):
    """uvicorn re-raises SIGINT/SIGTERM after its own graceful shutdown, which would end
    the process before our services and the writer are stopped. Capture the signals, shut
    down, and let :func:`run` finish the clean-up and exit normally."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        original = {sig: signal.signal(sig, self.handle_exit)
                    for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            yield
        finally:
            for sig, handler in original.items():
                signal.signal(sig, handler)


def services(sg: App) -> list[Service]:
    """The background services ``serve`` runs next to the HTTP API."""
    from smartguard.entrypoints.housekeeping import Housekeeping
    from smartguard.entrypoints.notifier import NotifierService
    from smartguard.entrypoints.travel_announcer import TravelAnnouncer

    found: list[Service] = []
    if sg.settings.iso.enabled:
        from smartguard.entrypoints import iso8583

        found.append(iso8583.service(sg))
    if sg.settings.alerts.notifier.enabled:
        found.append(NotifierService(sg, sg.ctx.clock))  # a test clock too
    found.append(TravelAnnouncer(sg))
    found.append(Housekeeping(sg))
    return found


def event_loop_runner() -> Callable[[Coroutine[Any, Any, None]], None]:
    """``asyncio.run``, on uvloop when it is installed (it comes with uvicorn[standard])."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on Linux
        return asyncio.run
    runner: Callable[[Coroutine[Any, Any, None]], None] = uvloop.run
    return runner


def port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


async def serve(settings: Settings, clock: Callable[[], datetime] | None = None) -> None:
    """``smartguard serve``: SmartGuard wired with its writer on this loop, served until
    SIGINT/SIGTERM (``clock``: a test environment's, shared with the logs)."""
    sg = bootstrap(settings, clock=clock, loop=asyncio.get_running_loop())
    sg.telemetry.log_decisions = logs.enabled(settings.log_level, "info")
    await run(sg, settings.http_host, settings.http_port)


async def run(
    sg: App,
    host: str,
    port: int,
    on_ready: Callable[[], Awaitable[bool]] | None = None,
) -> None:
    """Serve until SIGINT/SIGTERM. ``on_ready`` runs once the HTTP port accepts requests;
    when it returns True the server shuts down."""
    config = uvicorn.Config(
        create_asgi(sg), host=host, port=port, log_config=None, access_log=False,
        lifespan="off", timeout_graceful_shutdown=10,
    )
    server = _Server(config)
    started: list[Service] = []
    loop = asyncio.get_running_loop()
    if threading.current_thread() is threading.main_thread():
        # A stop asked for while the services start (the ISO port may already accept)
        # must still be graceful: uvicorn installs its own handlers only once it serves.
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, server.handle_exit, sig, None)
    try:
        for svc in services(sg):
            await svc.start()
            started.append(svc)
            log.info("service_started", service=svc.name)
        settle_heap()
        ready_task = asyncio.create_task(_when_started(server, on_ready))
        heap_task = asyncio.create_task(keep_heap_settled())
        await server.serve()
        ready_task.cancel()
        heap_task.cancel()
    finally:
        for svc in reversed(started):
            await svc.stop()
            log.info("service_stopped", service=svc.name)
        await sg.writer.aclose()
        sg.close()


async def _when_started(
    server: uvicorn.Server, on_ready: Callable[[], Awaitable[bool]] | None
) -> None:
    while not server.started:
        await asyncio.sleep(0.02)
    log.info("http_listening", host=server.config.host, port=server.config.port)
    if on_ready is not None:
        try:
            if await on_ready():
                server.should_exit = True
        except Exception:
            log.exception("on_ready_failed")
            server.should_exit = True
