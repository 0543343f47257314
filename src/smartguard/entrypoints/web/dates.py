"""Dates and times a cardholder types or picks for a trip, in the page's language rather
than the browser's (``<input type=datetime-local>`` shows ``mm/dd/yyyy --:-- --`` in an
American browser whatever the page's language).

What is written into a field: zh-CN ``2026-12-04 09:00`` (year first, 24-hour: how Chinese
forms write it, and unambiguous), English ``4 Dec 2026 09:00`` (the month as a word, so
never 4 December read as 12 April). Both languages understand both, and also
``2026年12月4日 9:00``, ``2026/12/4``, ``December 4, 2026``, ISO ``2026-12-04T09:00``
(what the old ``datetime-local`` field and the API send) and a date alone (a start from
00:00, an end until 23:59). Numbers only in day/month order (``04/12/2026``) are refused
as ambiguous, next to the field.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from smartguard.domain.errors import InvalidInput

MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")
WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAYS_ZH = ("一", "二", "三", "四", "五", "六", "日")
_MONTH = {m.lower()[:3]: i + 1 for i, m in enumerate(MONTHS_EN)}

_ISO = r"(?P<y>\d{4})\s*[-/.]\s*(?P<mo>\d{1,2})\s*[-/.]\s*(?P<d>\d{1,2})"
_ZH = r"(?P<y>\d{4})\s*年\s*(?P<mo>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*[日号]?"
_DMY = r"(?P<d>\d{1,2})(?:st|nd|rd|th)?\s*(?P<mon>[a-z]{3,9})\.?,?\s*(?P<y>\d{4})"
_MDY = r"(?P<mon>[a-z]{3,9})\.?\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s*(?P<y>\d{4})"
_CLOCK = (r"(?:(?:\s*[t,，]\s*|\s+|(?<=[日号]))(?P<h>\d{1,2})(?:\s*[:：]\s*(?P<mi>\d{2})"
          r"(?:[:：]\d{2})?|\s*[点时]\s*(?:(?P<mi2>\d{1,2})\s*分?)?))?")
_FORMS = [re.compile(rf"^{day}{_CLOCK}$") for day in (_ISO, _ZH, _DMY, _MDY)]
_AMBIGUOUS = re.compile(r"^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{2,4}\b")
END_OF_DAY = time(23, 59, 59)


def _bad(field: str) -> InvalidInput:
    return InvalidInput(field, "give a date such as 2026-12-04 or 4 Dec 2026, and a time "
                        "such as 09:00 if you like", "invalid_datetime")


def _day(found: re.Match[str], field: str) -> date:
    parts = found.groupdict()
    month = int(parts["mo"]) if parts.get("mo") else _MONTH.get((parts["mon"] or "")[:3])
    if month is None:
        raise _bad(field)
    try:
        return date(int(parts["y"]), month, int(parts["d"]))
    except ValueError:
        raise InvalidInput(field, f"there is no such day as {found.group(0).strip()}",
                           "no_such_day") from None


def _clock(found: re.Match[str], field: str, end: bool) -> time:
    parts = found.groupdict()
    if parts["h"] is None:
        return END_OF_DAY if end else time(0, 0)
    hour, minute = int(parts["h"]), int(parts["mi"] or parts["mi2"] or 0)
    if hour == 24 and minute == 0 and end:
        return END_OF_DAY
    if hour > 23 or minute > 59:
        raise InvalidInput(field, "give the time as hours:minutes, 00:00 to 23:59",
                           "invalid_time")
    return time(hour, minute)


def parse(text: str, field: str, end: bool = False) -> datetime:
    """The wall-clock time typed or picked into ``field`` (naive: the cardholder's zone),
    or one with an offset when ISO text gives one. A date alone is the whole day: 00:00
    for a start, 23:59 for an end (``end``)."""
    value = " ".join(text.strip().lower().split())
    if not value:
        raise _bad(field)
    for form in _FORMS:
        found = form.match(value)
        if found:
            return datetime.combine(_day(found, field), _clock(found, field, end))
    try:
        return datetime.fromisoformat(value.upper())  # seconds, an offset: as the API
    except ValueError:
        pass
    if _AMBIGUOUS.match(value):
        raise InvalidInput(field, f"{text.strip()} could be read two ways; write the month "
                           "as a word (4 Dec 2026) or the year first (2026-12-04)",
                           "ambiguous_date")
    raise _bad(field)


def field_text(at: datetime, lang: str) -> str:
    """A wall-clock time as the page writes it into a field (and the picker does)."""
    if lang == "zh-CN":
        return f"{at:%Y-%m-%d %H:%M}"
    return f"{at.day} {MONTHS_EN[at.month - 1][:3]} {at:%Y %H:%M}"


def picker(lang: str, today: date) -> dict[str, Any]:
    """What ``static/sg-dates.js`` needs to draw a month and write the chosen day: the
    names of months and weekdays in the page's language (Monday first) and the days a
    trip can start or end (from today in the cardholder's zone, for a year)."""
    zh = lang == "zh-CN"
    return {"lang": lang, "today": today.isoformat(),
            "last": (today + timedelta(days=366)).isoformat(),
            "months": ",".join(f"{i}月" for i in range(1, 13)) if zh else ",".join(MONTHS_EN),
            "weekdays": ",".join(WEEKDAYS_ZH if zh else WEEKDAYS_EN)}
