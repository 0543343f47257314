"""Values of the controls beyond Smart Guard (SPEC 3.12): channel switches, merchant
categories, merchants, timed unlocks and alert-only mode, and their validation.

A *target* names what a timed unlock opens or what alert-only softens: a lock
(``region_lock``), a switch (``switches.atm_cash``) or, for alert-only, a category
(``categories.gambling``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from smartguard.domain.controls.categories import Category
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import check_amount

MIN_UNLOCK = timedelta(minutes=15)
MAX_UNLOCK = timedelta(hours=24)
MAX_MERCHANTS = 50  # per list
MERCHANT_ID_MAX = 15  # ISO 8583 field 42, card acceptor identification (ans 15)
MERCHANT_NAME_MAX = 40


class Switch(StrEnum):
    """The channels a cardholder switches on and off (all on for a new card)."""

    ATM_CASH = "atm_cash"  # cash at an ATM or self-service kiosk
    POS = "pos"  # card-present debits at a POS
    ONLINE_DOMESTIC = "online_domestic"  # card not present, mainland merchant
    ONLINE_OVERSEAS = "online_overseas"  # card not present, overseas merchant
    CONTACTLESS = "contactless"  # card present, read contactless
    ABROAD = "abroad"  # every debit at an overseas merchant
    QUICK_PAY = "quick_pay"  # through a third-party quick-payment agreement


@dataclass(frozen=True, slots=True)
class Switches:
    off: frozenset[Switch] = frozenset()

    def is_on(self, switch: Switch) -> bool:
        return switch not in self.off


@dataclass(frozen=True, slots=True)
class CategoryControl:
    """A category's control: blocked, and/or its own daily amount. A block being lifted
    under a cool-down stays ``blocked`` until the instant ``lifts_at``."""

    blocked: bool = False
    daily_amount: int | None = None
    lifts_at: datetime | None = None

    def blocks_at(self, instant: datetime) -> bool:
        return self.blocked and (self.lifts_at is None or instant < self.lifts_at)


@dataclass(frozen=True, slots=True)
class Merchants:
    """Merchants (by card acceptor id) blocked, and allowed through locks and switches;
    each id maps to the name the cardholder saw."""

    blocked: Mapping[str, str] = field(default_factory=dict)
    allowed: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Unlock:
    """A target opened from ``starts_at`` (included) to ``ends_at`` (excluded), UTC."""

    target: str
    starts_at: datetime
    ends_at: datetime

    def open_at(self, instant: datetime) -> bool:
        return self.starts_at <= instant < self.ends_at


LOCK_TARGETS = ("region_lock", "overseas_lock", "night_lock", "overseas_cnp_lock")
UNLOCK_TARGETS = LOCK_TARGETS + tuple(f"switches.{s}" for s in Switch)
ALERT_TARGETS = UNLOCK_TARGETS + tuple(f"categories.{c}" for c in Category)


_SWITCH_TARGETS = {s: f"switches.{s.value}" for s in Switch}


def switch_target(switch: Switch) -> str:
    return _SWITCH_TARGETS[switch]


_CATEGORY_TARGETS = {c: f"categories.{c.value}" for c in Category}


def category_target(c: Category) -> str:
    return _CATEGORY_TARGETS[c]


def target(name: str, allowed: tuple[str, ...], where: str = "target") -> str:
    if name not in allowed:
        raise InvalidInput(where, f"unknown target {name!r}; one of: " + ", ".join(allowed),
                           "unknown_target")
    return name


def switch(name: str, where: str = "switch") -> Switch:
    try:
        return Switch(name)
    except ValueError:
        raise InvalidInput(where, f"unknown channel {name!r}; one of: "
                           + ", ".join(Switch), "unknown_channel") from None


def category_control(blocked: bool, daily_amount: int | None) -> CategoryControl:
    if daily_amount is not None:
        check_amount("daily_amount", daily_amount)
    return CategoryControl(blocked, daily_amount)


def merchant_id(raw: str, where: str = "merchant_id") -> str:
    value = raw.strip()
    if not value or len(value) > MERCHANT_ID_MAX or not value.isprintable():
        raise InvalidInput(where, f"a merchant id is 1 to {MERCHANT_ID_MAX} printable "
                           "characters (ISO 8583 field 42)", "invalid_merchant_id")
    return value


def merchant_name(raw: str) -> str:
    value = " ".join(raw.split())
    if len(value) > MERCHANT_NAME_MAX or not value.isprintable():
        raise InvalidInput("name", f"a merchant name is at most {MERCHANT_NAME_MAX} "
                           "printable characters")
    return value


def unlock(name: str, now: datetime, minutes: int) -> Unlock:
    """Open ``name`` from ``now`` for ``minutes`` (15 minutes to 24 hours)."""
    target(name, UNLOCK_TARGETS)
    if isinstance(minutes, bool) or not isinstance(minutes, int):
        raise InvalidInput("minutes", "a whole number of minutes")
    length = timedelta(minutes=minutes)
    if not MIN_UNLOCK <= length <= MAX_UNLOCK:
        raise InvalidInput("minutes", "an unlock lasts 15 minutes to 24 hours (1440)",
                           "unlock_length")
    start = now.astimezone(UTC)
    return Unlock(name, start, start + length)
