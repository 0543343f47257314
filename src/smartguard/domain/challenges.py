"""Verification challenges (SPEC 3.5): opened by a decision that needs verification,
confirmed or rejected by the cardholder, and used up by one approved retry."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from smartguard.domain.state import Credit
from smartguard.domain.transactions import AuthorizationRequest, MessageKind

DEFAULT_VALIDITY = timedelta(minutes=10)


class ChallengeStatus(StrEnum):
    PENDING = "pending"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"
    USED = "used"


@dataclass(frozen=True, slots=True)
class Challenge:
    id: str
    card_id: str
    authorization_id: str
    reason: str
    merchant_id: str
    merchant_name: str
    amount: int  # in the card's currency
    currency: str
    code_hash: str
    created_at: datetime
    expires_at: datetime
    status: ChallengeStatus = ChallengeStatus.PENDING
    resolved_at: datetime | None = None

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def is_open(self, now: datetime) -> bool:
        return self.status is ChallengeStatus.PENDING and not self.expired(now)

    def resolve(self, confirm: bool, now: datetime) -> Challenge:
        status = ChallengeStatus.CONFIRMED if confirm else ChallengeStatus.REJECTED
        return replace(self, status=status, resolved_at=now)

    def as_credit(self) -> Credit:
        return Credit(self.id, self.merchant_id, self.amount, self.expires_at)


def usable_credit(
    challenges: list[Challenge], request: AuthorizationRequest, now: datetime
) -> Credit | None:
    """The confirmed, unexpired challenge a retry of ``request`` may use, if any. A purchase
    without a merchant id cannot be matched to its confirmation, so it never gets one."""
    if request.kind is not MessageKind.PURCHASE or not request.merchant_id:
        return None
    for c in challenges:
        if (
            c.status is ChallengeStatus.CONFIRMED
            and not c.expired(now)
            and c.merchant_id == request.merchant_id
            and request.billing_amount <= c.amount
        ):
            return c.as_credit()
    return None


def open_for(
    challenges: list[Challenge], request: AuthorizationRequest, now: datetime
) -> Challenge | None:
    """A pending challenge already opened for the same merchant and amount (a retry before
    the cardholder answered): reuse it rather than text the cardholder again."""
    for c in challenges:
        if (
            c.is_open(now)
            and c.merchant_id == request.merchant_id
            and c.amount == request.billing_amount
        ):
            return c
    return None
