"""Step-up verification: magnetic-stripe purchases (磁条卡消费交易附加验证) and large
purchases (借记卡大额消费核实) need the cardholder's confirmation, unless a confirmed
challenge for this merchant and amount is waiting to be used (``state.credit``)."""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import MAGSTRIPE_MODES, AuthorizationRequest, MessageKind

_MAGSTRIPE = Verdict(Reason.MAGSTRIPE_VERIFICATION)


def magstripe_verification(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    if not state.controls.verification.magstripe or state.credit is not None:
        return None
    if req.kind is MessageKind.PURCHASE and req.card_present and req.entry_mode in MAGSTRIPE_MODES:
        return _MAGSTRIPE
    return None


def large_purchase_verification(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    settings = state.controls.verification
    if not settings.large_purchase or state.credit is not None:
        return None
    if req.kind is MessageKind.PURCHASE and req.billing_amount >= settings.large_threshold:
        return Verdict(Reason.LARGE_PURCHASE_VERIFICATION, str(settings.large_threshold))
    return None
