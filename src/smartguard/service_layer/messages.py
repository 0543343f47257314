"""What the outbox and the inbound-SMS log hold: plain frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from smartguard.domain.alerts import word


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (or retried)
    SENT = "sent"  # accepted by the SMS centre / answered 2xx by every webhook URL
    DEAD = "dead"  # failed max_attempts times; an operator may requeue it


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message to one channel. ``id`` is stable: receivers dedupe on it."""

    id: str
    created_at: datetime
    channel: str  # sms | webhook
    kind: str  # an AlertKind value
    event: str  # finer event name, e.g. balance_change.debit, security.frozen
    recipient: str  # the phone for SMS; empty for webhooks (every configured URL)
    language: str
    text: str | None  # a one-time code stands in it as alerts.CODE_MARK; None: worded()
    payload: Mapping[str, Any]
    card_id: str | None = None
    cardholder_id: str | None = None
    sealed: str | None = None  # the one-time code, sealed; wiped once sent
    status: OutboxStatus = OutboxStatus.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None  # None: due at once
    last_error: str | None = None
    sent_at: datetime | None = None
    provider_ref: str | None = None  # the SMS centre's message id(s)
    receipt: str | None = None  # delivery receipt state (DELIVRD, UNDELIV, ...)
    receipt_at: datetime | None = None
    claimed_by: str | None = None
    lease_until: datetime | None = None
    timezone: str | None = None  # the cardholder's, for a message worded when read


def worded(m: OutboxMessage) -> OutboxMessage:
    """``m`` with its text. A balance change is stored without one (its data and the
    cardholder's language and zone say it all) and worded here, when a store reads it: the
    authorization's transaction, the gateway's bound, then writes less (performance.md)."""
    if m.text is not None:
        return m
    return replace(m, text=text_of(m))


def text_of(m: OutboxMessage) -> str:
    """The message's text, worded now if it was stored without one."""
    if m.text is not None:
        return m.text
    return word(m.kind, m.language, m.timezone, m.payload)


@dataclass(frozen=True, slots=True)
class InboundRecord:
    """An inbound SMS, kept once per SMS-centre message id (``key``)."""

    key: str  # "<source>:<SMS centre's message id>"
    phone: str
    received_at: datetime
    command: str  # sms_commands.describe(...): never the text, never a code
    outcome: str  # what was done: frozen, confirmed, help, unregistered, rate_limited ...
