"""Quick-payment agreements (快捷支付协议, SPEC 3.10): what a cardholder may do to a binding,
and the checks on its own limits. The engine's rule is ``controls/quick_pay.py``.

A binding is ``active`` when the processor registers it. The cardholder may suspend it (and
resume it later) or revoke it; revoking is final: the third party must sign a new agreement,
which the processor registers under a new id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smartguard.domain.controls.settings import check_amount
from smartguard.domain.errors import InvalidInput
from smartguard.domain.state import AgreementStatus


class AgreementAction(StrEnum):
    SUSPEND = "suspend"
    RESUME = "resume"
    REVOKE = "revoke"


_TRANSITIONS: dict[AgreementAction, tuple[frozenset[AgreementStatus], AgreementStatus]] = {
    AgreementAction.SUSPEND: (
        frozenset({AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED}), AgreementStatus.SUSPENDED
    ),
    AgreementAction.RESUME: (
        frozenset({AgreementStatus.SUSPENDED, AgreementStatus.ACTIVE}), AgreementStatus.ACTIVE
    ),
    AgreementAction.REVOKE: (frozenset(AgreementStatus), AgreementStatus.REVOKED),
}


def next_agreement_status(
    current: AgreementStatus, action: AgreementAction
) -> AgreementStatus | None:
    """The status after ``action``, or None when it is not allowed (a revoked agreement
    cannot be suspended or resumed). Repeating an action changes nothing."""
    allowed, target = _TRANSITIONS[action]
    return target if current in allowed else None


def agreement_limits(per_txn: int | None, daily: int | None,
                     ceiling: int) -> tuple[int | None, int | None]:
    """Check an agreement's own limits (None: no limit of its own). Each is at most
    ``ceiling`` (the bank's ceiling for online and quick payment, which applies anyway),
    and the per-payment limit is not above the daily one."""
    for name, value in (("per_txn_limit", per_txn), ("daily_limit", daily)):
        if value is None:
            continue
        check_amount(name, value)
        if value > ceiling:
            raise InvalidInput(name, f"{value} is above the bank's ceiling of {ceiling} for "
                               "online and quick payment", "above_ceiling")
    if per_txn is not None and daily is not None and per_txn > daily:
        raise InvalidInput("per_txn_limit", "must not be above daily_limit", "inconsistent")
    return per_txn, daily


@dataclass(frozen=True, slots=True)
class Binding:
    """A quick-payment agreement as the cardholder sees it (the advisor's input)."""

    id: str
    payee: str
    status: AgreementStatus
    created_at: datetime
    last_used_at: datetime | None = None
    per_txn_limit: int | None = None
    daily_limit: int | None = None

    def idle_since(self) -> datetime:
        """When it was last used, or signed if never used."""
        return self.last_used_at or self.created_at
