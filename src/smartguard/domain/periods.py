"""Calendar days and months in the cardholder's time zone, and the counters a request uses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from smartguard.domain.controls.categories import Category, category_of
from smartguard.domain.controls.spending import CategoryControl
from smartguard.domain.transactions import AuthorizationRequest, Channel

_NONE: Mapping[Category, CategoryControl] = {}

OVERSEAS_CASH = "atm_cash_overseas"


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_time(now: datetime, timezone: str) -> datetime:
    """``now`` (aware) as wall-clock time in ``timezone``."""
    return now.astimezone(zone(timezone))


def day_key(local: datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}-{local.day:02d}"


def month_key(local: datetime) -> str:
    return f"{local.year:04d}-{local.month:02d}"


def counter_keys(request: AuthorizationRequest,
                 categories: Mapping[Category, CategoryControl] = _NONE) -> tuple[str, ...]:
    """The usage counters an approved debit adds to. A merchant category is counted only
    while the card gives it its own daily amount (``categories``: the card's)."""
    keys: tuple[str, ...] = (request.channel.value,)
    if request.channel is Channel.ATM_CASH and not request.is_domestic:
        keys += (OVERSEAS_CASH,)
    if request.agreement_id:
        keys += (agreement_key(request.agreement_id),)
    if categories:
        category = category_of(request.mcc)
        control = categories.get(category) if category is not None else None
        if category is not None and control is not None and control.daily_amount is not None:
            keys += (category_key(category.value),)
    return keys


def category_key(category: str) -> str:
    return f"category:{category}"


def agreement_key(agreement_id: str) -> str:
    return f"agreement:{agreement_id}"
