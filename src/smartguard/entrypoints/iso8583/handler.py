"""What SmartGuard does with one ISO 8583 message: decode it, run the use case, answer.

A handler is called with one message (no length header) and a ``reply`` callable, and
calls ``reply`` exactly once: with the encoded answer (length header included), with
``b""`` when there is nothing to answer, or with None to close the connection. Network
management (0800) is answered at once, without touching the store; authorizations and
reversals are answered when the writer's transaction holding them has committed, so
answers on one connection may leave in another order than their requests came.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import structlog

from smartguard import errors as e
from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.work import (
    Done,
    StorePart,
    Work,
    answer_for,
    failed,
    to_work,
)

Reply = Callable[[bytes | None], None]
log = structlog.get_logger("smartguard.iso8583")


class Handler(Protocol):
    def handle(self, message: bytes, reply: Reply) -> None: ...


def encode_or_close(fields: codec.Fields | None, reply: Reply) -> None:
    """Send ``fields``; when there is no answer to give or it cannot be encoded, close."""
    if fields is None:
        reply(None)
        return
    try:
        reply(codec.encode(fields))
    except Exception as exc:  # an echoed field our spec cannot carry
        log.warning("answer_not_encodable", mti=fields.get("t"), stan=fields.get("11"),
                    error=type(exc).__name__)
        reply(None)


def decode_or_answer(message: bytes, reply: Reply) -> codec.Fields | None:
    """The message's fields, or None after answering a format error (code 30) when its
    MTI and STAN can be read, or closing the connection when they cannot."""
    try:
        return codec.decode(message)
    except codec.FrameError as exc:
        answer = m.error_answer(exc.fields, m.FORMAT_ERROR)
        log.warning("format_error", reason=exc.reason, mti=exc.fields.get("t"),
                    stan=exc.fields.get("11"), answered=answer is not None)
        encode_or_close(answer, reply)
        return None


def answer_other(fields: codec.Fields, reply: Reply) -> None:
    """A message SmartGuard does not handle: 0810 for network management, 12 (invalid
    transaction) for another request; a response sent to us is logged and dropped."""
    mti = fields.get("t", "")
    if mti in m.NETWORK:
        log.info("network_management", code=fields.get("70"),
                 action=m.NETWORK_CODES.get(fields.get("70", ""), "unknown"))
        encode_or_close(m.network_answer(fields), reply)
    elif m.response_mti(mti) is None:
        log.warning("unexpected_message", mti=mti)
        reply(b"")
    else:
        encode_or_close(m.error_answer(fields, m.INVALID_TRANSACTION),
                        reply)


def needs_store(fields: codec.Fields) -> bool:
    return fields["t"] in m.AUTHORIZATIONS or fields["t"] in m.REVERSALS


#: Hands mapped work to the store part: in this process, or over the link to the core.
Send = Callable[[Work, Done], None]


class GatewayHandler:
    """Decode; answer network management and bad input at once; map authorizations and
    reversals (hashing the PAN), ``send`` them to the store part and encode its outcome."""

    def __init__(self, hash_pan: Callable[[str], str], send: Send) -> None:
        self.hash_pan = hash_pan
        self.send = send

    def handle(self, message: bytes, reply: Reply) -> None:
        fields = decode_or_answer(message, reply)
        if fields is None:
            return
        if not needs_store(fields):
            answer_other(fields, reply)
            return
        try:
            work = to_work(fields, self.hash_pan)
        except e.SmartGuardError as exc:
            outcome = failed(exc, fields.get("t"), fields.get("11"))
            encode_or_close(answer_for(fields, outcome), reply)
            return
        self.send(work, lambda outcome: encode_or_close(answer_for(fields, outcome), reply))


class SmartGuardHandler(GatewayHandler):
    """The whole gateway in one process."""

    def __init__(self, app: App) -> None:
        super().__init__(app.ctx.hash_pan, StorePart(app).submit)
