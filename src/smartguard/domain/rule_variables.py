"""The variables a monitoring rule may name (docs/rules.md#variables), and their values for
one request.

Every variable is a scalar (bool, int, string): the rule language converts a value each
time a rule reads it, and scalars are the cheap ones; lists (the provinces ever used) are
offered as the questions rules ask of them (``province_first_use``). :class:`Variables` is
the resolver handed to the language: a value is computed when a rule first reads it, once
per request, so a rule that fails on its first test costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from smartguard.domain.activity import (
    CHANGE_KINDS,
    NEVER,
    CardActivity,
    minutes_between,
    window_features,
)
from smartguard.domain.centroids import distance_km
from smartguard.domain.controls.values import Controls
from smartguard.domain.transactions import AuthorizationRequest

_REQUEST: dict[str, object] = {
    "amount": 10_000, "kind": "purchase", "channel": "pos", "terminal": "pos",
    "card_present": True, "entry_mode": "chip", "mcc": "5411", "country": "CN",
    "province": "CN-BJ", "city": "Beijing", "merchant_id": "M1", "local_hour": 12,
    "local_weekday": 1, "pin_verified": False, "domestic": True, "quick_pay": False,
}
_CARD: dict[str, object] = {
    "card_status": "active", "product": "debit_standard", "card_age_days": 365,
    "region_lock_on": False, "overseas_lock_on": False, "night_lock_on": False,
    "overseas_cnp_lock_on": False,
}
_PLACES: dict[str, object] = {
    "province_first_use": False, "country_first_use": False, "provinces_ever": 1,
    "countries_ever": 1, "minutes_since_inquiry": NEVER, "inquiry_province": "",
    "inquiry_country": "", "inquiry_city": "", "minutes_since_last": NEVER,
    "km_from_last": 0, "speed_kmh": 0, "minutes_since_new_country": NEVER,
    **{f"minutes_since_{k}_change": NEVER for k in CHANGE_KINDS},
}
_WINDOWS: dict[str, object] = dict.fromkeys(window_features(CardActivity("UTC"),
                                                            datetime.now(UTC)), 0)

#: Every variable with a sample value (its type): the compiler checks names and the
#: result's type against these.
SAMPLES: dict[str, object] = {**_REQUEST, **_CARD, **_PLACES, **_WINDOWS}


class Variables:
    """The values of :data:`SAMPLES`' names for one request, computed when first read."""

    __slots__ = ("_activity", "_controls", "_local", "_now", "_product", "_request",
                 "_status", "_values")

    def __init__(self, request: AuthorizationRequest, status: str, product: str,
                 controls: Controls, activity: CardActivity, now: datetime,
                 local: datetime) -> None:
        self._request, self._status, self._product = request, status, product
        self._controls, self._activity = controls, activity
        self._now, self._local = now.astimezone(UTC), local
        self._values: dict[str, object] = {}

    def __call__(self, name: str) -> object:
        values = self._values
        if name in values:
            return values[name]
        compute = _GROUPS.get(name)
        if compute is None:
            return None  # unknown: the language reports it
        values.update(compute(self))
        return values.get(name)

    def _request_values(self) -> dict[str, object]:
        r = self._request
        return {
            "amount": r.billing_amount, "kind": r.kind.value, "channel": r.channel.value,
            "terminal": r.terminal.value, "card_present": r.card_present,
            "entry_mode": r.entry_mode.value, "mcc": r.mcc, "country": r.country,
            "province": r.region or "", "city": r.city, "merchant_id": r.merchant_id,
            "local_hour": self._local.hour, "local_weekday": self._local.isoweekday(),
            "pin_verified": r.pin_verified, "domestic": r.is_domestic,
            "quick_pay": r.agreement_id is not None,
        }

    def _card_values(self) -> dict[str, object]:
        c = self._controls
        enrolled = self._activity.changes.get("enrolled")
        age = NEVER if enrolled is None else max(0, (self._now - enrolled).days)
        return {
            "card_status": self._status, "product": self._product, "card_age_days": age,
            "region_lock_on": c.region_lock.enabled, "overseas_lock_on": c.overseas_lock.enabled,
            "night_lock_on": c.night_lock.enabled, "overseas_cnp_lock_on": c.overseas_cnp_lock,
        }

    def _place_values(self) -> dict[str, object]:
        a, r, now = self._activity, self._request, self._now
        province = r.region or ""
        values: dict[str, object] = {
            "province_first_use": bool(province) and province not in a.provinces,
            "country_first_use": r.country not in a.countries,
            "provinces_ever": len(a.provinces), "countries_ever": len(a.countries),
            "minutes_since_new_country": minutes_between(a.new_country_at, now),
            **{f"minutes_since_{k}_change": minutes_between(a.changes.get(k), now)
               for k in CHANGE_KINDS},
        }
        inquiry = a.inquiry
        values["minutes_since_inquiry"] = minutes_between(inquiry.at if inquiry else None, now)
        values["inquiry_province"] = inquiry.province if inquiry else ""
        values["inquiry_country"] = inquiry.country if inquiry else ""
        values["inquiry_city"] = inquiry.city if inquiry else ""
        values.update(self._travel())
        return values

    def _travel(self) -> dict[str, object]:
        last, r = self._activity.last, self._request
        if last is None:
            return {"minutes_since_last": NEVER, "km_from_last": 0, "speed_kmh": 0}
        seconds = max(0.0, (self._now - last.at).total_seconds())
        here = r.region or r.country
        km = distance_km(last.province or last.country, here) or 0
        speed = NEVER if km and seconds < 1 else (round(km * 3600 / seconds) if km else 0)
        return {"minutes_since_last": int(seconds // 60), "km_from_last": km,
                "speed_kmh": speed}

    def _window_values(self) -> dict[str, object]:
        return dict(window_features(self._activity, self._now))


_Group = Callable[[Variables], dict[str, object]]
_GROUPS: dict[str, _Group] = {
    **dict.fromkeys(_REQUEST, Variables._request_values),
    **dict.fromkeys(_CARD, Variables._card_values),
    **dict.fromkeys(_PLACES, Variables._place_values),
    **dict.fromkeys(_WINDOWS, Variables._window_values),
}
