"""The gateway's two halves and what passes between them.

An authorization or a reversal goes through two steps: **mapping** (the request's ISO 8583
fields become a domain request; the PAN is hashed here and goes no further) and the
**store part** (the use case runs in the group-commit writer; its result becomes an
:data:`Outcome`). The answer is built from the request's fields and the outcome. In one
process the steps call each other; with ``iso_workers > 0`` mapping and answering run in
the front processes, the store part in the core process, and :func:`work_to_wire` /
:func:`work_from_wire` carry the mapped request over the link (plain JSON values, no
PAN), so the core, the bound of the gateway, does only what needs the store.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from operator import attrgetter
from typing import Any

import structlog

from smartguard import errors as e
from smartguard.adapters.iso8583 import mapping as m
from smartguard.adapters.iso8583.codec import Fields
from smartguard.bootstrap import App
from smartguard.domain.decisions import APPROVED
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    ReversalRequest,
    TerminalType,
)
from smartguard.service_layer import authorize as az
from smartguard.service_layer import reverse as rv
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork

log = structlog.get_logger("smartguard.iso8583")


@dataclass(frozen=True, slots=True)
class Authorize:
    ref: CardRef
    request: AuthorizationRequest
    billing_given: bool


@dataclass(frozen=True, slots=True)
class Reverse:
    reversal: ReversalRequest
    ref: CardRef | None


Work = Authorize | Reverse

#: What the store part answers: (what, response code, approval code, balance, currency),
#: ``what`` being "a" (an authorization decided), "r" (a reversal acknowledged) or "e" (an
#: error: only the response code is answered).
Outcome = tuple[str, str, str | None, int | None, str | None]
Done = Callable[[Outcome], None]


def to_work(fields: Fields, hash_pan: Callable[[str], str]) -> Work:
    """Map an authorization (0100/0200) or a reversal (04x0/04x1); raises
    :class:`~smartguard.errors.InvalidInput` for a field the profile does not accept."""
    if fields["t"] in m.AUTHORIZATIONS:
        ref, request, given = m.to_authorization(fields, hash_pan)
        return Authorize(ref, request, given)
    reversal, card = m.to_reversal(fields, hash_pan)
    return Reverse(reversal, card)


def failed(exc: BaseException, mti: str | None, stan: str | None) -> Outcome:
    """The response code for ``exc``, logged when it is ours to look at."""
    code = m.response_code_for(exc)
    if code == m.SYSTEM_ERROR:
        log.error("request_failed", mti=mti, stan=stan, error=f"{type(exc).__name__}: {exc}")
    elif code == m.FORMAT_ERROR:
        log.warning("format_error", mti=mti, stan=stan, reason=str(exc))
    return ("e", code, None, None, None)


def answer_for(fields: Fields, outcome: Outcome) -> Fields | None:
    """The answer's fields (None: nothing can be answered, close the connection)."""
    what, code, approval_code, balance, currency = outcome
    if what == "a" and balance is not None and currency is not None:
        return m.answer_fields(fields, code, approval_code, balance, currency)
    if what == "r":
        return m.reversal_answer(fields)
    return m.error_answer(fields, code)


class StorePart:
    """The part of the gateway that needs the store: runs mapped work through the writer
    and calls ``done`` with the outcome once the transaction holding it has committed."""

    def __init__(self, app: App) -> None:
        self.app = app

    def submit(self, work: Work, done: Done) -> None:
        ctx, writer = self.app.ctx, self.app.writer
        job: Callable[[Any], Any]
        outcome: Callable[[Any], Outcome]
        if isinstance(work, Authorize):
            job = partial(_authorize, ctx, work)
            stan, outcome = work.request.stan, _authorized
        else:
            job = partial(_reverse, ctx, work)
            stan, outcome = work.reversal.stan, _reversed

        def end(result: Any, error: BaseException | None) -> None:
            done(outcome(result) if error is None else failed(error, None, stan))

        writer.submit_call(job, end)  # no future per request: the core's hot path


def _authorize(ctx: Context, work: Authorize, uow: UnitOfWork) -> az.AuthorizationResult:
    return az.authorize(uow, ctx, work.ref, work.request, billing_given=work.billing_given)


def _reverse(ctx: Context, work: Reverse, uow: UnitOfWork) -> rv.ReversalResult:
    return rv.reverse(uow, ctx, work.reversal, work.ref)


def _reversed(result: rv.ReversalResult) -> Outcome:
    return _REVERSED


_REVERSED: Outcome = ("r", APPROVED, None, None, None)  # acknowledged whatever it changed


def _authorized(result: az.AuthorizationResult) -> Outcome:
    r = result.record
    return ("a", r.response_code, r.approval_code, r.balance_after,
            result.card.account.currency)


# -- over the link (iso_workers > 0) --------------------------------------------------

_REQUEST = attrgetter(*AuthorizationRequest.__dataclass_fields__)
_REVERSAL = attrgetter(*ReversalRequest.__dataclass_fields__)
# Enum members by value: a dict lookup costs a fraction of calling the enum class.
_KINDS = {k.value: k for k in MessageKind}
_TERMINALS = {k.value: k for k in TerminalType}
_ENTRY_MODES = {k.value: k for k in EntryMode}


def work_to_wire(work: Work) -> list[Any]:
    """``work`` as plain JSON values: the card's PAN hash, never the PAN."""
    if isinstance(work, Authorize):
        return ["a", work.ref.pan_hash, work.billing_given, _REQUEST(work.request)]
    return ["r", work.ref.pan_hash if work.ref else None, _REVERSAL(work.reversal)]


def work_from_wire(item: list[Any]) -> Work:
    """The inverse of :func:`work_to_wire`; raises on anything else (the caller answers
    a system error: a front and its core disagreeing is a bug, never guessed around)."""
    if item[0] == "a":
        _, pan_hash, given, v = item
        request = AuthorizationRequest(
            _KINDS[v[0]], v[1], v[2], v[3], _TERMINALS[v[4]], v[5], _ENTRY_MODES[v[6]],
            *v[7:])
        return Authorize(CardRef(pan_hash=pan_hash), request, bool(given))
    if item[0] == "r":
        _, pan_hash, v = item
        return Reverse(ReversalRequest(*v), CardRef(pan_hash=pan_hash) if pan_hash else None)
    raise e.InvalidInput("link", f"unknown work {item[0]!r}")
