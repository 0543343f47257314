"""SMS through an SMS centre over SMPP 3.4: the notifier's SMS :class:`Sender`.

``send`` submits every part of a text (one ``submit_sm`` each, written at once on the
link, :mod:`.session`) and returns when the SMS centre accepted them all; a part it refuses
is submitted again (a few times, then the attempt fails and the relay retries later). What
the SMS centre accepted is remembered per message and part: a later attempt of the same
message sends only the parts still missing, and an answer that arrives after its attempt
gave up still counts. So a part whose ``submit_sm_resp`` arrived is never sent again while
the process lives (docs/alerts.md says when one can be). Mobile-originated messages and
delivery receipts come back through callbacks; a mobile-originated message is acknowledged
(``deliver_sm_resp``) only after its callback committed it.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import structlog
from aiosmpplib import DeliverSm

from smartguard.adapters.smpp import pdus
from smartguard.adapters.smpp.pdus import Pdu
from smartguard.adapters.smpp.session import LinkConfig, LinkLost, NoAnswer, SmppLink
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.relay import DeliveryFailed

log = structlog.get_logger("smartguard.smpp")
PART_TRIES = 3  # a refused part is submitted this many times in one attempt
PART_PAUSE = 0.2  # seconds before submitting a refused part again (doubling)
REMEMBERED = 10_000  # messages whose accepted parts are remembered
PARTS = "parts "  # provider_ref of a message not yet sent whole: "parts 1:<id> 2:<id>"
#: query_sm states after which a part will not reach the phone: it is sent again
FAILED_STATES = frozenset({"UNDELIVERABLE", "EXPIRED", "REJECTED", "DELETED"})


@dataclass(frozen=True, slots=True)
class MobileOriginated:
    message_id: str  # the SMS centre's id (receipted_message_id), or a digest of the PDU
    phone: str  # E.164
    text: str


@dataclass(frozen=True, slots=True)
class Receipt:
    message_id: str | None  # our outbox id, when known
    smsc_id: str
    state: str  # DELIVRD, UNDELIV, EXPIRED, REJECTD, ...


@dataclass(frozen=True)
class SmppConfig:
    link: LinkConfig
    source_addr: str


class SmppGateway:
    channel = "sms"

    def __init__(self, config: SmppConfig,
                 on_inbound: Callable[[MobileOriginated], Awaitable[None]],
                 on_receipt: Callable[[Receipt], Awaitable[None]],
                 on_available: Callable[[], None] = lambda: None) -> None:
        self.config = config
        self._on_inbound, self._on_receipt = on_inbound, on_receipt
        self.on_available = on_available
        self.link = SmppLink(config.link, self._deliver, self._late, self._bound)
        # outbox id -> {part index: SMS centre id} of the parts the SMS centre accepted
        self._accepted: OrderedDict[str, dict[int, str]] = OrderedDict()
        # SMS centre id -> (outbox id, part index) of parts accepted lately: a receipt is
        # recorded for a first part (even before its message is marked sent), and dropped
        # for the others
        self._parts: OrderedDict[str, tuple[str, int]] = OrderedDict()

    @property
    def available(self) -> bool:
        """Bound to the SMS centre: while it is not, messages wait in the outbox."""
        return self.link.bound

    async def start(self) -> None:
        await self.link.start()

    async def stop(self) -> None:
        await self.link.stop()

    def _bound(self) -> None:
        self.on_available()

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        """Submit every part of ``text`` to ``message.recipient``; the SMS centre's id of
        the first part. Raises :class:`DeliveryFailed` (``retry_now`` when the link was
        lost: the message did not use up an attempt)."""
        bodies = pdus.submit_parts(message.id, self.config.source_addr, message.recipient,
                                   text)
        accepted = await self._known(message)
        missing = [i for i in range(len(bodies)) if i not in accepted]
        results = await asyncio.gather(
            *(self._part(message.id, i, bodies[i]) for i in missing), return_exceptions=True)
        for result in results:
            if isinstance(result, DeliveryFailed):
                result.ref = progress(accepted)
            if isinstance(result, BaseException):
                raise result
        self._accepted.pop(message.id, None)
        return accepted[0]

    async def _known(self, message: OutboxMessage) -> dict[int, str]:
        """The parts of ``message`` the SMS centre accepted: remembered here, or recorded
        on the message by an earlier attempt (in any process) and still alive by the SMS
        centre's ``query_sm`` (a part it says failed is sent again; one it cannot tell
        about is not: its acceptance was seen)."""
        accepted = self._accepted.get(message.id)
        if accepted is None:
            accepted = {}
            for index, smsc_id in recorded(message.provider_ref).items():
                if await self.query(smsc_id) not in FAILED_STATES:
                    accepted[index] = smsc_id
            self._accepted[message.id] = accepted
        self._accepted.move_to_end(message.id)
        while len(self._accepted) > REMEMBERED:
            self._accepted.popitem(last=False)
        return accepted

    async def _part(self, message_id: str, index: int, body: bytes) -> None:
        pause = PART_PAUSE
        for attempt in range(1, PART_TRIES + 1):
            try:
                answer = await self.link.request(pdus.SUBMIT_SM, body,
                                                 tag=(message_id, index))
            except LinkLost as exc:
                raise DeliveryFailed(str(exc), retry_now=True) from None
            except NoAnswer as exc:
                raise DeliveryFailed(str(exc)) from None
            if self._settled(message_id, index, answer):
                return
            if attempt < PART_TRIES:
                await asyncio.sleep(pause)
                pause *= 2
        why = "generic_nack" if answer.command == pdus.GENERIC_NACK else \
            pdus.status_name(answer.status)
        raise DeliveryFailed(f"the SMS centre refused part {index + 1}: {why}")

    def _settled(self, message_id: str, index: int, answer: Pdu) -> bool:
        ok = answer.command == pdus.SUBMIT_SM | pdus.RESPONSE and answer.status == 0
        if ok:
            smsc_id = pdus.message_id(answer.body)
            self._accepted.setdefault(message_id, {})[index] = smsc_id
            self._parts[smsc_id] = (message_id, index)
            while len(self._parts) > REMEMBERED:
                self._parts.popitem(last=False)
        else:
            log.warning("smpp_part_refused", message=message_id, part=index + 1,
                        status=pdus.status_name(answer.status))
        return ok

    def _late(self, tag: object, answer: Pdu) -> None:
        """An answer after its attempt gave up: if it is an acceptance, remember it."""
        if isinstance(tag, tuple) and tag[0] in self._accepted:
            self._settled(tag[0], tag[1], answer)

    async def query(self, smsc_id: str) -> str | None:
        """The SMS centre's state of a message it accepted (``query_sm``), or None when
        it cannot tell (the SMS centre does not support it, or does not know the id)."""
        try:
            answer = await self.link.request(
                pdus.QUERY_SM, pdus.query_sm(smsc_id, self.config.source_addr))
        except (LinkLost, NoAnswer):
            return None
        if answer.command != pdus.QUERY_SM | pdus.RESPONSE or answer.status:
            return None
        return pdus.query_state(answer.body)

    async def _deliver(self, pdu: Pdu) -> None:
        m = pdus.deliver_sm(pdu)
        if m.is_receipt():
            receipt = m.parse_receipt()
            smsc_id = str(receipt.get("id", ""))
            message_id, index = self._parts.get(smsc_id, (None, 0))
            if index == 0:
                await self._on_receipt(Receipt(message_id, smsc_id,
                                               str(receipt.get("stat", ""))))
            return
        await self._on_inbound(MobileOriginated(_mo_id(m), "+" + m.source.number.lstrip("+"),
                                                m.short_message))


def progress(accepted: dict[int, str]) -> str | None:
    """The parts accepted so far, as kept on a message between attempts: ``parts 1:id``."""
    if not accepted:
        return None
    return PARTS + " ".join(f"{i + 1}:{ref}" for i, ref in sorted(accepted.items()))


def recorded(provider_ref: str | None) -> dict[int, str]:
    if not provider_ref or not provider_ref.startswith(PARTS):
        return {}
    found = {}
    for item in provider_ref[len(PARTS):].split():
        number, _, smsc_id = item.partition(":")
        if number.isdigit() and int(number) > 0 and smsc_id:
            found[int(number) - 1] = smsc_id
    return found


def _mo_id(m: DeliverSm) -> str:
    """The SMS centre's id for a mobile-originated message: ``receipted_message_id`` when
    it sets one, else a digest of sender, recipient and text (see docs/alerts.md)."""
    found = pdus.receipted_id(m)
    if found:
        return found
    raw = f"{m.source.number}|{m.destination.number}|{m.short_message}"
    return "digest-" + hashlib.sha256(raw.encode()).hexdigest()[:32]
