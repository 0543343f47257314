"""The link between ISO 8583 front processes and the core process.

With ``iso_workers > 0`` the TCP connections, the framing, the pyiso8583 codec and the
mapping to domain requests run in front processes, and only the part that needs the store
runs in the core process (the one that owns the writer): Python runs one thread at a time
per process, so this puts the protocol work and the decisions on different cores. A front
sends each mapped authorization or reversal over a Unix socket (:func:`.work.work_to_wire`:
plain values, the PAN already hashed) and builds the answer from the outcome it gets back.

Wire format, both ways: a 4-byte big-endian length, then a JSON array of
``[request id, item]`` pairs: front to core the item is the wire form of the work, core
to front it is the :data:`~.work.Outcome`. Each side writes at most one frame per turn of
its event loop, so many requests share one write. JSON, not pickle: neither side ever runs
anything its peer sends.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import structlog

from smartguard.entrypoints.iso8583.work import Done, Outcome, Work, work_to_wire

log = structlog.get_logger("smartguard.iso8583")

HEADER = 4
MAX_FRAME = 64 * 1024 * 1024
Item = tuple[int, Any]


class Batcher:
    """Collects items and writes them as one frame on the next turn of the loop."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.items: list[Item] = []

    def add(self, rid: int, item: Any) -> None:
        if not self.items:
            asyncio.get_running_loop().call_soon(self.flush)
        self.items.append((rid, item))

    def flush(self) -> None:
        if not self.items or self.writer.is_closing():
            self.items.clear()
            return
        payload = orjson.dumps(self.items)
        self.items = []
        self.writer.write(len(payload).to_bytes(HEADER, "big") + payload)


async def read_frame(reader: asyncio.StreamReader) -> list[Any] | None:
    """The next frame's items, or None at the end of the stream."""
    try:
        header = await reader.readexactly(HEADER)
        size = int.from_bytes(header, "big")
        if size > MAX_FRAME:
            raise ValueError(f"link frame of {size} bytes")
        items: list[Any] = orjson.loads(await reader.readexactly(size))
        return items
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


#: The core's side of a request: the wire item and where its outcome goes.
Serve = Callable[[list[Any], Done], None]


def _answer_to(out: Batcher, rid: int) -> Done:
    def answer(outcome: Outcome) -> None:
        out.add(rid, outcome)

    return answer


class CoreLink:
    """In the core process: serves the fronts' requests with ``handle`` (the gateway's
    store part, given each wire item), answering each on the connection it came from."""

    name = "iso8583-core-link"

    def __init__(self, path: Path, handle: Serve) -> None:
        self.path = path
        self.handle = handle
        self._server: asyncio.AbstractServer | None = None
        self._peers: set[asyncio.Task[None]] = set()
        self.connected = 0  # fronts that have connected since start

    async def wait_for(self, fronts: int, timeout: float) -> None:
        """Return once ``fronts`` front processes have connected."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self.connected < fronts:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{self.connected} of {fronts} ISO 8583 fronts started")
            await asyncio.sleep(0.01)

    async def start(self) -> None:
        self.path.unlink(missing_ok=True)
        self._server = await asyncio.start_unix_server(self._serve, path=str(self.path))
        os.chmod(self.path, 0o600)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
                     ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._peers.add(task)
        self.connected += 1
        out = Batcher(writer)
        try:
            while (items := await read_frame(reader)) is not None:
                for rid, item in items:
                    self.handle(item, _answer_to(out, rid))
        except (ValueError, OSError) as exc:
            log.error("core_link_broken", error=str(exc))
        finally:
            self._peers.discard(task)
            writer.close()

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        self.path.unlink(missing_ok=True)


class FrontLink:
    """In a front process: sends work to the core and calls back with the outcome."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._next = 0
        self._waiting: dict[int, Done] = {}
        self.closed = asyncio.Event()

    async def connect(self) -> None:
        reader, writer = await asyncio.open_unix_connection(str(self.path))
        self._out = Batcher(writer)
        self._reader_task = asyncio.create_task(self._read(reader))

    def send(self, work: Work, done: Done) -> None:
        self._next += 1
        self._waiting[self._next] = done
        self._out.add(self._next, work_to_wire(work))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while (items := await read_frame(reader)) is not None:
                for rid, outcome in items:
                    callback = self._waiting.pop(rid, None)
                    if callback is not None:
                        callback(tuple(outcome))
        finally:
            self.closed.set()  # the core is gone: the front must stop (see front.py)

    @property
    def in_flight(self) -> int:
        return len(self._waiting)
