"""Quick-payment agreements (快捷支付安全管理): a payment through a binding the cardholder
does not know, suspended or revoked, or above the binding's own limits, is declined."""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.periods import agreement_key
from smartguard.domain.state import AgreementStatus, CardState
from smartguard.domain.transactions import AuthorizationRequest

_UNKNOWN = Verdict(Reason.AGREEMENT_UNKNOWN)
_SUSPENDED = Verdict(Reason.AGREEMENT_SUSPENDED)
_REVOKED = Verdict(Reason.AGREEMENT_REVOKED)


def quick_pay_agreement(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    if req.agreement_id is None or not req.is_debit:
        return None
    agreement = state.agreement
    if agreement is None or agreement.id != req.agreement_id:
        return _UNKNOWN
    if agreement.status is AgreementStatus.REVOKED:
        return _REVOKED
    if agreement.status is AgreementStatus.SUSPENDED:
        return _SUSPENDED
    amount = req.billing_amount
    if agreement.per_txn_limit is not None and amount > agreement.per_txn_limit:
        return Verdict(Reason.AGREEMENT_LIMIT, "per_txn")
    if agreement.daily_limit is not None:
        used = state.used(agreement_key(agreement.id)).day_amount
        if used + amount > agreement.daily_limit:
            return Verdict(Reason.AGREEMENT_LIMIT, "daily_amount")
    return None
