"""A card's protection settings, the bank's ceilings, and their validation.

Settings are frozen values: a change builds a new value (so the audit keeps old and new).
Validation raises :class:`InvalidInput` naming the field; nothing is half-changed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import time
from enum import StrEnum
from typing import Any

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Merchants, Switches, Unlock
from smartguard.domain.errors import InvalidInput
from smartguard.domain.geography import country_code, province_code
from smartguard.domain.money import check_amount
from smartguard.domain.transactions import Channel

MAX_PLACES = 3
DEFAULT_LARGE_THRESHOLD = 500_000  # 5,000.00 CNY


class NightScope(StrEnum):
    DOMESTIC = "domestic"  # domestic offline transactions (default, as ICBC)
    ALL = "all"  # every debit: offline anywhere, and card-not-present / quick payment


@dataclass(frozen=True, slots=True)
class RegionLock:
    enabled: bool = False
    places: tuple[str, ...] = ()  # 1-3 mainland provinces, ISO 3166-2:CN


@dataclass(frozen=True, slots=True)
class OverseasLock:
    enabled: bool = False
    places: tuple[str, ...] = ()  # 0-3 overseas countries/regions, ISO 3166-1 alpha-2


@dataclass(frozen=True, slots=True)
class NightLock:
    enabled: bool = False
    start: time = time(23, 0)
    end: time = time(5, 0)
    scope: NightScope = NightScope.DOMESTIC

    def covers(self, local: time) -> bool:
        """Is ``local`` (cardholder's wall-clock time) inside [start, end)?"""
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """Per-channel limits; None means "no personal limit" (the bank's ceiling still applies)."""

    per_txn: int | None = None
    daily_amount: int | None = None
    daily_count: int | None = None
    monthly_amount: int | None = None


@dataclass(frozen=True, slots=True)
class Verification:
    magstripe: bool = True
    large_purchase: bool = False
    large_threshold: int = DEFAULT_LARGE_THRESHOLD


@dataclass(frozen=True, slots=True)
class Controls:
    region_lock: RegionLock = RegionLock()
    overseas_lock: OverseasLock = OverseasLock()
    night_lock: NightLock = NightLock()
    overseas_cnp_lock: bool = False
    verification: Verification = Verification()
    limits: Mapping[Channel, ChannelLimits] = field(default_factory=dict)
    switches: Switches = field(default_factory=Switches)
    categories: Mapping[Category, CategoryControl] = field(default_factory=dict)
    merchants: Merchants = field(default_factory=Merchants)
    unlocks: tuple[Unlock, ...] = ()
    alert_only: frozenset[str] = frozenset()


class Protection(StrEnum):
    """The protections a cardholder can change, as named in the API and the audit trail
    (each is a field of :class:`Controls`)."""

    REGION_LOCK = "region_lock"
    OVERSEAS_LOCK = "overseas_lock"
    NIGHT_LOCK = "night_lock"
    OVERSEAS_CNP_LOCK = "overseas_cnp_lock"
    VERIFICATION = "verification"
    LIMITS = "limits"
    SWITCHES = "switches"
    CATEGORIES = "categories"
    MERCHANTS = "merchants"
    UNLOCKS = "unlocks"
    ALERT_ONLY = "alert_only"


ProtectionValue = (RegionLock | OverseasLock | NightLock | bool | Verification
                   | Mapping[Channel, ChannelLimits] | Switches
                   | Mapping[Category, CategoryControl] | Merchants | tuple[Unlock, ...]
                   | frozenset[str])
_VALUE_TYPES: dict[Protection, type | tuple[type, ...]] = {
    Protection.REGION_LOCK: RegionLock, Protection.OVERSEAS_LOCK: OverseasLock,
    Protection.NIGHT_LOCK: NightLock, Protection.OVERSEAS_CNP_LOCK: bool,
    Protection.VERIFICATION: Verification, Protection.LIMITS: Mapping,
    Protection.SWITCHES: Switches, Protection.CATEGORIES: Mapping,
    Protection.MERCHANTS: Merchants, Protection.UNLOCKS: tuple,
    Protection.ALERT_ONLY: frozenset,
}


@dataclass(frozen=True, slots=True)
class ProtectionChange:
    """One protection of a card and its new value, already validated (by the builders
    below); a value of the wrong kind for its protection is refused here."""

    protection: Protection
    value: ProtectionValue

    def __post_init__(self) -> None:
        if not isinstance(self.value, _VALUE_TYPES[self.protection]):
            raise InvalidInput(self.protection.value, f"{type(self.value).__name__} is not "
                               f"a value for {self.protection.value}")

    def applied_to(self, controls: Controls) -> Controls:
        changed: dict[str, Any] = {self.protection.value: self.value}
        return replace(controls, **changed)


@dataclass(frozen=True, slots=True)
class ChannelCeiling:
    """The bank's ceiling for one channel of a card product: every value is set."""

    per_txn: int
    daily_amount: int
    daily_count: int
    monthly_amount: int


@dataclass(frozen=True, slots=True)
class Ceilings:
    """The bank's ceilings for one card product: every channel has its own."""

    channels: Mapping[Channel, ChannelCeiling]
    atm_cash_overseas_daily: int


def _cny(yuan: int) -> int:
    return yuan * 100


#: Modelled on common Chinese rules (ATM cash 20,000 CNY a day domestically, 10,000 abroad).
DEFAULT_CEILINGS = Ceilings(
    channels={
        Channel.ATM_CASH: ChannelCeiling(_cny(5_000), _cny(20_000), 20, _cny(200_000)),
        Channel.ATM_TRANSFER: ChannelCeiling(_cny(50_000), _cny(50_000), 20, _cny(500_000)),
        Channel.POS: ChannelCeiling(_cny(500_000), _cny(500_000), 100, _cny(2_000_000)),
        Channel.ONLINE: ChannelCeiling(_cny(50_000), _cny(50_000), 50, _cny(200_000)),
    },
    atm_cash_overseas_daily=_cny(10_000),
)


def region_lock(enabled: bool, places: list[str] | tuple[str, ...]) -> RegionLock:
    codes = _places(places, "region_lock.places", province_code)
    if enabled and not codes:
        raise InvalidInput("region_lock.places", "choose 1 to 3 provinces", "places_required")
    return RegionLock(enabled, codes)


def overseas_lock(enabled: bool, places: list[str] | tuple[str, ...]) -> OverseasLock:
    return OverseasLock(enabled, _places(places, "overseas_lock.places", _overseas_country))


def night_lock(enabled: bool, start: time, end: time, scope: str = "domestic") -> NightLock:
    for name, value in (("start", start), ("end", end)):
        if value.second or value.microsecond or value.tzinfo is not None:
            raise InvalidInput(f"night_lock.{name}", "give a wall-clock time as HH:MM")
    if start == end:
        raise InvalidInput("night_lock.end", "the window must not start and end at the "
                           "same time", "empty_window")
    try:
        night_scope = NightScope(scope)
    except ValueError:
        raise InvalidInput("night_lock.scope", "must be 'domestic' or 'all'") from None
    return NightLock(enabled, start, end, night_scope)


def verification(magstripe: bool, large_purchase: bool, large_threshold: int) -> Verification:
    check_amount("verification.large_threshold", large_threshold)
    return Verification(magstripe, large_purchase, large_threshold)


LIMIT_NAMES = ("per_txn", "daily_amount", "daily_count", "monthly_amount")


def channel_limits(channel: Channel, limits: ChannelLimits, ceilings: Ceilings) -> ChannelLimits:
    """Check a channel's personal limits against the bank ceiling for that channel."""
    ceiling = ceilings.channels[channel]
    for name in LIMIT_NAMES:
        value = getattr(limits, name)
        if value is None:
            continue
        where = f"limits.{channel.value}.{name}"
        check_amount(where, value) if name != "daily_count" else _check_count(where, value)
        cap = getattr(ceiling, name)
        if value > cap:
            raise InvalidInput(where, f"{value} is above the bank's ceiling of {cap}",
                               "above_ceiling")
    return limits


def ceilings(channels: Mapping[Channel, ChannelCeiling], atm_cash_overseas_daily: int
             ) -> Ceilings:
    """The bank's ceilings for a product, checked: every channel, every value valid."""
    missing = set(Channel) - set(channels)
    if missing:
        raise InvalidInput("channels", "every channel needs ceilings; missing: "
                           + ", ".join(sorted(m.value for m in missing)))
    for ch, c in channels.items():
        for name in LIMIT_NAMES:
            where = f"ceilings.{ch.value}.{name}"
            value = getattr(c, name)
            check_amount(where, value) if name != "daily_count" else _check_count(where, value)
    check_amount("ceilings.atm_cash_overseas_daily", atm_cash_overseas_daily)
    return Ceilings(dict(channels), atm_cash_overseas_daily)


def _check_count(field_name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 10_000:
        raise InvalidInput(field_name, "must be a count between 1 and 10000")


def _places(places: list[str] | tuple[str, ...], where: str,
            norm: Callable[[str, str], str]) -> tuple[str, ...]:
    if len(places) > MAX_PLACES:
        raise InvalidInput(where, f"choose at most {MAX_PLACES} places", "too_many_places")
    codes: list[str] = []
    for raw in places:
        code = norm(raw, where)
        if code not in codes:
            codes.append(code)
    return tuple(codes)


def _overseas_country(raw: str, where: str) -> str:
    code = country_code(raw, where)
    if code == "CN":
        raise InvalidInput(where, "CN (mainland China) is not an overseas place",
                           "not_overseas")
    return code
