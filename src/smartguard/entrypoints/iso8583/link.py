"""The link between ISO 8583 front processes and the core process.

With ``iso_workers > 0`` the TCP connections, the framing, the pyiso8583 codec and the
mapping to domain requests run in front processes, and only the part that needs the store
runs in the core process (the one that owns the writer): Python runs one thread at a time
per process, so this puts the protocol work and the decisions on different cores. A front
sends each mapped authorization or reversal over a Unix socket (the PAN already hashed)
and builds the answer from the :class:`~.gateway.StoreAnswer` it gets back.

Wire format, both ways: a 4-byte big-endian length, then a JSON array of messages: front
to core :class:`WorkMessage`, core to front :class:`AnswerMessage`, each written and read
by its own class (``wire`` / ``from_wire``), the request's fields laid out as its
dataclass declares them. Each side writes at most one frame per turn of its event loop,
so many requests share one write. JSON, not pickle: neither side ever runs anything its peer
sends; anything else than these shapes is refused (the core answers 96: a front and its
core disagreeing is a bug, never guessed around).
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, fields
from enum import StrEnum
from operator import attrgetter
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
from smartguard.entrypoints.iso8583.gateway import Done
from smartguard.entrypoints.iso8583.work import (
    AnswerKind,
    Authorize,
    Reverse,
    StoreAnswer,
    Work,
)
from smartguard.service_layer.authorize import CardRef

log = structlog.get_logger("smartguard.iso8583")


class WorkKind(StrEnum):
    AUTHORIZE = "authorize"
    REVERSE = "reverse"


#: The layout of a request's values on the wire: its dataclass's fields, in order, so that
#: both sides take it from one declaration (a field added to the request travels at once).
REQUEST_FIELDS = tuple(f.name for f in fields(AuthorizationRequest))
REVERSAL_FIELDS = tuple(f.name for f in fields(ReversalRequest))
_request_values = attrgetter(*REQUEST_FIELDS)
_reversal_values = attrgetter(*REVERSAL_FIELDS)
# Enum members by value: a dict lookup costs a fraction of calling the enum class.
_ENUMS = tuple((REQUEST_FIELDS.index(name), {k.value: k for k in enum})
               for name, enum in (("kind", MessageKind), ("terminal", TerminalType),
                                  ("entry_mode", EntryMode)))
_ANSWER_KINDS = {k.value: k for k in AnswerKind}


@dataclass(frozen=True, slots=True)
class WorkMessage:
    """Front to core: one piece of mapped work. On the wire a JSON array ``[id, kind,
    pan_hash, card_id, billing_given, values, origin]``, ``values`` the request's fields in the
    order :data:`REQUEST_FIELDS` (or :data:`REVERSAL_FIELDS`) declares: arrays, not
    objects, because the core, the gateway's bound, parses every one (13 -> 4 us per
    request, docs/performance.md)."""

    id: int
    work: Work

    def wire(self) -> list[Any]:
        w = self.work
        if isinstance(w, Authorize):
            return [self.id, WorkKind.AUTHORIZE, w.ref.pan_hash, w.ref.card_id,
                    w.billing_given, _request_values(w.request), w.origin]
        ref = w.ref
        return [self.id, WorkKind.REVERSE, ref.pan_hash if ref else None,
                ref.card_id if ref else None, False, _reversal_values(w.reversal), w.origin]

    @classmethod
    def from_wire(cls, item: list[Any]) -> WorkMessage:
        rid, kind, pan_hash, card_id, billing_given, values, at = item
        if not isinstance(rid, int) or not isinstance(values, list) or len(at) != 4:
            raise ValueError("a work message is [id, kind, pan_hash, card_id, "
                             "billing_given, values, origin]")
        origin = (str(at[0]), str(at[1]), str(at[2]), str(at[3]))
        if kind == WorkKind.AUTHORIZE:
            if len(values) != len(REQUEST_FIELDS):
                raise ValueError("an authorization carries every field of the request")
            for at, members in _ENUMS:
                values[at] = members[values[at]]
            request = AuthorizationRequest(*values)
            return cls(rid, Authorize(CardRef(pan_hash, card_id), request,
                                      billing_given is True, origin))
        if kind == WorkKind.REVERSE:
            ref = CardRef(pan_hash, card_id) if pan_hash or card_id else None
            return cls(rid, Reverse(ReversalRequest(*values), ref, origin))
        raise ValueError(f"unknown work kind {kind!r}")


@dataclass(frozen=True, slots=True)
class AnswerMessage:
    """Core to front: the answer to the work message with the same id; on the wire
    ``[id, kind, response_code, approval_code, balance, currency, reason]``."""

    id: int
    answer: StoreAnswer

    def wire(self) -> list[Any]:
        a = self.answer
        return [self.id, a.kind, a.response_code, a.approval_code, a.balance, a.currency,
                a.reason]

    @classmethod
    def from_wire(cls, item: list[Any]) -> AnswerMessage:
        rid, kind, code, approval, balance, currency, reason = item
        return cls(rid, StoreAnswer(_ANSWER_KINDS[kind], code, approval, balance, currency,
                                    reason))


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
        payload = orjson.dumps([m.wire() for m in self.items])
        self.items = []
        self.writer.write(len(payload).to_bytes(HEADER, "big") + payload)


async def read_frame(reader: asyncio.StreamReader) -> list[list[Any]] | None:
    """The next frame's messages (their wire form), or None at the end of the stream."""
    try:
        header = await reader.readexactly(HEADER)
        size = int.from_bytes(header, "big")
        if size > MAX_FRAME:
            raise ValueError(f"link frame of {size} bytes")
        items: list[list[Any]] = orjson.loads(await reader.readexactly(size))
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

    def _serve_one(self, item: list[Any], out: Batcher) -> None:
        try:
            message = WorkMessage.from_wire(item)
        except Exception as exc:  # a front speaking another version: a bug, answer 96
            log.error("core_link_bad_message", error=type(exc).__name__)
            rid = item[0] if isinstance(item, list) and item else None
            if isinstance(rid, int):
                out.add(AnswerMessage(rid, StoreAnswer(AnswerKind.REFUSED, "96",
                                                      reason="bad link message")))
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
        self.connected = False

    async def connect(self) -> None:
        reader, writer = await asyncio.open_unix_connection(str(self.path))
        self._out = Batcher(writer)
        self.connected = True
        self._reader_task = asyncio.create_task(self._read(reader))

    def send(self, work: Work, done: Done) -> None:
        self._next += 1
        self._waiting[self._next] = done
        self._out.add(WorkMessage(self._next, work))

    async def _read(self, reader: asyncio.StreamReader) -> None:
        try:
            while (items := await read_frame(reader)) is not None:
                for item in items:
                    message = AnswerMessage.from_wire(item)
                    callback = self._waiting.pop(message.id, None)
                    if callback is not None:
                        callback(message.answer)
        finally:
            self.closed.set()  # the core is gone: the front must stop (see front.py)

    @property
    def in_flight(self) -> int:
        return len(self._waiting)

    @property
    def sent(self) -> int:
        """Work messages sent to the core since start (each has its own id)."""
        return self._next

    @property
    def up(self) -> bool:
        """Connected to the core (a front never reconnects: it exits, and the core starts
        another)."""
        return self.connected and not self.closed.is_set()
