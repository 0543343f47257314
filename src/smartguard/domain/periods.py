"""Calendar days and months in the cardholder's time zone, and the counters a request uses."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from smartguard.domain.transactions import AuthorizationRequest, Channel

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


def counter_keys(request: AuthorizationRequest) -> tuple[str, ...]:
    """The usage counters an approved debit adds to."""
    keys: tuple[str, ...] = (request.channel.value,)
    if request.channel is Channel.ATM_CASH and not request.is_domestic:
        keys += (OVERSEAS_CASH,)
    if request.agreement_id:
        keys += (agreement_key(request.agreement_id),)
    return keys


def agreement_key(agreement_id: str) -> str:
    return f"agreement:{agreement_id}"
