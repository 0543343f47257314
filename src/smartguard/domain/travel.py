"""Travel exceptions: a temporary allowance that opens the region lock for one province, or
the overseas lock for one country, from a start to an end instant, and expires by itself.

Times a cardholder types ("from 10 March 08:00 to 15 March 22:00") are wall-clock times in
their home zone; an instant with an offset is taken as it is. Both are kept as UTC instants,
and the engine compares instants (``TravelAllowance.active_at``), so an allowance opens and
closes at the same moment whatever zone the guard, the terminal or the database is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from smartguard.domain import alert_texts as t
from smartguard.domain.alerts import Alert, AlertKind, Recipient, when
from smartguard.domain.errors import InvalidInput
from smartguard.domain.geography import (
    OVERSEAS_DIVISIONS,
    country_code,
    normalize_country,
    place_name,
    province_code,
)
from smartguard.domain.periods import zone

#: The longest a travel exception may run, and how far ahead it may start.
MAX_DURATION = timedelta(days=180)
MAX_LEAD = timedelta(days=366)


class PlaceKind(StrEnum):
    REGION = "region"  # a mainland province: opens the region lock
    OVERSEAS = "overseas"  # a country or region abroad: opens the overseas lock


def travel_place(raw: str, field: str = "place") -> tuple[str, PlaceKind]:
    """``CN-GD``, ``44`` or ``440000`` name a province; ``JP`` or ``HK`` (also ``CN-HK``) an
    overseas place. A bare two-letter code is always a country (``SH`` is Saint Helena;
    Shanghai is ``CN-SH``)."""
    value = raw.strip().upper()
    if value in OVERSEAS_DIVISIONS:
        return OVERSEAS_DIVISIONS[value], PlaceKind.OVERSEAS
    if value.startswith("CN-") or value.isdigit():
        return province_code(value, field), PlaceKind.REGION
    if normalize_country(value) is None:
        raise InvalidInput(field, f"'{raw}' is neither a province (CN-XX) nor an ISO 3166-1 "
                           "country code", "unknown_place")
    country = country_code(value, field)
    if country == "CN":
        raise InvalidInput(field, "give the province (CN-XX) for a trip in mainland China",
                           "province_required")
    return country, PlaceKind.OVERSEAS


def to_instant(value: datetime, timezone: str, field: str) -> datetime:
    """An aware UTC instant. A naive ``value`` is wall-clock time in ``timezone``: a time
    skipped by a daylight-saving change is refused; a repeated one means its first
    occurrence."""
    if value.tzinfo is not None:
        return value.astimezone(UTC)
    tz = zone(timezone)
    aware = value.replace(tzinfo=tz, fold=0)
    instant = aware.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != value:
        raise InvalidInput(field, f"{value.isoformat()} does not exist in {timezone} "
                           "(clocks skip it)", "nonexistent_time")
    return instant


@dataclass(frozen=True, slots=True)
class TravelPlan:
    """A validated travel exception, ready to be stored."""

    place: str
    kind: PlaceKind
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC


def plan_travel(place: str, starts_at: datetime, ends_at: datetime, timezone: str,
                now: datetime) -> TravelPlan:
    code, kind = travel_place(place)
    start = to_instant(starts_at, timezone, "starts_at")
    end = to_instant(ends_at, timezone, "ends_at")
    if end <= start:
        raise InvalidInput("ends_at", "must be after starts_at", "empty_window")
    if end <= now:
        raise InvalidInput("ends_at", "must be in the future", "in_the_past")
    if end - start > MAX_DURATION:
        raise InvalidInput("ends_at", f"a travel exception runs at most {MAX_DURATION.days} "
                           "days", "too_long")
    if start - now > MAX_LEAD:
        raise InvalidInput("starts_at", "must be within a year from now", "too_far")
    return TravelPlan(code, kind, start, end)


class TravelEvent(StrEnum):
    STARTED = "started"
    ENDED = "ended"


def travel_alert(to: Recipient, event: TravelEvent, place: str, starts_at: datetime,
                 ends_at: datetime, at: datetime) -> Alert:
    """The security alert for a travel exception that starts or ends (SMS always)."""
    i = t.index(to.language)
    name = f"travel_{event.value}"
    body = t.SIGNATURE[i] + t.text(
        name, to.language, card=t.CARD[i].format(last4=to.last4), last4=to.last4,
        place=place_name(place, to.language), start=when(starts_at, to), end=when(ends_at, to))
    data = {"card_id": to.card_id, "last4": to.last4 or None, "event": name, "place": place,
            "starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat(),
            "at": at.isoformat()}
    return Alert(AlertKind.SECURITY, f"security.{name}", to, body, data)
