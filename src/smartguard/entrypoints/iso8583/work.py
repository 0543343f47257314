"""What the ISO 8583 gateway hands to its store part and gets back (in one process, or
over the link between a front and the core), and where each message came from."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum
from itertools import count

from smartguard.domain.decisions import APPROVED
from smartguard.domain.transactions import AuthorizationRequest, ReversalRequest
from smartguard.service_layer.authorize import CardRef

#: Where a message came from, for every log line about it: its request id, the peer's
#: address, its MTI and its STAN.
Origin = tuple[str, str, str, str]
NO_ORIGIN: Origin = ("", "", "", "")
_PREFIX = f"{os.getpid() & 0xFFFF:04x}{os.urandom(2).hex()}"
_next = count(1).__next__


def new_request_id() -> str:
    """A request id for one ISO 8583 message: this process's prefix (pid and a random
    part, so fronts and restarts do not collide) and a counter; cheaper than random bytes
    per message, 16 characters like the HTTP API's."""
    return f"{_PREFIX}{_next() & 0xFFFFFFFF:08x}"


def where(origin: Origin) -> dict[str, str]:
    """The log fields of ``origin``."""
    rid, peer, mti, stan = origin
    return {"request_id": rid, "peer": peer, "mti": mti, "stan": stan}


@dataclass(frozen=True, slots=True)
class Authorize:
    """A mapped authorization (0100/0200)."""

    ref: CardRef
    request: AuthorizationRequest
    billing_given: bool  # field 6 was sent
    origin: Origin = NO_ORIGIN


@dataclass(frozen=True, slots=True)
class Reverse:
    """A mapped reversal (04x0/04x1); ``ref`` is None when field 2 was not sent."""

    reversal: ReversalRequest
    ref: CardRef | None
    origin: Origin = NO_ORIGIN


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
