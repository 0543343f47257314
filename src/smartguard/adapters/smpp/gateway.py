"""SMS through an SMS centre over SMPP 3.4, with aiosmpplib (asyncio; maintained).

aiosmpplib binds as a transceiver, keeps the link alive with ``enquire_link``, reconnects
with exponential backoff, splits long texts with concatenation headers (UDH) and encodes
Chinese as UCS-2, and correlates delivery receipts with what was sent. This adapter turns
that into the notifier's :class:`~smartguard.service_layer.relay.Sender`: ``send`` waits
for the SMS centre's ``submit_sm_resp`` (or fails), and calls back for mobile-originated
messages and delivery receipts. A mobile-originated message is acknowledged
(``deliver_sm_resp``) only after its callback returned, i.e. after SmartGuard committed it:
if SmartGuard fails first, the SMS centre delivers it again (and the id dedupes it).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import structlog
from aiosmpplib import (
    ESME,
    NPI,
    TON,
    AbstractBroker,
    AbstractHook,
    DeliverSm,
    GenericNack,
    PhoneNumber,
    SmppCommandStatus,
    SmppMessage,
    SmppSessionState,
    SubmitSm,
    SubmitSmResp,
)
from aiosmpplib.log import WARNING
from aiosmpplib.retrytimer import SimpleExponentialBackoff
from aiosmpplib.state import RECEIPTED_MESSAGE_ID
from aiosmpplib.utils import detect_format

from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.relay import DeliveryFailed

log = structlog.get_logger("smartguard.smpp")
UDHI = 0b01000000  # esm_class: the short message starts with a user data header


@dataclass(frozen=True, slots=True)
class MobileOriginated:
    message_id: str  # the SMS centre's id (receipted_message_id), or a digest of the PDU
    phone: str  # E.164
    text: str


@dataclass(frozen=True, slots=True)
class Receipt:
    message_id: str | None  # our outbox id, when correlated
    smsc_id: str
    state: str  # DELIVRD, UNDELIV, EXPIRED, REJECTD, ...


@dataclass(frozen=True)
class SmppConfig:
    host: str
    port: int
    system_id: str
    password: str
    source_addr: str
    send_timeout: float = 20.0
    enquire_link_interval: float = 30.0
    reconnect_min_ms: int = 500
    reconnect_doublings: int = 6  # backoff 0.5 s, 1 s, ... 32 s


class _Broker(AbstractBroker):  # type: ignore[misc]
    """An in-memory queue from which a message can be withdrawn (after its sender gave up
    waiting), so it is never sent late behind the outbox's back."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[SmppMessage] = asyncio.Queue()
        self.withdrawn: set[str] = set()

    async def enqueue(self, message: SmppMessage) -> None:
        await self.queue.put(message)

    async def dequeue(self) -> SmppMessage:
        while True:
            message = await self.queue.get()
            log_id = getattr(message, "log_id", "")
            if log_id in self.withdrawn:
                self.withdrawn.discard(log_id)
                continue
            return message


class _Hook(AbstractHook):  # type: ignore[misc]
    def __init__(self, gateway: SmppGateway) -> None:
        self.gateway = gateway

    async def sending(self, smpp_message: SmppMessage, pdu: bytes, client_id: str) -> None:
        return None

    async def received(self, smpp_message: SmppMessage | None, pdu: bytes,
                       client_id: str) -> None:
        await self.gateway._received(smpp_message)

    async def send_error(self, smpp_message: SmppMessage, error: Exception,
                         client_id: str) -> None:
        self.gateway._settle(getattr(smpp_message, "log_id", ""), error=str(error))


def msisdn(phone: str) -> PhoneNumber:
    """E.164 ``+8613800000001`` -> international number ``8613800000001``."""
    return PhoneNumber(phone.lstrip("+"), TON.INTERNATIONAL, NPI.ISDN)


class SmppGateway:
    channel = "sms"

    def __init__(self, config: SmppConfig,
                 on_inbound: Callable[[MobileOriginated], Awaitable[None]],
                 on_receipt: Callable[[Receipt], Awaitable[None]]) -> None:
        self.config = config
        self._on_inbound, self._on_receipt = on_inbound, on_receipt
        self._pending: dict[str, asyncio.Future[str]] = {}
        self._broker = _Broker()
        self._esme: Any = None
        self._task: asyncio.Task[None] | None = None

    @property
    def available(self) -> bool:
        """Bound to the SMS centre: while it is not, messages wait in the outbox."""
        esme = self._esme
        return esme is not None and esme.session_state == SmppSessionState.BOUND_TRX

    async def start(self) -> None:
        c = self.config
        self._esme = ESME(
            smsc_host=c.host, smsc_port=c.port, system_id=c.system_id, password=c.password,
            enquire_link_interval=float(c.enquire_link_interval), log_level=WARNING,
            hook=_Hook(self), broker=self._broker, socket_timeout=float(c.send_timeout),
            retry_timer=SimpleExponentialBackoff(c.reconnect_min_ms, c.reconnect_doublings),
        )
        self._task = asyncio.create_task(self._esme.start())

    async def stop(self) -> None:
        if self._esme is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._esme.stop(), 5)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(BaseException):
                await self._task
        for future in self._pending.values():
            if not future.done():
                future.set_exception(DeliveryFailed("the SMS gateway stopped"))

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        """Submit ``text`` to ``message.recipient``; the SMS centre's message id."""
        if not self.available:
            raise DeliveryFailed("not bound to the SMS centre")
        future: asyncio.Future[str] = asyncio.get_running_loop().create_future()
        self._pending[message.id] = future
        encoding = detect_format(text)
        await self._broker.enqueue(SubmitSm(
            short_message=text, source=PhoneNumber(self.config.source_addr),
            destination=msisdn(message.recipient), log_id=message.id, esm_class=UDHI,
            auto_message_payload=False, registered_delivery=1, encoding=encoding))
        try:
            return await asyncio.wait_for(future, self.config.send_timeout)
        except TimeoutError:
            self._broker.withdrawn.add(message.id)
            raise DeliveryFailed("the SMS centre did not answer in time") from None
        finally:
            self._pending.pop(message.id, None)

    def _settle(self, log_id: str, smsc_id: str = "", error: str = "") -> None:
        future = self._pending.get(log_id)
        if future is None or future.done():
            return
        if error:
            future.set_exception(DeliveryFailed(error))
        else:
            future.set_result(smsc_id)

    async def _received(self, m: SmppMessage | None) -> None:
        if isinstance(m, DeliverSm):
            await self._deliver_sm(m)
        elif isinstance(m, SubmitSmResp):
            ok = m.command_status == SmppCommandStatus.ESME_ROK
            self._settle(m.log_id, m.message_id,
                         "" if ok else f"the SMS centre refused it: {m.command_status.name}")
        elif isinstance(m, GenericNack) and str(getattr(m, "log_id", "")):
            self._settle(str(m.log_id), error="the SMS centre answered generic_nack")

    async def _deliver_sm(self, m: DeliverSm) -> None:
        if m.is_receipt():
            receipt = m.parse_receipt()
            await self._on_receipt(Receipt(m.log_id or None, str(receipt.get("id", "")),
                                           str(receipt.get("stat", ""))))
            return
        await self._on_inbound(MobileOriginated(_mo_id(m), "+" + m.source.number.lstrip("+"),
                                                m.short_message))


def _mo_id(m: DeliverSm) -> str:
    """The SMS centre's id for a mobile-originated message: ``receipted_message_id`` when
    it sets one, else a digest of sender, recipient and text (see docs/alerts.md)."""
    for p in m.optional_params or []:
        if p.tag == RECEIPTED_MESSAGE_ID and p.value:
            return str(p.value)
    raw = f"{m.source.number}|{m.destination.number}|{m.short_message}"
    return "digest-" + hashlib.sha256(raw.encode()).hexdigest()[:32]
