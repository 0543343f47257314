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

from smartguard.domain import alert_texts as t
from smartguard.domain.alerts import Alert, AlertKind, Recipient
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import check_amount, format_amount
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


def binding_alert(to: Recipient, b: Binding) -> Alert:
    """The security alert for a new binding: hidden, "default-ticked" bindings are a known
    fraud, so the cardholder hears of every one (SMS always)."""
    i = t.index(to.language)
    limit = ""
    if b.daily_limit is not None:
        amount = format_amount(b.daily_limit)
        limit = f"，日限额{amount}" if i == 0 else f", daily limit {amount}"
    body = t.SIGNATURE[i] + t.text(
        "agreement_registered", to.language, card=t.CARD[i].format(last4=to.last4),
        last4=to.last4, payee=b.payee, limit=limit)
    data = {"card_id": to.card_id, "last4": to.last4 or None,
            "event": "agreement_registered", "agreement_id": b.id, "payee": b.payee,
            "daily_limit": b.daily_limit, "per_txn_limit": b.per_txn_limit,
            "at": b.created_at.isoformat()}
    return Alert(AlertKind.SECURITY, "security.agreement_registered", to, body, data)
