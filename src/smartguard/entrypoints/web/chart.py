"""The console's chart: decisions of the last 24 hours by hour, stacked by primary reason,
drawn as inline SVG on the server (no script, no chart library), with a table of totals for
screen readers and for exact numbers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from xml.sax.saxutils import escape

from markupsafe import Markup

from smartguard.domain.decisions import Reason
from smartguard.domain.periods import local_time
from smartguard.service_layer.web_records import DecisionCount

WINDOW = timedelta(hours=24)
APPROVED = "approved"
COLORS = {
    APPROVED: "#2e7d32", "card": "#212121", "lock": "#a3000b", "agreement": "#6a1b9a",
    "limit": "#1565c0", "funds": "#757575", "verification": "#e65100",
}
_GROUP = {
    Reason.CARD_CLOSED: "card", Reason.CARD_BLOCKED: "card", Reason.CARD_FROZEN: "card",
    Reason.REGION_LOCK: "lock", Reason.OVERSEAS_LOCK: "lock", Reason.NIGHT_LOCK: "lock",
    Reason.OVERSEAS_CNP_LOCK: "lock", Reason.AGREEMENT_UNKNOWN: "agreement",
    Reason.AGREEMENT_SUSPENDED: "agreement", Reason.AGREEMENT_REVOKED: "agreement",
    Reason.AGREEMENT_LIMIT: "agreement", Reason.AMOUNT_LIMIT: "limit",
    Reason.FREQUENCY_LIMIT: "limit", Reason.INSUFFICIENT_FUNDS: "funds",
    Reason.MAGSTRIPE_VERIFICATION: "verification",
    Reason.LARGE_PURCHASE_VERIFICATION: "verification",
}
_ORDER = [APPROVED, *(r.value for r in Reason)]


def _category(c: DecisionCount) -> str:
    return c.reason if c.reason else APPROVED


def color(category: str) -> str:
    if category == APPROVED:
        return COLORS[APPROVED]
    try:
        return COLORS[_GROUP[Reason(category)]]
    except (ValueError, KeyError):
        return COLORS["card"]


def hours(now: datetime) -> list[datetime]:
    """The 24 UTC hour buckets ending with the current one."""
    current = now.replace(minute=0, second=0, microsecond=0)
    return [current - timedelta(hours=23 - i) for i in range(24)]


def decision_chart(counts: list[DecisionCount], now: datetime, timezone: str,
                   label: str, name: Callable[[str], str]) -> dict[str, Any]:
    """``name`` turns a category (``approved`` or a reason) into words."""
    buckets = hours(now)
    per_hour: dict[datetime, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    totals: dict[str, int] = defaultdict(int)
    for c in counts:
        per_hour[c.hour][_category(c)] += c.count
        totals[_category(c)] += c.count
    categories = [k for k in _ORDER if totals.get(k)]
    return {"svg": _svg(buckets, per_hour, categories, timezone, label, name),
            "totals": [{"name": name(k), "count": totals[k], "color": color(k)}
                       for k in categories],
            "total": sum(totals.values())}


def _svg(buckets: list[datetime], per_hour: dict[datetime, dict[str, int]],
         categories: list[str], timezone: str, label: str, name: Callable[[str], str]
         ) -> Markup:
    width, height, left, bottom, bar = 760, 240, 40, 24, 26
    top = max([sum(per_hour[h].values()) for h in buckets] + [1])
    scale = (height - bottom - 10) / top
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'class="bars" role="img" aria-label="{escape(label)}">',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
             'stroke="#4a4a55"/>',
             f'<text x="{left - 6}" y="14" text-anchor="end" font-size="11">{top}</text>']
    for i, hour in enumerate(buckets):
        x = left + 6 + i * 30
        y: float = height - bottom
        for category in categories:
            n = per_hour[hour].get(category, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            parts.append(f'<rect x="{x}" y="{y:.1f}" width="{bar}" height="{h:.1f}" '
                         f'fill="{color(category)}"><title>{escape(name(category))}: {n}</title>'
                         '</rect>')
        if i % 3 == 0:
            local = local_time(hour, timezone).strftime("%H:%M")
            parts.append(f'<text x="{x + bar / 2}" y="{height - 6}" text-anchor="middle" '
                         f'font-size="11">{local}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
