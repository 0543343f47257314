"""Everything the engine needs to know about one card at the moment of a request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import DEFAULT_CEILINGS, Ceilings, Controls
from smartguard.domain.decisions import Verdict


@dataclass(frozen=True, slots=True)
class Usage:
    """What a counter has used in the current day and month (cardholder's time zone)."""

    day_amount: int = 0
    day_count: int = 0
    month_amount: int = 0


NO_USAGE = Usage()


class AgreementStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Agreement:
    """A third-party quick-payment binding (快捷支付协议) as the engine sees it."""

    id: str
    status: AgreementStatus
    per_txn_limit: int | None = None
    daily_limit: int | None = None


@dataclass(frozen=True, slots=True)
class Credit:
    """A confirmed verification that lets one retry at ``merchant_id`` through."""

    challenge_id: str
    merchant_id: str
    amount: int
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class TravelAllowance:
    """A temporary opening of a lock for one place (province or country), from the instant
    ``starts_at`` (included) to the instant ``ends_at`` (excluded); both aware."""

    place: str
    starts_at: datetime
    ends_at: datetime

    def __post_init__(self) -> None:
        if self.starts_at.tzinfo is None or self.ends_at.tzinfo is None:
            raise ValueError("a travel allowance runs between aware instants")

    def active_at(self, instant: datetime) -> bool:
        """Compare instants, never wall clocks (see ``openings.travel_allows``)."""
        start = self.starts_at.astimezone(UTC)
        return start <= instant.astimezone(UTC) < self.ends_at.astimezone(UTC)


@dataclass(frozen=True, slots=True)
class CardState:
    status: CardStatus
    controls: Controls
    balance: int
    timezone: str = "Asia/Shanghai"
    ceilings: Ceilings = DEFAULT_CEILINGS
    usage: Mapping[str, Usage] = field(default_factory=dict)  # counter key -> usage
    agreement: Agreement | None = None  # the request's agreement, when it names one
    credit: Credit | None = None  # a confirmed challenge usable by this request
    travel: tuple[TravelAllowance, ...] = ()
    monitoring: Verdict | None = None  # what the bank's active rules found (rules.md)

    def used(self, key: str) -> Usage:
        return self.usage.get(key, NO_USAGE)
