"""What the thumb-sized pickers show: provinces and countries as searchable lists (each
findable by its name in both languages and its code), times every half hour in 24-hour
form, and amount presets for a limit (from the card's own usage, the safe default and the
bank's ceiling)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smartguard.domain.advisor.recommend import SAFE_LIMITS, Recommendations
from smartguard.domain.controls import values as s
from smartguard.domain.geography import COUNTRIES, COUNTRY_NAMES_ZH, PROVINCES, place_name
from smartguard.domain.money import format_amount
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.web import forms
from smartguard.entrypoints.web.i18n import translator


def _item(code: str, lang: str, with_code: bool = False) -> dict[str, str]:
    name = place_name(code, lang)
    other = place_name(code, "en" if lang == "zh-CN" else "zh-CN")
    return {"code": code, "name": f"{name} ({code})" if with_code else name,
            "find": f"{name} {other} {code}".lower()}


def province_groups(lang: str) -> list[dict[str, Any]]:
    return [{"title": "", "options": [_item(c, lang) for c in PROVINCES]}]


def country_groups(lang: str) -> list[dict[str, Any]]:
    """The common destinations first, then every other country or region."""
    t = translator(lang)
    common = [_item(c, lang, True) for c in COUNTRY_NAMES_ZH if c != "CN"]
    rest = sorted((_item(c, lang, True) for c in COUNTRIES if c not in COUNTRY_NAMES_ZH),
                  key=lambda c: c["name"])
    return [{"title": t("locks.countries_common"), "options": common},
            {"title": t("locks.countries_rest"), "options": rest}]


def clock_choices(current: str) -> list[str]:
    """Every half hour of the day as HH:MM, and ``current`` when it is off that grid."""
    found = [f"{h:02d}:{m:02d}" for h in range(24) for m in (0, 30)]
    if current and current not in found:
        found = sorted([*found, current])
    return found


def limit_presets(channel: Channel, name: str, ceiling: int, currency: str,
                  recs: Recommendations | None, t: Callable[..., str]) -> list[dict[str, str]]:
    """Buttons that fill the field: from your usage, the safe default, the bank's ceiling,
    no personal limit."""
    count = name == "daily_count"

    def show(v: int) -> str:
        return t("limits.count", count=v) if count else format_amount(v, currency)

    def value(v: int) -> str:
        return str(v) if count else forms.amount_text(v, currency)

    found: list[dict[str, str]] = []
    rec = recs.limits.get(channel) if recs else None
    if rec is not None and isinstance(rec.value, s.ChannelLimits) and \
            rec.basis.value == "history":
        mine = getattr(rec.value, name)
        if mine is not None:
            found.append({"label": t("presets.usage", value=show(mine)), "value": value(mine)})
    safe = getattr(SAFE_LIMITS[channel], name)
    if safe is not None and safe < ceiling:
        found.append({"label": t("presets.safe", value=show(safe)), "value": value(safe)})
    found.append({"label": t("presets.ceiling", value=show(ceiling)), "value": value(ceiling)})
    found.append({"label": t("presets.none"), "value": ""})
    return found
