"""The link between ISO 8583 front processes and the core process.

With ``iso_workers > 0`` the TCP connections, the framing, the pyiso8583 codec and the
mapping to domain requests run in front processes, and only the part that needs the store
runs in the core process (the one that owns the writer): Python runs one thread at a time
per process, so this puts the protocol work and the decisions on different cores. A front
sends each mapped authorization or reversal over a Unix socket (the PAN already hashed)
and builds the answer from the :class:`~.gateway.StoreAnswer` it gets back.

Wire format, both ways: a 4-byte big-endian length, then a JSON array of messages, the
typed values below as JSON objects (orjson writes the dataclasses by their field names):
front to core :class:`WorkMessage` (``{"id": 7, "authorize": {"ref": {"pan_hash": ...},
"request": {...}, "billing_given": true}, "reverse": null}``), core to front
:class:`AnswerMessage` (``{"id": 7, "answer": {"kind": "decided", "response_code":
"00", ...}}``). Each side writes at most one frame per turn of its event loop, so many
requests share one write. JSON, not pickle: neither side ever runs anything its peer
sends; anything else than these shapes is refused (the core answers 96: a front and its
core disagreeing is a bug, never guessed around).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import structlog

from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    ReversalRequest,
    TerminalType,
)
from smartguard.entrypoints.iso8583.gateway import (
    AnswerKind,
    Authorize,
    Done,
    Reverse,
    StoreAnswer,
    Work,
)
from smartguard.service_layer.authorize import CardRef

log = structlog.get_logger("smartguard.iso8583")


@dataclass(frozen=True, slots=True)
class WorkMessage:
    """Front to core: one piece of mapped work (exactly one of the two is set)."""

    id: int
    authorize: Authorize | None = None
    reverse: Reverse | None = None

    @classmethod
    def of(cls, rid: int, work: Work) -> WorkMessage:
        if isinstance(work, Authorize):
            return cls(rid, authorize=work)
        return cls(rid, reverse=work)

    @property
    def work(self) -> Work:
        found = self.authorize or self.reverse
        if found is None:
            raise ValueError("a work message carries no work")
        return found

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> WorkMessage:
        a, r = d["authorize"], d["reverse"]
        if (a is None) == (r is None):
            raise ValueError("a work message carries one authorize or one reverse")
        if a is not None:
            return cls(d["id"], authorize=Authorize(
                _ref(a["ref"]), _request(a["request"]), bool(a["billing_given"])))
        ref = r["ref"]
        return cls(d["id"], reverse=Reverse(ReversalRequest(**r["reversal"]),
                                            _ref(ref) if ref is not None else None))


@dataclass(frozen=True, slots=True)
class AnswerMessage:
    """Core to front: the answer to the work message with the same id."""

    id: int
    answer: StoreAnswer

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> AnswerMessage:
        a = d["answer"]
        return cls(d["id"], StoreAnswer(_ANSWER_KINDS[a["kind"]], a["response_code"],
                                        a["approval_code"], a["balance"], a["currency"]))


# Enum members by value: a dict lookup costs a fraction of calling the enum class.
_KINDS = {k.value: k for k in MessageKind}
_TERMINALS = {k.value: k for k in TerminalType}
_ENTRY_MODES = {k.value: k for k in EntryMode}
_ANSWER_KINDS = {k.value: k for k in AnswerKind}


def _ref(d: dict[str, Any]) -> CardRef:
    return CardRef(pan_hash=d["pan_hash"], card_id=d["card_id"])


def _request(d: dict[str, Any]) -> AuthorizationRequest:
    d["kind"] = _KINDS[d["kind"]]
    d["terminal"] = _TERMINALS[d["terminal"]]
    d["entry_mode"] = _ENTRY_MODES[d["entry_mode"]]
    return AuthorizationRequest(**d)


HEADER = 4
MAX_FRAME = 64 * 1024 * 1024


class Batcher:
    """Collects messages and writes them as one frame on the next turn of the loop."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.items: list[WorkMessage | AnswerMessage] = []

    def add(self, message: WorkMessage | AnswerMessage) -> None:
        if not self.items:
            asyncio.get_running_loop().call_soon(self.flush)
        self.items.append(message)

    def flush(self) -> None:
        if not self.items or self.writer.is_closing():
            self.items.clear()
            return
        payload = orjson.dumps(self.items)
        self.items = []
        self.writer.write(len(payload).to_bytes(HEADER, "big") + payload)


async def read_frame(reader: asyncio.StreamReader) -> list[dict[str, Any]] | None:
    """The next frame's messages (as JSON objects), or None at the end of the stream."""
    try:
        header = await reader.readexactly(HEADER)
        size = int.from_bytes(header, "big")
        if size > MAX_FRAME:
            raise ValueError(f"link frame of {size} bytes")
        items: list[dict[str, Any]] = orjson.loads(await reader.readexactly(size))
        return items
    except (asyncio.IncompleteReadError, ConnectionError):
        return None


#: The core's side of a request: its work and where its answer goes.
Serve = Callable[[Work, Done], None]


def _answer_to(out: Batcher, rid: int) -> Done:
    def answer(found: StoreAnswer) -> None:
        out.add(AnswerMessage(rid, found))

    return answer


class CoreLink:
    """In the core process: serves the fronts' requests with ``handle`` (the gateway's
    store part), answering each on the connection it came from."""

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
                for item in items:
                    self._serve_one(item, out)
        except (ValueError, OSError) as exc:
            log.error("core_link_broken", error=str(exc))
        finally:
            self._peers.discard(task)
            writer.close()

    def _serve_one(self, item: dict[str, Any], out: Batcher) -> None:
        try:
            message = WorkMessage.from_json(item)
        except Exception as exc:  # a front speaking another version: a bug, answer 96
            log.error("core_link_bad_message", error=type(exc).__name__)
            rid = item.get("id") if isinstance(item, dict) else None
            if isinstance(rid, int):
                out.add(AnswerMessage(rid, StoreAnswer(AnswerKind.REFUSED, "96")))
            return
        self.handle(message.work, _answer_to(out, message.id))

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
        self._out.add(WorkMessage.of(self._next, work))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while (items := await read_frame(reader)) is not None:
                for item in items:
                    message = AnswerMessage.from_json(item)
                    callback = self._waiting.pop(message.id, None)
                    if callback is not None:
                        callback(message.answer)
        finally:
            self.closed.set()  # the core is gone: the front must stop (see front.py)

    @property
    def in_flight(self) -> int:
        return len(self._waiting)
