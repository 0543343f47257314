"""What SmartGuard does with one ISO 8583 message: decode it, run the use case, answer.

A handler is called with one message (no length header) and a ``reply`` callable, and
calls ``reply`` exactly once: with the encoded answer (length header included), with
``b""`` when there is nothing to answer, or with None to close the connection. Network
management (0800) is answered at once, without touching the store; authorizations and
reversals are answered when the writer's transaction holding them has committed, so
answers on one connection may leave in another order than their requests came.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol

import structlog

from smartguard import errors as e
from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bootstrap import App
from smartguard.service_layer import authorize as az
from smartguard.service_layer import reverse as rv

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


FieldsReply = Callable[[codec.Fields | None], None]


class FieldsHandler:
    """Authorizations (0100/0200) and reversals (04x0/04x1) through the group-commit writer,
    from decoded fields to answer fields: the part of the gateway that needs the store.
    ``reply`` gets the answer's fields, or None when there is nothing to answer."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.hash_pan = app.ctx.hash_pan

    def handle_fields(self, fields: codec.Fields, reply: FieldsReply) -> None:
        try:
            if fields["t"] in m.AUTHORIZATIONS:
                self._authorize(fields, reply)
            else:
                self._reverse(fields, reply)
        except e.SmartGuardError as exc:
            self._failed(fields, exc, reply)

    def _authorize(self, fields: codec.Fields, reply: FieldsReply) -> None:
        ref, request, given = m.to_authorization(fields, self.hash_pan)
        ctx = self.app.ctx
        future = self.app.committer.asubmit(
            lambda uow: az.authorize(uow, ctx, ref, request, billing_given=given))
        future.add_done_callback(lambda f: self._done(fields, f, m.authorization_answer, reply))

    def _reverse(self, fields: codec.Fields, reply: FieldsReply) -> None:
        reversal, ref = m.to_reversal(fields, self.hash_pan)
        ctx = self.app.ctx
        future = self.app.committer.asubmit(lambda uow: rv.reverse(uow, ctx, reversal, ref))
        future.add_done_callback(lambda f: self._done(fields, f, m.reversal_answer, reply))

    def _done(self, fields: codec.Fields, future: asyncio.Future[Any],
              answer: Callable[[codec.Fields, Any], codec.Fields], reply: FieldsReply) -> None:
        error = future.exception()
        if error is None:
            reply(answer(fields, future.result()))
        else:
            self._failed(fields, error, reply)

    @staticmethod
    def _failed(fields: codec.Fields, exc: BaseException, reply: FieldsReply) -> None:
        code = m.response_code_for(exc)
        if code == m.SYSTEM_ERROR:
            log.error("request_failed", mti=fields.get("t"), stan=fields.get("11"),
                      error=f"{type(exc).__name__}: {exc}")
        elif code == m.FORMAT_ERROR:
            log.warning("format_error", mti=fields.get("t"), stan=fields.get("11"),
                        reason=str(exc))
        reply(m.error_answer(fields, code))


def needs_store(fields: codec.Fields) -> bool:
    return fields["t"] in m.AUTHORIZATIONS or fields["t"] in m.REVERSALS


class SmartGuardHandler:
    """The whole gateway in one process: decode, then the store's part, then encode."""

    def __init__(self, app: App) -> None:
        self.core = FieldsHandler(app)

    def handle(self, message: bytes, reply: Reply) -> None:
        fields = decode_or_answer(message, reply)
        if fields is None:
            return
        if needs_store(fields):
            self.core.handle_fields(fields, lambda answer: encode_or_close(answer, reply))
        else:
            answer_other(fields, reply)
