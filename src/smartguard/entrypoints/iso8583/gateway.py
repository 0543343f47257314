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
from functools import partial
from time import perf_counter
from typing import Any, Protocol

import structlog

from smartguard import errors as e
from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.meter import IsoMeter
from smartguard.entrypoints.iso8583.work import (
    ACKNOWLEDGED,
    AnswerKind,
    Authorize,
    Origin,
    Reverse,
    StoreAnswer,
    Work,
    new_request_id,
    where,
)
from smartguard.service_layer import authorize as az
from smartguard.service_layer import reverse as rv
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.telemetry import ISO8583, Histogram

Reply = Callable[[bytes | None], None]
log = structlog.get_logger("smartguard.iso8583")


class Handler(Protocol):
    def handle(self, message: bytes, reply: Reply, peer: str = "") -> None: ...


Done = Callable[[StoreAnswer], None]
#: Hands mapped work to the store part: in this process, or over the link to the core.
Submit = Callable[[Work, Done], None]


class Gateway:
    """Decode; answer network management and bad input at once; map authorizations and
    reversals (hashing the PAN), ``submit`` them to the store part, encode its answer."""

    def __init__(self, hash_pan: Callable[[str], str], submit: Submit,
                 timed: Histogram | None = None, meter: IsoMeter | None = None) -> None:
        self.hash_pan = hash_pan
        self.submit = submit
        self.timed = timed  # seconds from a message's bytes to its answer's
        self.meter = meter  # counts and times every message (then ``timed`` is unused)

    def handle(self, message: bytes, reply: Reply, peer: str = "") -> None:
        """``peer``: the connection's remote address, for the logs."""
        meter = self.meter
        if meter is not None:
            reply = meter.received(message, reply)
        elif self.timed is not None:
            reply = _timed(reply, self.timed)
        rid = new_request_id()
        fields = _decode_or_answer(message, reply, rid, peer, meter)
        if fields is None:
            return
        origin = (rid, peer, fields["t"], fields.get("11", ""))
        if fields["t"] not in m.AUTHORIZATIONS and fields["t"] not in m.REVERSALS:
            _answer_other(fields, reply, origin)
            return
        try:
            work = to_work(fields, self.hash_pan, origin)
        except e.SmartGuardError as exc:
            if meter is not None and isinstance(exc, e.InvalidInput) and \
                    m.response_code_for(exc) == m.FORMAT_ERROR:
                meter.format_error("field_refused", exc.field)
            send_answer(fields, failed(exc), reply, origin)
            return
        self.submit(work, lambda found: send_answer(fields, found, reply, origin, meter))


def send_answer(fields: codec.Fields, found: StoreAnswer, reply: Reply, origin: Origin,
                meter: IsoMeter | None = None) -> None:
    """Send the answer to the request ``fields``; a refusal is logged here, where the
    request's id, peer, MTI and STAN are known (``meter``: the answer comes from the
    store part, whose format errors it counts)."""
    if found.kind is AnswerKind.REFUSED:
        at = where(origin)
        if found.response_code == m.SYSTEM_ERROR:
            log.error("request_failed", **at, reason=found.reason)
        elif found.response_code == m.FORMAT_ERROR:
            if meter is not None:
                meter.format_error("core_refused")
            log.warning("format_error", **at, reason=found.reason)
        else:
            log.info("request_refused", **at, response_code=found.response_code,
                     reason=found.reason)
    encode_or_close(answer_fields(fields, found), reply, origin)


def _timed(reply: Reply, histogram: Histogram) -> Reply:
    started = perf_counter()

    def timed(answer: bytes | None) -> None:
        reply(answer)
        histogram.observe(perf_counter() - started)

    return timed


def gateway_for(app: App, meter: IsoMeter | None = None) -> Gateway:
    """The whole gateway in one process: the store part is a call (``meter``: counts the
    traffic too, timing it into the same histogram)."""
    return Gateway(app.ctx.hash_pan, StorePart(app).submit,
                   app.telemetry.request_seconds[ISO8583], meter)


def to_work(fields: codec.Fields, hash_pan: Callable[[str], str],
            origin: Origin = ("", "", "", "")) -> Work:
    """Map an authorization (0100/0200) or a reversal (04x0/04x1); raises
    :class:`~smartguard.errors.InvalidInput` for a field the profile does not accept."""
    if fields["t"] in m.AUTHORIZATIONS:
        ref, request, given = m.to_authorization(fields, hash_pan)
        return Authorize(ref, request, given, origin)
    reversal, card = m.to_reversal(fields, hash_pan)
    return Reverse(reversal, card, origin)


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
            job, answer = partial(_authorize, ctx, work), partial(self._decided, work.origin)
            _stan, lock = work.request.stan, work.ref.lock_for(work.request)
        else:
            job, answer = partial(_reverse, ctx, work), _acknowledged
            _stan, lock = work.reversal.stan, rv.lock_for(work.ref, work.reversal)
        submitted = perf_counter()

        def end(result: Any, error: BaseException | None) -> None:
            if error is not None:
                done(failed(error))
            else:
                done(answer(result, submitted))

        self.app.writer.submit_call(job, end, lock)  # no future per request: the hot path


    def _decided(self, origin: Origin, timed: tuple[az.AuthorizationResult, float],
                 submitted: float) -> StoreAnswer:
        result, seconds = timed
        r = result.record
        self.app.telemetry.decided(ISO8583, r, seconds, perf_counter() - submitted,
                                   result.duplicate, origin)
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


def encode_or_close(fields: codec.Fields | None, reply: Reply, origin: Origin) -> None:
    """Send ``fields``; when there is no answer to give or it cannot be encoded, close."""
    if fields is None:
        reply(None)
        return
    try:
        reply(codec.encode(fields))
    except Exception as exc:  # an echoed field our spec cannot carry
        log.warning("answer_not_encodable", **where(origin), reason=type(exc).__name__)
        reply(None)


def _decode_or_answer(message: bytes, reply: Reply, rid: str, peer: str,
                      meter: IsoMeter | None = None) -> codec.Fields | None:
    """The message's fields, or None after answering a format error (code 30) when its
    MTI and STAN can be read, or closing the connection when they cannot."""
    try:
        fields = codec.decode(message)
    except codec.FrameError as exc:
        if meter is not None:
            meter.undecodable(exc)
        answer = m.error_answer(exc.fields, m.FORMAT_ERROR)
        origin = (rid, peer, exc.fields.get("t", ""), exc.fields.get("11", ""))
        log.warning("format_error", **where(origin), reason=exc.reason,
                    answered=answer is not None)
        encode_or_close(answer, reply, origin)
        return None
    mti = fields.get("t", "")
    if len(mti) != 4 or not mti.isdigit() or not mti.isascii():  # "9X9Z", "p200"
        if meter is not None:
            meter.format_error("mti_unreadable")
        log.warning("format_error", **where((rid, peer, mti, fields.get("11", ""))),
                    reason="the MTI is not 4 digits", answered=False)
        reply(None)
        return None
    return fields


def _answer_other(fields: codec.Fields, reply: Reply, origin: Origin) -> None:
    """A message SmartGuard does not handle: 0810 for network management, 12 (invalid
    transaction) for another request; a response sent to us is logged and dropped."""
    mti = origin[2]
    if mti in m.NETWORK:
        action = m.NETWORK_CODES.get(fields.get("70", ""), "unknown")
        log.info("network_management", **where(origin), network_code=fields.get("70"),
                 action=action, reason=action)
        encode_or_close(m.network_answer(fields), reply, origin)
    elif m.response_mti(mti) is None:
        log.warning("unexpected_message", **where(origin),
                    reason="a response sent to the issuer: dropped")
        reply(b"")
    else:
        log.info("request_refused", **where(origin), response_code=m.INVALID_TRANSACTION,
                 reason=f"SmartGuard does not handle MTI {mti}")
        encode_or_close(m.error_answer(fields, m.INVALID_TRANSACTION), reply, origin)
