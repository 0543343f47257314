"""Personal transaction limits (借记卡交易限额个性化定制) under the bank's ceilings.

Each channel has a per-transaction amount, a daily amount, a daily count and a monthly
amount. The personal value applies where set; the bank's ceiling always applies. Days and
months are calendar periods in the cardholder's zone (the usage in the state is already for
the current ones).
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.periods import OVERSEAS_CASH
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest, Channel

_ATM_CASH = Channel.ATM_CASH


def _effective(personal: int | None, ceiling: int) -> tuple[int, str]:
    if personal is not None and personal <= ceiling:
        return personal, "personal"
    return ceiling, "bank"


def amount_limit(req: AuthorizationRequest, state: CardState, local: datetime) -> Verdict | None:
    if not req.is_debit:
        return None
    channel = req.channel
    ceiling = state.ceilings.channels[channel]
    personal = state.controls.limits.get(channel)
    amount = req.billing_amount
    used = state.used(channel)  # a StrEnum: the same key as its value
    day, month = used.day_amount + amount, used.month_amount + amount
    if personal is None:  # the usual case: the bank's ceilings alone (no getattr, no loop)
        name = "per_txn" if amount > ceiling.per_txn else "daily_amount" \
            if day > ceiling.daily_amount else "monthly_amount" \
            if month > ceiling.monthly_amount else None
        if name is not None:
            return Verdict(Reason.AMOUNT_LIMIT, f"{channel.value}.{name}.bank")
    else:
        for name, total in (("per_txn", amount), ("daily_amount", day),
                            ("monthly_amount", month)):
            limit, whose = _effective(getattr(personal, name), getattr(ceiling, name))
            if total > limit:
                return Verdict(Reason.AMOUNT_LIMIT, f"{channel.value}.{name}.{whose}")
    if channel is _ATM_CASH and not req.is_domestic:
        cap = state.ceilings.atm_cash_overseas_daily
        if state.used(OVERSEAS_CASH).day_amount + amount > cap:
            return Verdict(Reason.AMOUNT_LIMIT, f"{OVERSEAS_CASH}.daily_amount.bank")
    return None


def frequency_limit(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    if not req.is_debit:
        return None
    channel = req.channel
    personal = state.controls.limits.get(channel)
    limit, whose = _effective(
        personal.daily_count if personal else None,
        state.ceilings.channels[channel].daily_count,
    )
    if state.used(channel).day_count + 1 > limit:
        return Verdict(Reason.FREQUENCY_LIMIT, f"{channel.value}.daily_count.{whose}")
    return None
