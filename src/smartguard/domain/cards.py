"""Cardholders, accounts and cards."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CardStatus(StrEnum):
    ACTIVE = "active"
    FROZEN = "frozen"  # by the cardholder (page or SMS stop-payment); cardholder may unfreeze
    BLOCKED = "blocked"  # by an operator (e.g. reported lost); only an operator lifts it
    CLOSED = "closed"


class Language(StrEnum):
    ZH_CN = "zh-CN"
    EN = "en"


@dataclass(frozen=True, slots=True)
class Cardholder:
    id: str
    name: str
    phone: str  # E.164, e.g. +8613800138000
    language: Language = Language.ZH_CN
    timezone: str = "Asia/Shanghai"
    phone_verified: bool = False


@dataclass(frozen=True, slots=True)
class Account:
    id: str
    cardholder_id: str
    currency: str = "CNY"
    balance: int = 0  # available balance, minor units


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    cardholder_id: str
    account_id: str
    first6: str
    last4: str
    product: str = "debit_standard"
    status: CardStatus = CardStatus.ACTIVE

    @property
    def masked(self) -> str:
        return f"{self.first6}******{self.last4}"


class StatusAction(StrEnum):
    FREEZE = "freeze"  # cardholder, page or SMS
    UNFREEZE = "unfreeze"  # cardholder, authenticated channel only (never SMS)
    BLOCK = "block"  # operator
    UNBLOCK = "unblock"  # operator
    CLOSE = "close"  # operator


_TRANSITIONS: dict[StatusAction, tuple[frozenset[CardStatus], CardStatus]] = {
    StatusAction.FREEZE: (frozenset({CardStatus.ACTIVE, CardStatus.FROZEN}), CardStatus.FROZEN),
    StatusAction.UNFREEZE: (
        frozenset({CardStatus.FROZEN, CardStatus.ACTIVE}), CardStatus.ACTIVE
    ),
    StatusAction.BLOCK: (
        frozenset({CardStatus.ACTIVE, CardStatus.FROZEN, CardStatus.BLOCKED}),
        CardStatus.BLOCKED,
    ),
    StatusAction.UNBLOCK: (frozenset({CardStatus.BLOCKED}), CardStatus.ACTIVE),
    StatusAction.CLOSE: (frozenset(CardStatus), CardStatus.CLOSED),
}


def next_status(current: CardStatus, action: StatusAction,
                before_block: CardStatus | None = None) -> CardStatus | None:
    """The status after ``action``, or None when the action is not allowed from
    ``current`` (e.g. a cardholder cannot unfreeze a card the bank blocked). Unblocking
    gives back the cardholder's freeze when the card was frozen before the bank blocked
    it (``before_block``): lifting the bank's block must not lift the cardholder's."""
    allowed, target = _TRANSITIONS[action]
    if current not in allowed:
        return None
    if action is StatusAction.UNBLOCK and before_block is CardStatus.FROZEN:
        return CardStatus.FROZEN
    return target
