"""What the check-up looks at: one card's settings, its recorded history, its quick-payment
agreements and its cardholder, at one instant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from smartguard.domain.advisor.history import Past
from smartguard.domain.agreements import Binding
from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import DEFAULT_CEILINGS, Ceilings, Controls
from smartguard.domain.geography import place_name
from smartguard.domain.money import format_amount

#: How far back recommendations learn from, and the windows of the activity checks.
LOOKBACK = timedelta(days=365)
RECENT = timedelta(days=30)
DORMANT = timedelta(days=90)


@dataclass(frozen=True, slots=True)
class Subject:
    controls: Controls
    now: datetime
    history: tuple[Past, ...] = ()  # oldest first
    bindings: tuple[Binding, ...] = ()
    timezone: str = "Asia/Shanghai"
    phone_verified: bool = False
    status: CardStatus = CardStatus.ACTIVE
    ceilings: Ceilings = DEFAULT_CEILINGS

    def since(self, window: timedelta) -> list[Past]:
        start = self.now - window
        return [p for p in self.history if p.at >= start]


def describe(p: Past, timezone: str, language: str) -> str:
    """``03-01 02:13 Guangdong ¥2,000.00`` (amount omitted for a balance inquiry); the
    merchant instead of the place for a payment made without the card."""
    when = p.local(timezone).strftime("%m-%d %H:%M")
    q = p.request
    if not q.card_present:
        place = q.merchant_name or q.merchant_id or ("网上支付" if language == "zh-CN"
                                                     else "online")
        if not q.is_domestic:
            place = f"{place} ({place_name(q.country, language)})"
    else:
        place = place_name(p.place, language) if p.place != "?" else "?"
    amount = q.billing_amount
    return f"{when} {place}" + (f" {format_amount(amount)}" if amount else "")


def listing(items: list[Past], timezone: str, language: str, most: int = 3) -> str:
    shown = [describe(p, timezone, language) for p in items[-most:]]
    sep = "；" if language == "zh-CN" else "; "
    more = len(items) - len(shown)
    tail = (f"{sep}另有{more}笔" if language == "zh-CN" else f"{sep}and {more} more") \
        if more > 0 else ""
    return sep.join(shown) + tail
