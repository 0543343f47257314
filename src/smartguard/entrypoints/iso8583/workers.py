"""The ISO 8583 gateway split over processes (``iso_workers > 0``): this core side owns
the listening socket, the link's Unix socket and the writer; ``iso_workers`` front
processes (:mod:`.front`) accept connections on the shared socket, do the codec and map
requests (they get the secret that keys PAN hashes through a pipe, never on their command
line or in their environment, so the PAN never leaves the process that received it).
A front that dies is started again; stopping asks each front to answer what it accepted
first, then closes the link."""

from __future__ import annotations

import asyncio
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import structlog

from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.front import front_settings
from smartguard.entrypoints.iso8583.front_metrics import bind_metrics_sockets
from smartguard.entrypoints.iso8583.gateway import StorePart
from smartguard.entrypoints.iso8583.link import CoreLink

log = structlog.get_logger("smartguard.iso8583")


class IsoWorkers:
    name = "iso8583"

    def __init__(self, sg: App, count: int) -> None:
        self.settings = sg.settings
        self.count = count
        self._secret = sg.ctx.secret
        self._dir = Path(tempfile.mkdtemp(prefix="sg-iso-"))
        self.link = CoreLink(self._dir / "core.sock", StorePart(sg).submit)
        self.port = sg.settings.iso.port
        self._fronts: list[subprocess.Popen[bytes]] = []
        self._metrics: list[socket.socket] = []  # front i's /metrics socket
        self.restarts = 0  # fronts started again after one exited
        self._stopping = False
        self._watch: asyncio.Task[None] | None = None

    async def start(self) -> None:
        iso = self.settings.iso
        if iso.front_metrics_port:
            self._metrics = bind_metrics_sockets(iso.front_metrics_host,
                                                 iso.front_metrics_port, self.count)
        else:
            log.info("front_metrics_off", setting="iso8583.front_metrics_port")
        try:
            await self.link.start()
            self._sock = self._bound_socket()
        except BaseException:
            for sock in self._metrics:
                sock.close()
            raise
        self.port = self._sock.getsockname()[1]
        self._fronts = [self._spawn(i) for i in range(self.count)]
        await self.link.wait_for(self.count, timeout=30)
        self._watch = asyncio.create_task(self._supervise())
        log.info("iso8583_listening", host=self.settings.iso.host, port=self.port,
                 fronts=self.count)

    def running(self) -> int:
        """Front processes alive (each serves the port once started)."""
        return sum(1 for proc in self._fronts if proc.poll() is None)

    def _bound_socket(self) -> socket.socket:
        """Bound but not listening: the port accepts connections only once a front
        serves it (the front's server calls listen)."""
        s = self.settings
        family = socket.AF_INET6 if ":" in s.iso.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((s.iso.host, s.iso.port))
        except OSError:
            sock.close()
            raise
        return sock

    def _spawn(self, index: int) -> subprocess.Popen[bytes]:
        values = front_settings(self.settings)
        fd = self._sock.fileno()
        fds, more = [fd], ["--index", str(index)]
        if self._metrics:
            fds.append(self._metrics[index].fileno())
            more += ["--metrics-fd", str(fds[-1])]
        proc = subprocess.Popen(
            [sys.executable, "-m", "smartguard.entrypoints.iso8583.front_process", "--fd", str(fd),
             "--core", str(self.link.path), "--settings", json.dumps(values), *more],
            pass_fds=fds, stdin=subprocess.PIPE)
        assert proc.stdin is not None
        proc.stdin.write(self._secret.hex().encode() + b"\n")  # hashes PANs in the front
        proc.stdin.close()
        return proc

    async def _supervise(self) -> None:
        while not self._stopping:
            await asyncio.sleep(0.5)
            for i, proc in enumerate(self._fronts):
                if proc.poll() is not None and not self._stopping:
                    log.error("iso8583_front_exited", front=i, code=proc.returncode,
                              restarting=True)
                    self.restarts += 1
                    self._fronts[i] = self._spawn(i)

    async def stop(self) -> None:
        self._stopping = True
        if self._watch is not None:
            self._watch.cancel()
        for proc in self._fronts:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + self.settings.iso.shutdown_grace_s + 5
        for proc in self._fronts:
            while proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.02)
            if proc.poll() is None:
                proc.kill()
        self._sock.close()
        for sock in self._metrics:
            sock.close()
        await self.link.stop()
        shutil.rmtree(self._dir, ignore_errors=True)
