"""One SMPP 3.4 transceiver link to the SMS centre, kept up by itself.

- **Requests are windowed, not queued**: :meth:`SmppLink.request` writes a PDU at once and
  waits for the answer with that sequence number, with its own timeout; any number may be
  in flight (the caller bounds them), so one the SMS centre never answers holds up no other.
- **A lost link fails what is in flight at once** (:class:`LinkLost`), so the caller can
  send it again on the next link instead of waiting out a timeout; an answer that comes
  after its request timed out is handed to ``on_late`` (it may still say "accepted").
- **Reconnects**: while the SMS centre refuses connections, a new connection is tried every
  ``retry_seconds`` (a refused TCP connect costs the SMS centre nothing); a bind that
  fails or a link that breaks backs off exponentially up to ``backoff_max_seconds``.
  Sending so resumes within about ``retry_seconds`` of the centre being back.
- Requests from the SMS centre: ``deliver_sm`` goes to ``on_deliver`` and is answered
  ``deliver_sm_resp`` only after it returned (else ``ESME_RX_T_APPN``: try again later);
  ``enquire_link`` and ``unbind`` are answered here; ``enquire_link`` is sent every
  ``enquire_link_seconds`` and a link that does not answer is dropped.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog

from smartguard.adapters.smpp import pdus
from smartguard.adapters.smpp.pdus import Pdu

log = structlog.get_logger("smartguard.smpp")
LATE_KEPT = 10_000  # requests that timed out whose answer is still awaited
SHORT_LINK = 10.0  # seconds: a link that broke sooner backs the next attempt off


class LinkLost(Exception):
    """The link to the SMS centre is down, or went down before it answered."""


class NoAnswer(Exception):
    """The SMS centre did not answer a request in time (the link is still up)."""


@dataclass(frozen=True)
class LinkConfig:
    host: str
    port: int
    system_id: str
    password: str
    answer_seconds: float = 20.0  # for a request's answer and for connecting
    enquire_link_seconds: float = 30.0
    retry_seconds: float = 0.5  # reconnect while connections are refused
    backoff_max_seconds: float = 30.0  # a bind refused or a link broken doubles up to this


class SmppLink:
    def __init__(self, config: LinkConfig, on_deliver: Callable[[Pdu], Awaitable[None]],
                 on_late: Callable[[object, Pdu], None],
                 on_bound: Callable[[], None] = lambda: None) -> None:
        self.config = config
        self._on_deliver, self._on_late, self._on_bound = on_deliver, on_late, on_bound
        self._seq = itertools.count(1)
        self._waiting: dict[int, asyncio.Future[Pdu]] = {}
        self._late: dict[int, object] = {}  # timed out: seq -> tag, answers go to on_late
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._bound = False
        self._task: asyncio.Task[None] | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        self.binds = 0

    @property
    def bound(self) -> bool:
        return self._bound

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._bound:
            with contextlib.suppress(Exception):
                await self.request(pdus.UNBIND, b"", timeout=2)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        self._lost("the SMS gateway stopped")

    async def request(self, command: int, body: bytes, timeout: float | None = None,
                      tag: object = None) -> Pdu:
        """Send a request; its answer (any status), or :class:`LinkLost` /
        :class:`NoAnswer`. The caller bounds how many are in flight. An answer after the
        timeout goes to ``on_late(tag, answer)`` when ``tag`` is given."""
        writer = self._writer
        if not self._bound or writer is None:
            raise LinkLost("not bound to the SMS centre")
        seq = next(self._seq) % 0x7FFFFFFF or next(self._seq)
        future: asyncio.Future[Pdu] = asyncio.get_running_loop().create_future()
        self._waiting[seq] = future
        try:
            writer.write(pdus.pack(command, seq, body))
            return await asyncio.wait_for(future, timeout or self.config.answer_seconds)
        except TimeoutError:
            if self._waiting.pop(seq, None) is not None and self._bound and tag is not None:
                if len(self._late) >= LATE_KEPT:
                    self._late.pop(next(iter(self._late)))
                self._late[seq] = tag
            raise NoAnswer("the SMS centre did not answer in time") from None
        finally:
            self._waiting.pop(seq, None)

    async def _run(self) -> None:
        loop, delay = asyncio.get_running_loop(), 0.0
        while True:
            try:
                await self._connect()
            except ConnectionRefusedError as exc:
                log.info("smpp_connect_refused", error=str(exc))
                await asyncio.sleep(self.config.retry_seconds)
                continue
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as exc:
                delay = self._backoff(delay)
                log.warning("smpp_connect_failed", error=repr(exc), retry_in=delay)
                await asyncio.sleep(delay)
                continue
            began = loop.time()
            await self._serve()
            short = loop.time() - began < SHORT_LINK
            delay = self._backoff(delay) if short else 0.0
            await asyncio.sleep(max(delay, self.config.retry_seconds))

    def _backoff(self, delay: float) -> float:
        return min(self.config.backoff_max_seconds, max(self.config.retry_seconds, delay * 2))

    async def _connect(self) -> None:
        c = self.config
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(c.host, c.port, limit=pdus.MAX_PDU), c.answer_seconds)
        try:
            writer.write(pdus.pack(pdus.BIND_TRANSCEIVER, 1,
                                   pdus.bind_transceiver(c.system_id, c.password)))
            answer = await asyncio.wait_for(_read(reader), c.answer_seconds)
        except BaseException:
            writer.close()
            raise
        if answer.command != pdus.BIND_TRANSCEIVER | pdus.RESPONSE or answer.status:
            writer.close()
            raise ValueError(f"bind refused: {pdus.status_name(answer.status)}")
        self._reader, self._writer, self._bound = reader, writer, True
        self.binds += 1
        log.info("smpp_bound", host=c.host, port=c.port)
        self._on_bound()

    async def _serve(self) -> None:
        tasks = [asyncio.create_task(self._receive()), asyncio.create_task(self._keep_alive())]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if not task.cancelled() and task.exception() is not None:
                    log.warning("smpp_link_lost", error=repr(task.exception()))
        finally:
            for task in tasks:
                task.cancel()
            self._lost("the link to the SMS centre was lost before it answered")

    def _lost(self, reason: str) -> None:
        self._bound = False
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.close()
        waiting, self._waiting = self._waiting, {}
        self._late.clear()
        for future in waiting.values():
            if not future.done():
                future.set_exception(LinkLost(reason))

    async def _keep_alive(self) -> None:
        while True:
            await asyncio.sleep(self.config.enquire_link_seconds)
            try:
                await self.request(pdus.ENQUIRE_LINK, b"")
            except NoAnswer:
                return  # the link is dead although the socket is not: drop it

    async def _receive(self) -> None:
        assert self._reader is not None
        while True:
            pdu = await _read(self._reader)
            if pdu.is_response:
                self._answer(pdu)
            elif pdu.command == pdus.DELIVER_SM:
                task = asyncio.create_task(self._deliver(pdu))
                self._handlers.add(task)
                task.add_done_callback(self._handlers.discard)
            elif pdu.command == pdus.ENQUIRE_LINK:
                self._reply(pdu, pdus.ESME_ROK)
            elif pdu.command == pdus.UNBIND:
                self._reply(pdu, pdus.ESME_ROK)
                return
            else:
                self._reply(pdu, 0x03, pdus.GENERIC_NACK)  # ESME_RINVCMDID

    def _answer(self, pdu: Pdu) -> None:
        future = self._waiting.pop(pdu.seq, None)
        if future is not None:
            if not future.done():
                future.set_result(pdu)
        elif pdu.seq in self._late:
            self._on_late(self._late.pop(pdu.seq), pdu)

    async def _deliver(self, pdu: Pdu) -> None:
        try:
            await self._on_deliver(pdu)
            status = pdus.ESME_ROK
        except Exception:
            log.exception("deliver_sm_failed")  # the SMS centre will deliver it again
            status = pdus.ESME_RX_T_APPN
        self._reply(pdu, status, body=b"\0")

    def _reply(self, pdu: Pdu, status: int, command: int | None = None,
               body: bytes = b"") -> None:
        writer = self._writer
        if writer is not None:
            writer.write(pdus.pack(command or pdu.command | pdus.RESPONSE, pdu.seq, body,
                                   status))


async def _read(reader: asyncio.StreamReader) -> Pdu:
    length, command, status, seq = pdus.parse_header(await reader.readexactly(16))
    body = await reader.readexactly(length - 16)
    return Pdu(command, status, seq, body)
