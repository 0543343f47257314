"""Configurations written in the scenario (``[configurations.NAME]`` in TOML), read into
:class:`Configuration` values with the domain's own validating builders.

A configuration starts from ``base`` ("off": every protection off, the stripe check too;
"icbc": ICBC's defaults) and sets the protections its ``controls`` table names. Amounts are
in yuan, like the rest of the scenario file. ``"home"`` stands for the cardholder's home
province in a region lock's places. ``announces_trip`` (optional) replaces the share of
trips the cardholders announce with a travel exception (``[cardholder]``); ``rules``
(optional, "active" or "shadow") installs the bank's starter pack of monitoring rules::

    [configurations.limits_alerts]
    label = "ICBC's defaults + safe limits"
    base = "icbc"
    alerts = true
    rules = "active"
    [configurations.limits_alerts.controls]
    limits = "safe"                       # or { atm_cash = { per_txn = 2000 }, ... }
    switches_off = ["abroad"]             # channel switches (SPEC 3.12)
    categories = { money_transfer = { blocked = true } }
    alert_only = ["region_lock"]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import time
from typing import Any

from smartguard.domain.advisor.recommend import SAFE_LIMITS
from smartguard.domain.controls import spending as sp
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import category
from smartguard.domain.controls.values import ChannelLimits
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import Channel
from smartguard.simulate.configurations import OFF, Configuration
from smartguard.simulate.model import Holder
from smartguard.simulate.rulepack import STATUSES
from smartguard.simulate.scenario import YUAN

HOME = "home"
_KEYS = {"label", "base", "alerts", "learn", "sms", "announces_trip", "rules", "controls"}
_LIMIT_FIELDS = ("per_txn", "daily_amount", "daily_count", "monthly_amount")
Setter = Callable[[s.Controls, Holder], s.Controls]


def from_scenario(raw: Mapping[str, Mapping[str, Any]]) -> tuple[Configuration, ...]:
    """The scenario's configurations, in name order (the file's order is not kept by
    merging a scenario over the default one)."""
    return tuple(configuration(name, raw[name]) for name in sorted(raw))


def configuration(name: str, t: Mapping[str, Any]) -> Configuration:
    where = f"configurations.{name}"
    unknown = set(t) - _KEYS
    if unknown:
        raise InvalidInput(where, f"unknown keys: {', '.join(sorted(unknown))}")
    base = str(t.get("base", "off"))
    if base not in ("off", "icbc"):
        raise InvalidInput(f"{where}.base", "must be 'off' or 'icbc'")
    start = s.Controls() if base == "icbc" else s.Controls(verification=OFF)
    setters = [_setter(f"{where}.controls.{key}", key, value)
               for key, value in sorted(dict(t.get("controls", {})).items())]
    announces = t.get("announces_trip")
    if announces is not None and not 0 <= float(announces) <= 1:
        raise InvalidInput(f"{where}.announces_trip", "a share between 0 and 1")
    rules = t.get("rules")
    if rules is not None and rules not in STATUSES:
        raise InvalidInput(f"{where}.rules", "'active' or 'shadow' (the starter pack)")

    def controls(h: Holder) -> s.Controls:
        c = start
        for setter in setters:
            c = setter(c, h)
        return c

    return Configuration(name, str(t.get("label", name)), controls,
                         alerts=bool(t.get("alerts", False)), learn=bool(t.get("learn", False)),
                         sms=bool(t.get("sms", True)),
                         announces=None if announces is None else float(announces),
                         rules=None if rules is None else STATUSES[rules])


def _setter(where: str, key: str, v: Any) -> Setter:
    """What one ``controls`` key does to a card's controls (validated now, once)."""
    try:
        return _SETTERS[key](where, v)
    except KeyError:
        raise InvalidInput(where, "unknown control; one of: " + ", ".join(_SETTERS)) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise InvalidInput(where, str(exc)) from None


def _region(where: str, v: Any) -> Setter:
    places = [HOME] if v == HOME else list(v["places"])
    fixed = [p for p in places if p != HOME]
    s.region_lock(True, fixed or ["CN-BJ"])  # validates the named provinces

    def set_(c: s.Controls, h: Holder) -> s.Controls:
        chosen = tuple(h.home.province if p == HOME else p for p in places)
        return replace(c, region_lock=s.region_lock(True, tuple(dict.fromkeys(chosen))))
    return set_


def _overseas(where: str, v: Any) -> Setter:
    lock = s.overseas_lock(True, list(v.get("places", ())))
    return lambda c, h: replace(c, overseas_lock=lock)


def _night(where: str, v: Any) -> Setter:
    lock = s.night_lock(True, time.fromisoformat(v.get("start", "23:00")),
                        time.fromisoformat(v.get("end", "05:00")), v.get("scope", "domestic"))
    return lambda c, h: replace(c, night_lock=lock)


def _cnp(where: str, v: Any) -> Setter:
    on = bool(v)
    return lambda c, h: replace(c, overseas_cnp_lock=on)


def _verification(where: str, v: Any) -> Setter:
    value = s.verification(bool(v.get("magstripe", False)), bool(v.get("large_purchase", False)),
                           int(v.get("large_threshold", s.DEFAULT_LARGE_THRESHOLD // YUAN))
                           * YUAN)
    return lambda c, h: replace(c, verification=value)


def _limits(where: str, v: Any) -> Setter:
    if v == "safe":
        chosen: dict[Channel, ChannelLimits] = dict(SAFE_LIMITS)
    else:
        chosen = {}
        for channel, lim in dict(v).items():
            unknown = set(lim) - set(_LIMIT_FIELDS)
            if unknown:
                raise InvalidInput(f"{where}.{channel}", f"unknown: {', '.join(unknown)}")
            chosen[Channel(channel)] = ChannelLimits(**{
                k: None if lim.get(k) is None else
                int(lim[k]) * (1 if k == "daily_count" else YUAN) for k in _LIMIT_FIELDS})
    return lambda c, h: replace(c, limits=chosen)


def _switches(where: str, v: Any) -> Setter:
    off = sp.Switches(frozenset(sp.switch(n, where) for n in v))
    return lambda c, h: replace(c, switches=off)


def _categories(where: str, v: Any) -> Setter:
    chosen = {category(name, where): sp.category_control(
        bool(t.get("blocked", False)),
        None if t.get("daily_amount") is None else int(t["daily_amount"]) * YUAN)
        for name, t in dict(v).items()}
    return lambda c, h: replace(c, categories=chosen)


def _merchants(where: str, v: Any) -> Setter:
    blocked = {sp.merchant_id(m, where): str(n) for m, n in dict(v).items()}
    return lambda c, h: replace(c, merchants=sp.Merchants(blocked=blocked))


def _alert_only(where: str, v: Any) -> Setter:
    targets = frozenset(sp.target(t, sp.ALERT_TARGETS, where) for t in v)
    return lambda c, h: replace(c, alert_only=targets)


_SETTERS: dict[str, Callable[[str, Any], Setter]] = {
    "region_lock": _region, "overseas_lock": _overseas, "night_lock": _night,
    "overseas_cnp_lock": _cnp, "verification": _verification, "limits": _limits,
    "switches_off": _switches, "categories": _categories, "merchants_blocked": _merchants,
    "alert_only": _alert_only,
}
