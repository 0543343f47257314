"""What the service layer stores and reads back: plain frozen values, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from smartguard.domain.cards import Account, Card, Cardholder
from smartguard.domain.controls.values import Controls
from smartguard.domain.decisions import Outcome, Verdict
from smartguard.domain.state import AgreementStatus
from smartguard.domain.transactions import AuthorizationRequest


@dataclass(frozen=True, slots=True)
class CardRecord:
    """A card with its holder, account and controls: what one authorization needs."""

    card: Card
    cardholder: Cardholder
    account: Account
    controls: Controls


@dataclass(frozen=True, slots=True)
class AuthorizationRecord:
    id: str
    card_id: str
    fingerprint: str
    received_at: datetime
    request: AuthorizationRequest
    outcome: Outcome
    response_code: str
    verdicts: tuple[Verdict, ...]
    approval_code: str | None
    balance_after: int
    day: str
    month: str
    counters: tuple[str, ...]  # usage counters this authorization added to
    challenge_id: str | None = None  # challenge opened by this decision
    challenge_used: str | None = None  # confirmed challenge this approval used up
    reversed_at: datetime | None = None
    alerts: tuple[Verdict, ...] = ()  # findings of controls in alert-only mode


class ReversalStatus(StrEnum):
    APPLIED = "applied"  # balance and counters given back
    NO_EFFECT = "no_effect"  # the original was not approved; nothing to give back
    PENDING = "pending"  # original not seen yet; applied when it shows up


@dataclass(frozen=True, slots=True)
class ReversalRecord:
    id: str
    key: tuple[str, str, str]
    original_key: tuple[str, str, str]
    received_at: datetime
    status: ReversalStatus
    card_id: str | None = None
    authorization_id: str | None = None
    amount: int | None = None  # applied: what was given back (card currency); else as sent
    applied_at: datetime | None = None
    actual_amount: int | None = None  # a partial reversal's amount that really took place


@dataclass(frozen=True, slots=True)
class PostingRecord:
    posting_id: str
    account_id: str
    amount: int
    description: str
    balance_after: int
    received_at: datetime


@dataclass(frozen=True, slots=True)
class AgreementRecord:
    id: str
    card_id: str
    payee: str
    status: AgreementStatus
    created_at: datetime
    per_txn_limit: int | None = None
    daily_limit: int | None = None
    last_used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class TravelRecord:
    """A travel exception (出行例外). Instants are UTC; ``ends_at`` is when it really ends
    (moved earlier when cancelled), ``planned_end`` what was asked."""

    id: str
    card_id: str
    place: str  # ISO 3166-2:CN province or ISO 3166-1 overseas country
    kind: str  # "region" or "overseas" (domain.travel.PlaceKind)
    starts_at: datetime
    ends_at: datetime
    planned_end: datetime
    created_at: datetime
    created_by: str
    cancelled_at: datetime | None = None
    start_announced_at: datetime | None = None
    end_announced_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class UnlockRecord:
    """A timed unlock's schedule entry (the unlock itself is in the card's controls).
    Instants are UTC; ``ends_at`` moves earlier when the unlock is closed early."""

    id: str
    card_id: str
    target: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    created_by: str
    end_announced_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class AuditEntry:
    at: datetime
    actor: str  # who: an API key id, "sms:+86...", "operator:alice", "system"
    channel: str  # from where: api, web, console, sms, cli, system
    action: str  # what: set_controls.night_lock, freeze, unfreeze, ...
    card_id: str | None = None
    cardholder_id: str | None = None
    old: Any = None
    new: Any = None
    seq: int | None = None  # its place in the audit trail, once stored (pages of it)


class Role(StrEnum):
    PROCESSOR = "processor"
    CARDHOLDER_APP = "cardholder_app"
    OPERATOR = "operator"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    secret_hash: str
    role: Role
    label: str
    created_at: datetime
    cardholder_id: str | None = None  # when set, the key acts for this cardholder only
    revoked_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoredAnswer:
    """The first answer to a request sent with an idempotency key (docs/api.md): a keyed
    hash of the request, and the answer's status and sealed body."""

    fingerprint: str
    status: int
    body: str
