"""Controls <-> plain dicts (the JSON stored with a card and shown by the API)."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import (
    CategoryControl,
    Merchants,
    Switch,
    Switches,
    Unlock,
)
from smartguard.domain.controls.values import (
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    OverseasLock,
    RegionLock,
    Verification,
)
from smartguard.domain.transactions import Channel

_LIMIT_FIELDS = ("per_txn", "daily_amount", "daily_count", "monthly_amount")


def limits_to_dict(limits: ChannelLimits) -> dict[str, int | None]:
    return {name: getattr(limits, name) for name in _LIMIT_FIELDS}


def controls_to_dict(c: Controls) -> dict[str, Any]:
    n = c.night_lock
    v = c.verification
    return {
        "region_lock": {"enabled": c.region_lock.enabled, "places": list(c.region_lock.places)},
        "overseas_lock": {
            "enabled": c.overseas_lock.enabled,
            "places": list(c.overseas_lock.places),
        },
        "night_lock": {
            "enabled": n.enabled,
            "start": n.start.strftime("%H:%M"),
            "end": n.end.strftime("%H:%M"),
            "scope": n.scope.value,
        },
        "overseas_cnp_lock": {"enabled": c.overseas_cnp_lock},
        "verification": {
            "magstripe": v.magstripe,
            "large_purchase": v.large_purchase,
            "large_threshold": v.large_threshold,
        },
        "limits": {ch.value: limits_to_dict(lim) for ch, lim in sorted(c.limits.items())},
        "switches": {sw.value: c.switches.is_on(sw) for sw in Switch},
        "categories": {cat.value: category_to_dict(ctl)
                       for cat, ctl in sorted(c.categories.items())},
        "merchants": {"blocked": dict(sorted(c.merchants.blocked.items())),
                      "allowed": dict(sorted(c.merchants.allowed.items()))},
        "unlocks": [{"target": u.target, "starts_at": u.starts_at.isoformat(),
                     "ends_at": u.ends_at.isoformat()} for u in c.unlocks],
        "alert_only": sorted(c.alert_only),
    }


def category_to_dict(c: CategoryControl) -> dict[str, Any]:
    return {"blocked": c.blocked, "daily_amount": c.daily_amount,
            "lifts_at": c.lifts_at.isoformat() if c.lifts_at else None}


def controls_from_dict(d: dict[str, Any]) -> Controls:
    """Read back what :func:`controls_to_dict` wrote (trusted, already validated data);
    a card stored before a control existed has it at its default."""
    r, o, n, v = d["region_lock"], d["overseas_lock"], d["night_lock"], d["verification"]
    return Controls(
        region_lock=RegionLock(r["enabled"], tuple(r["places"])),
        overseas_lock=OverseasLock(o["enabled"], tuple(o["places"])),
        night_lock=NightLock(
            n["enabled"], time.fromisoformat(n["start"]), time.fromisoformat(n["end"]),
            NightScope(n["scope"]),
        ),
        overseas_cnp_lock=d["overseas_cnp_lock"]["enabled"],
        verification=Verification(v["magstripe"], v["large_purchase"], v["large_threshold"]),
        limits={
            Channel(ch): ChannelLimits(**{k: lim.get(k) for k in _LIMIT_FIELDS})
            for ch, lim in d.get("limits", {}).items()
        },
        switches=Switches(frozenset(Switch(k) for k, on in d.get("switches", {}).items()
                                    if not on)),
        categories={Category(k): _category(v) for k, v in d.get("categories", {}).items()},
        merchants=Merchants(**d.get("merchants", {})),
        unlocks=tuple(Unlock(u["target"], datetime.fromisoformat(u["starts_at"]),
                             datetime.fromisoformat(u["ends_at"]))
                      for u in d.get("unlocks", ())),
        alert_only=frozenset(d.get("alert_only", ())),
    )


def _category(v: dict[str, Any]) -> CategoryControl:
    lifts = v.get("lifts_at")
    return CategoryControl(v["blocked"], v.get("daily_amount"),
                           datetime.fromisoformat(lifts) if lifts else None)
