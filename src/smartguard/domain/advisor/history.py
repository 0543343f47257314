"""The cardholder's recorded transactions, as the advisor reads them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from smartguard.domain.decisions import LOCK_REASONS, Outcome, Reason, Verdict
from smartguard.domain.periods import local_time
from smartguard.domain.transactions import SELF_SERVICE, AuthorizationRequest, MessageKind


@dataclass(frozen=True, slots=True)
class Past:
    """One authorization SmartGuard decided: the full request, when the guard received it,
    what it answered and the balance it left."""

    id: str
    at: datetime  # the guard's clock at receipt (aware)
    request: AuthorizationRequest
    outcome: Outcome
    verdicts: tuple[Verdict, ...] = ()
    balance_after: int = 0
    reversed_at: datetime | None = None
    challenge_used: str | None = None  # the confirmed challenge this approval used

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVE

    @property
    def reversed(self) -> bool:
        return self.reversed_at is not None

    @property
    def real_debit(self) -> bool:
        """Money really left the card: an approved debit that was not reversed."""
        return self.approved and self.request.is_debit and not self.reversed

    @property
    def moved(self) -> int:
        """What this authorization did to the balance (0 when a reversal had already
        arrived: then none of its effects were applied)."""
        if not self.approved or self.reversed_at == self.at:
            return 0
        q = self.request
        if q.kind is MessageKind.REFUND:
            return q.billing_amount
        return -q.billing_amount if q.is_debit else 0

    @property
    def balance_before(self) -> int:
        return self.balance_after - self.moved

    @property
    def lock_reasons(self) -> tuple[Reason, ...]:
        """The locks that declined it (empty if none did)."""
        if self.outcome is not Outcome.DECLINE:
            return ()
        return tuple(v.reason for v in self.verdicts if v.reason in LOCK_REASONS)

    @property
    def self_service_inquiry(self) -> bool:
        q = self.request
        return q.kind is MessageKind.BALANCE_INQUIRY and q.terminal in SELF_SERVICE

    def local(self, timezone: str) -> datetime:
        return local_time(self.at, timezone)

    @property
    def place(self) -> str:
        """The province for a domestic transaction (``?`` if unknown), else the country."""
        q = self.request
        return (q.region or "?") if q.is_domestic else q.country
