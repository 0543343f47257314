"""Controls <-> plain dicts (the JSON stored with a card and shown by the API)."""

from __future__ import annotations

from datetime import time
from typing import Any

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
    }


def controls_from_dict(d: dict[str, Any]) -> Controls:
    """Read back what :func:`controls_to_dict` wrote (trusted, already validated data)."""
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
    )
