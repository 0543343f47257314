"""Form text -> domain values. People type amounts in yuan (``5000``, ``5,000.50``); the
domain counts fen. A value that cannot be read is an :class:`InvalidInput` naming the
field, shown next to it like the domain's own validation errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time

from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import CURRENCIES

_AMOUNT = re.compile(r"^[0-9]{1,12}(\.[0-9]{1,3})?$")


def checked(values: Mapping[str, str], name: str) -> bool:
    return values.get(name) == "on"


def amount(text: str, field: str, currency: str = "CNY") -> int | None:
    """``"5,000.50"`` -> 500050 (minor units); empty -> None."""
    raw = text.strip().replace(",", "").replace("¥", "").replace("，", "")
    if not raw:
        return None
    places = CURRENCIES.get(currency, 2)
    match = _AMOUNT.match(raw)
    if match is None or len(match.group(1) or ".") - 1 > places:
        raise InvalidInput(field, "enter an amount such as 5000 or 5000.50",
                           "invalid_amount_text")
    whole, _, frac = raw.partition(".")
    scale: int = 10**places
    return int(whole) * scale + int(frac.ljust(places, "0") or 0)


def amount_text(minor: int | None, currency: str = "CNY") -> str:
    """The value an amount field shows: ``500000`` -> ``"5000.00"``; None -> ``""``."""
    if minor is None:
        return ""
    places = CURRENCIES.get(currency, 2)
    scale: int = 10**places
    whole, frac = divmod(minor, scale)
    return f"{whole}.{frac:0{places}d}" if places else str(whole)


def count(text: str, field: str) -> int | None:
    raw = text.strip()
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise InvalidInput(field, "enter a whole number of transactions", "invalid_count")
    return int(raw)


def clock_time(text: str, field: str) -> time:
    """``"23:00"`` (what a time input sends) -> 23:00."""
    if not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", text.strip()):
        raise InvalidInput(field, "give a wall-clock time as HH:MM", "invalid_time")
    hour, minute = (int(p) for p in text.strip().split(":"))
    if hour > 23:
        raise InvalidInput(field, "give a wall-clock time as HH:MM", "invalid_time")
    return time(hour, minute)
