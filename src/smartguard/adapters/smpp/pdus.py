"""The SMPP 3.4 PDUs SmartGuard sends and reads.

Framing, headers and the few small bodies (bind, submit_sm_resp, query_sm) are written here;
``submit_sm`` and ``deliver_sm`` bodies (text encodings, concatenation headers, optional
parameters) use aiosmpplib's codec. Every ``submit_sm`` of a message carries references
derived from its outbox id, the same at every attempt: ``user_message_reference`` and, for a
long text, the concatenation reference of its parts (docs/alerts.md, "Duplicates").
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from aiosmpplib import NPI, TON, DeliverSm, PhoneNumber, SmppCommand, SubmitSm
from aiosmpplib.state import (
    RECEIPTED_MESSAGE_ID,
    USER_MESSAGE_REFERENCE,
    OptionalParam,
    PduHeader,
    SmppCommandStatus,
)
from aiosmpplib.utils import detect_format, split_sms_udh

HEADER = struct.Struct("!IIII")  # command_length, command_id, command_status, sequence_number
RESPONSE = 0x80000000
BIND_TRANSCEIVER, SUBMIT_SM, DELIVER_SM, QUERY_SM = 0x09, 0x04, 0x05, 0x03
UNBIND, ENQUIRE_LINK, GENERIC_NACK = 0x06, 0x15, 0x80000000
ESME_ROK, ESME_RSYSERR, ESME_RX_T_APPN = 0x00, 0x08, 0x64
ESME_RQUERYFAIL = 0x67
UDHI = 0b01000000  # esm_class: the short message starts with a user data header
MAX_PDU = 2**16 + 1024
#: query_sm's message_state values (SMPP 3.4, 5.2.28)
MESSAGE_STATES = {1: "ENROUTE", 2: "DELIVERED", 3: "EXPIRED", 4: "DELETED",
                  5: "UNDELIVERABLE", 6: "ACCEPTED", 7: "UNKNOWN", 8: "REJECTED"}


@dataclass(frozen=True, slots=True)
class Pdu:
    command: int
    status: int
    seq: int
    body: bytes

    @property
    def is_response(self) -> bool:
        return bool(self.command & RESPONSE)


def parse_header(data: bytes) -> tuple[int, int, int, int]:
    length, command, status, seq = HEADER.unpack(data)
    if not HEADER.size <= length <= MAX_PDU:
        raise ValueError(f"an SMPP PDU of {length} bytes")
    return length, command, status, seq


def pack(command: int, seq: int, body: bytes = b"", status: int = ESME_ROK) -> bytes:
    return HEADER.pack(HEADER.size + len(body), command, status, seq) + body


def cstr(value: str) -> bytes:
    return value.encode("ascii") + b"\0"


def bind_transceiver(system_id: str, password: str) -> bytes:
    """system_id, password, system_type, interface_version 3.4, addr_ton, addr_npi,
    address_range."""
    return cstr(system_id) + cstr(password) + cstr("") + bytes((0x34, 0, 0)) + cstr("")


def status_name(status: int) -> str:
    try:
        return str(SmppCommandStatus(status).name)
    except ValueError:
        return f"0x{status:08x}"


def reference(message_id: str) -> int:
    """A 16-bit number for an outbox id, the same at every attempt."""
    return int.from_bytes(hashlib.sha256(message_id.encode()).digest()[:2], "big")


def msisdn(phone: str) -> PhoneNumber:
    """E.164 ``+8613800000001`` -> international number ``8613800000001``."""
    return PhoneNumber(phone.lstrip("+"), TON.INTERNATIONAL, NPI.ISDN)


def submit_parts(message_id: str, source: str, recipient: str, text: str) -> list[bytes]:
    """The ``submit_sm`` bodies for ``text``: one, or one per part of a long text (UDH
    concatenation; GSM 7-bit when the text allows, else UCS-2)."""
    encoding = detect_format(text)
    ref = reference(message_id)
    parts = split_sms_udh(text, encoding, ref & 0xFF)
    bodies = []
    for part in parts:
        sm = SubmitSm(short_message=text, source=PhoneNumber(source),
                      destination=msisdn(recipient), esm_class=UDHI if len(parts) > 1 else 0,
                      registered_delivery=1, encoding=encoding, auto_message_payload=False,
                      optional_params=[OptionalParam(USER_MESSAGE_REFERENCE, ref)])
        if len(parts) > 1:
            sm.set_encoded_message(part)
        bodies.append(sm.pdu()[HEADER.size:])
    return bodies


def message_id(body: bytes) -> str:
    """submit_sm_resp / query_sm_resp: the SMS centre's message id (a C string)."""
    end = body.find(b"\0")
    return body[: end if end >= 0 else len(body)].decode("ascii", "replace")


def query_sm(smsc_id: str, source: str) -> bytes:
    return cstr(smsc_id) + bytes((TON.UNKNOWN, NPI.UNKNOWN)) + cstr(source)


def query_state(body: bytes) -> str:
    """query_sm_resp: message_id, final_date, message_state, error_code."""
    first = body.index(b"\0")
    second = body.index(b"\0", first + 1)
    return MESSAGE_STATES.get(body[second + 1], "UNKNOWN")


def deliver_sm(pdu: Pdu) -> DeliverSm:
    raw = pack(pdu.command, pdu.seq, pdu.body, pdu.status)
    header = PduHeader(len(raw), SmppCommand.DELIVER_SM, SmppCommandStatus.ESME_ROK, pdu.seq)
    found = DeliverSm.from_pdu(raw, header, "gsm0338")
    assert isinstance(found, DeliverSm)
    return found


def receipted_id(m: DeliverSm) -> str:
    for p in m.optional_params or []:
        if p.tag == RECEIPTED_MESSAGE_ID and p.value:
            return str(p.value)
    return ""
