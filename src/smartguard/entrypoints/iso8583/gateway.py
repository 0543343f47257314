"""The ISO 8583 gateway: what SmartGuard does with one message, from its bytes to its answer.

**decode** (the codec: bytes -> fields; a message that cannot be read is answered 30 or
closes the connection) -> **map** (:mod:`smartguard.adapters.iso8583.mapping`: fields ->
an :class:`Authorize` or :class:`Reverse`, the PAN hashed here and going no further;
network management is answered at once, without the store) -> **submit** (the work goes
to the store part: in this process :class:`StorePart` runs the use case through the
writer; with front processes the link carries it to the core's) -> **answer** (the
:class:`StoreAnswer` and the request's fields -> the answer's fields -> bytes).

:class:`Gateway.handle` is called with one message (no length header) and a ``reply``
callable, and calls ``reply`` exactly once: with the encoded answer (length header
included), with ``b""`` when there is nothing to answer, or with None to close the
connection. Answers on one connection may leave in another order than their requests came:
each leaves when the transaction holding its decision has committed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import partial
from time import perf_counter
from typing import Any, Protocol

import structlog

from smartguard import errors as e
from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bootstrap import App
from smartguard.domain.decisions import APPROVED
from smartguard.domain.transactions import AuthorizationRequest, ReversalRequest
from smartguard.service_layer import authorize as az
from smartguard.service_layer import reverse as rv
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.telemetry import ISO8583, Histogram

Reply = Callable[[bytes | None], None]
log = structlog.get_logger("smartguard.iso8583")


class Handler(Protocol):
    def handle(self, message: bytes, reply: Reply, peer: str = "") -> None: ...


@dataclass(frozen=True, slots=True)
class Authorize:
    """A mapped authorization (0100/0200)."""

    ref: CardRef
    request: AuthorizationRequest
    billing_given: bool  # field 6 was sent


@dataclass(frozen=True, slots=True)
class Reverse:
    """A mapped reversal (04x0/04x1); ``ref`` is None when field 2 was not sent."""

    reversal: ReversalRequest
    ref: CardRef | None


Work = Authorize | Reverse


class AnswerKind(StrEnum):
    DECIDED = "decided"  # an authorization was decided: code, approval code, balance
    ACKNOWLEDGED = "acknowledged"  # a reversal was taken (always 00, whatever it changed)
    REFUSED = "refused"  # the request could not be decided: only a response code


@dataclass(frozen=True, slots=True)
class StoreAnswer:
    """What the store part answers for one piece of work."""

    kind: AnswerKind
    response_code: str
    approval_code: str | None = None
    balance: int | None = None
    currency: str | None = None
    reason: str | None = None  # why a request was refused (logged where it is answered)


ACKNOWLEDGED = StoreAnswer(AnswerKind.ACKNOWLEDGED, APPROVED)
Done = Callable[[StoreAnswer], None]
#: Hands mapped work to the store part: in this process, or over the link to the core.
Submit = Callable[[Work, Done], None]


class Gateway:
    """Decode; answer network management and bad input at once; map authorizations and
    reversals (hashing the PAN), ``submit`` them to the store part, encode its answer."""

    def __init__(self, hash_pan: Callable[[str], str], submit: Submit,
                 timed: Histogram | None = None) -> None:
        self.hash_pan = hash_pan
        self.submit = submit
        self.timed = timed  # seconds from a message's bytes to its answer's

    def handle(self, message: bytes, reply: Reply, peer: str = "") -> None:
        """``peer``: the connection's remote address, for the logs."""
        if self.timed is not None:
            reply = _timed(reply, self.timed)
        fields = _decode_or_answer(message, reply, peer)
        if fields is None:
            return
        if fields["t"] not in m.AUTHORIZATIONS and fields["t"] not in m.REVERSALS:
            _answer_other(fields, reply, peer)
            return
        try:
            work = to_work(fields, self.hash_pan)
        except e.SmartGuardError as exc:
            send_answer(fields, failed(exc), reply, peer)
            return
        self.submit(work, lambda found: send_answer(fields, found, reply, peer))


def send_answer(fields: codec.Fields, found: StoreAnswer, reply: Reply, peer: str) -> None:
    """Send the answer to the request ``fields``; a refusal is logged here, where the
    request's peer, MTI and STAN are known."""
    if found.kind is AnswerKind.REFUSED:
        where = {"peer": peer, "mti": fields.get("t"), "stan": fields.get("11")}
        if found.response_code == m.SYSTEM_ERROR:
            log.error("request_failed", **where, error=found.reason)
        elif found.response_code == m.FORMAT_ERROR:
            log.warning("format_error", **where, reason=found.reason)
        else:
            log.info("request_refused", **where, response_code=found.response_code,
                     reason=found.reason)
    encode_or_close(answer_fields(fields, found), reply, peer)


def _timed(reply: Reply, histogram: Histogram) -> Reply:
    started = perf_counter()

    def timed(answer: bytes | None) -> None:
        reply(answer)
        histogram.observe(perf_counter() - started)

    return timed


def gateway_for(app: App) -> Gateway:
    """The whole gateway in one process: the store part is a call."""
    return Gateway(app.ctx.hash_pan, StorePart(app).submit,
                   app.telemetry.request_seconds[ISO8583])


def to_work(fields: codec.Fields, hash_pan: Callable[[str], str]) -> Work:
    """Map an authorization (0100/0200) or a reversal (04x0/04x1); raises
    :class:`~smartguard.errors.InvalidInput` for a field the profile does not accept."""
    if fields["t"] in m.AUTHORIZATIONS:
        ref, request, given = m.to_authorization(fields, hash_pan)
        return Authorize(ref, request, given)
    reversal, card = m.to_reversal(fields, hash_pan)
    return Reverse(reversal, card)


class StorePart:
    """The part of the gateway that needs the store: runs mapped work through the writer
    and calls ``done`` with the answer once the transaction holding it has committed."""

    def __init__(self, app: App) -> None:
        self.app = app

    def submit(self, work: Work, done: Done) -> None:
        ctx = self.app.ctx
        job: Callable[[UnitOfWork], Any]
        answer: Callable[[Any, float], StoreAnswer]
        if isinstance(work, Authorize):
            job, answer = partial(_authorize, ctx, work), self._decided
            _stan, lock = work.request.stan, work.ref.lock_for(work.request)
        else:
            job, answer = partial(_reverse, ctx, work), _acknowledged
            _stan, lock = work.reversal.stan, work.ref.lock if work.ref else None
        submitted = perf_counter()

        def end(result: Any, error: BaseException | None) -> None:
            if error is not None:
                done(failed(error))
            else:
                done(answer(result, submitted))

        self.app.writer.submit_call(job, end, lock)  # no future per request: the hot path


    def _decided(self, timed: tuple[az.AuthorizationResult, float], submitted: float
                 ) -> StoreAnswer:
        result, seconds = timed
        r = result.record
        self.app.telemetry.decided(ISO8583, r, seconds, perf_counter() - submitted,
                                   result.duplicate)
        return StoreAnswer(AnswerKind.DECIDED, r.response_code, r.approval_code,
                           r.balance_after, result.card.account.currency)


def _authorize(ctx: Context, work: Authorize, uow: UnitOfWork
               ) -> tuple[az.AuthorizationResult, float]:
    """The use case, and the seconds it took (its batch's COMMIT not counted)."""
    started = perf_counter()
    result = az.authorize(uow, ctx, work.ref, work.request, billing_given=work.billing_given)
    return result, perf_counter() - started


def _reverse(ctx: Context, work: Reverse, uow: UnitOfWork) -> rv.ReversalResult:
    return rv.reverse(uow, ctx, work.reversal, work.ref)


def _acknowledged(result: rv.ReversalResult, submitted: float) -> StoreAnswer:
    return ACKNOWLEDGED


def failed(exc: BaseException) -> StoreAnswer:
    """The answer for ``exc``: its response code, and why (for the log)."""
    code = m.response_code_for(exc)
    reason = f"{type(exc).__name__}: {exc}" if code == m.SYSTEM_ERROR else str(exc)
    return StoreAnswer(AnswerKind.REFUSED, code, reason=reason)


def answer_fields(fields: codec.Fields, answer: StoreAnswer) -> codec.Fields | None:
    """The answer's fields (None: nothing can be answered, close the connection)."""
    if answer.kind is AnswerKind.DECIDED and answer.balance is not None and \
            answer.currency is not None:
        return m.answer_fields(fields, answer.response_code, answer.approval_code,
                               answer.balance, answer.currency)
    if answer.kind is AnswerKind.ACKNOWLEDGED:
        return m.reversal_answer(fields)
    return m.error_answer(fields, answer.response_code)


def encode_or_close(fields: codec.Fields | None, reply: Reply, peer: str = "") -> None:
    """Send ``fields``; when there is no answer to give or it cannot be encoded, close."""
    if fields is None:
        reply(None)
        return
    try:
        reply(codec.encode(fields))
    except Exception as exc:  # an echoed field our spec cannot carry
        log.warning("answer_not_encodable", peer=peer, mti=fields.get("t"),
                    stan=fields.get("11"),
                    error=type(exc).__name__)
        reply(None)


def _decode_or_answer(message: bytes, reply: Reply, peer: str) -> codec.Fields | None:
    """The message's fields, or None after answering a format error (code 30) when its
    MTI and STAN can be read, or closing the connection when they cannot."""
    try:
        fields = codec.decode(message)
    except codec.FrameError as exc:
        answer = m.error_answer(exc.fields, m.FORMAT_ERROR)
        log.warning("format_error", peer=peer, mti=exc.fields.get("t"),
                    stan=exc.fields.get("11"), reason=exc.reason, answered=answer is not None)
        encode_or_close(answer, reply, peer)
        return None
    mti = fields.get("t", "")
    if len(mti) != 4 or not mti.isdigit() or not mti.isascii():  # "9X9Z", "p200"
        log.warning("format_error", peer=peer, mti=mti, stan=fields.get("11"),
                    reason="the MTI is not 4 digits", answered=False)
        reply(None)
        return None
    return fields


def _answer_other(fields: codec.Fields, reply: Reply, peer: str) -> None:
    """A message SmartGuard does not handle: 0810 for network management, 12 (invalid
    transaction) for another request; a response sent to us is logged and dropped."""
    mti = fields.get("t", "")
    if mti in m.NETWORK:
        log.info("network_management", peer=peer, mti=mti, stan=fields.get("11"),
                 network_code=fields.get("70"),
                 action=m.NETWORK_CODES.get(fields.get("70", ""), "unknown"))
        encode_or_close(m.network_answer(fields), reply, peer)
    elif m.response_mti(mti) is None:
        log.warning("unexpected_message", peer=peer, mti=mti, stan=fields.get("11"))
        reply(b"")
    else:
        encode_or_close(m.error_answer(fields, m.INVALID_TRANSACTION), reply, peer)
