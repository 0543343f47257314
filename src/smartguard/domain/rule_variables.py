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
    WINDOW_NAMES,
    CardActivity,
    minutes_between,
    window_features,
    window_names,
    window_values,
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


class Variables(dict[str, object]):
    """The values of :data:`SAMPLES`' names for one request, computed when first read: a
    name alone when it is cheap, else with its group (one window's features, the inquiry,
    the travel from the last place). Calling it reads a name (an unknown one: None); a
    name read before is a plain dict lookup."""

    __slots__ = ("_activity", "_controls", "_local", "_now", "_product", "_request",
                 "_status")

    def __init__(self, request: AuthorizationRequest, status: str, product: str,
                 controls: Controls, activity: CardActivity, now: datetime,
                 local: datetime) -> None:
        super().__init__()
        self._request, self._status, self._product = request, status, product
        self._controls, self._activity = controls, activity
        self._now = now if now.tzinfo is UTC else now.astimezone(UTC)
        self._local = local

    __call__ = dict.__getitem__

    def __missing__(self, name: str) -> object:
        one = _ONE.get(name)
        if one is not None:
            value = self[name] = one(self)
            return value
        compute = _GROUPS.get(name)
        if compute is None:
            return None  # unknown: the language reports it
        self.update(compute(self))
        return self.get(name)

    def _age(self) -> int:
        enrolled = self._activity.changes.get("enrolled")
        return NEVER if enrolled is None else max(0, (self._now - enrolled).days)

    def _first_use(self, country: bool) -> bool:
        a, r = self._activity, self._request
        if country:
            return r.country not in a.countries
        return bool(r.region) and r.region not in a.provinces

    def _since(self, at: datetime | None) -> int:
        return minutes_between(at, self._now)

    def _inquiry(self) -> dict[str, object]:
        inquiry = self._activity.inquiry
        if inquiry is None:
            return {"minutes_since_inquiry": NEVER, "inquiry_province": "",
                    "inquiry_country": "", "inquiry_city": ""}
        return {"minutes_since_inquiry": self._since(inquiry.at),
                "inquiry_province": inquiry.province, "inquiry_country": inquiry.country,
                "inquiry_city": inquiry.city}

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


_One = Callable[[Variables], object]
_Group = Callable[[Variables], dict[str, object]]
_ONE: dict[str, _One] = {
    "amount": lambda v: v._request.billing_amount,
    "kind": lambda v: v._request.kind.value,
    "channel": lambda v: v._request.channel.value,
    "terminal": lambda v: v._request.terminal.value,
    "card_present": lambda v: v._request.card_present,
    "entry_mode": lambda v: v._request.entry_mode.value,
    "mcc": lambda v: v._request.mcc,
    "country": lambda v: v._request.country,
    "province": lambda v: v._request.region or "",
    "city": lambda v: v._request.city,
    "merchant_id": lambda v: v._request.merchant_id,
    "local_hour": lambda v: v._local.hour,
    "local_weekday": lambda v: v._local.isoweekday(),
    "pin_verified": lambda v: v._request.pin_verified,
    "domestic": lambda v: v._request.is_domestic,
    "quick_pay": lambda v: v._request.agreement_id is not None,
    "card_status": lambda v: v._status,
    "product": lambda v: v._product,
    "card_age_days": Variables._age,
    "region_lock_on": lambda v: v._controls.region_lock.enabled,
    "overseas_lock_on": lambda v: v._controls.overseas_lock.enabled,
    "night_lock_on": lambda v: v._controls.night_lock.enabled,
    "overseas_cnp_lock_on": lambda v: v._controls.overseas_cnp_lock,
    "province_first_use": lambda v: v._first_use(False),
    "country_first_use": lambda v: v._first_use(True),
    "provinces_ever": lambda v: len(v._activity.provinces),
    "countries_ever": lambda v: len(v._activity.countries),
    "minutes_since_new_country": lambda v: v._since(v._activity.new_country_at),
}


def _change(kind: str) -> _One:
    return lambda v: v._since(v._activity.changes.get(kind))


def _window_group(window: str) -> _Group:
    return lambda v: dict(window_values(v._activity, v._now, window))


_ONE.update({f"minutes_since_{k}_change": _change(k) for k in CHANGE_KINDS})
_GROUPS: dict[str, _Group] = {
    **dict.fromkeys(("minutes_since_inquiry", "inquiry_province", "inquiry_country",
                     "inquiry_city"), Variables._inquiry),
    **dict.fromkeys(("minutes_since_last", "km_from_last", "speed_kmh"), Variables._travel),
}
for _window in WINDOW_NAMES:
    _GROUPS.update(dict.fromkeys(window_names(_window), _window_group(_window)))
