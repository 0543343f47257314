"""The advisor's JSON views as plain text, for the CLI and the demo."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from smartguard.domain.money import format_amount

_SEVERITY = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW", "info": "INFO"}
#: values of a fix that are amounts of money (minor units): shown as money, like the rest
AMOUNTS = frozenset({"per_txn", "daily_amount", "monthly_amount", "large_threshold",
                     "per_txn_limit", "daily_limit"})
SCORE_MEANING = {"en": "100 = nothing found; each finding takes points off: high 25, "
                       "medium 10, low 5",
                 "zh-CN": "100 分表示未发现问题；每项发现按严重程度扣分：高 25、中 10、低 5"}


def fix_text(fix: dict[str, Any] | None) -> str:
    """A fix in a few words: ``region_lock -> {...}``, ``freeze card``..."""
    if fix is None:
        return "no one-click fix"
    action = fix["action"]
    if action == "set_protection":
        return f"set {fix['protection']} = {_compact(fix['value'])}"
    if action == "set_limits":
        return f"set {fix['channel']} limits = {_compact(fix['value'])}"
    if action == "suspend_agreement":
        return f"suspend agreement {fix['agreement_id']}"
    return "freeze the card"


def _compact(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_money(v) if k in AMOUNTS else _compact(v)}"
                               for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value).lower() if isinstance(value, bool) else str(value)


def _money(value: Any) -> str:
    return format_amount(value) if isinstance(value, int) else _compact(value)


def report_lines(view: dict[str, Any], language: str = "en") -> list[str]:
    recs = view["recommendations"]
    meaning = SCORE_MEANING.get(language, SCORE_MEANING["en"])
    lines = [f"Score {view['score']}/100 ({meaning}) — {recs['note'][language]}"]
    for f in view["findings"]:
        lines.append(f"  {_SEVERITY[f['severity']]:<6}  {f['title'][language]}")
        lines.append(f"          {f['explanation'][language]}")
        lines.append(f"          fix: {fix_text(f['fix'])}")
    return lines


def preview_lines(view: dict[str, Any], timezone: str = "Asia/Shanghai",
                  language: str = "en") -> list[str]:
    changes = [("would decline", view["declined"]),
               ("would ask to verify", view["verification"]),
               ("would let through", view["approved"])]
    total = sum(len(c) for _, c in changes)
    lines = [f"{view['replayed']} transactions of the last {view['days']} days replayed; "
             f"{total} answered differently:"]
    zone = ZoneInfo(timezone)
    for label, items in changes:
        for c in items:
            when = datetime.fromisoformat(c["received_at"]).astimezone(zone)
            why = c["reasons"][0]["message"][language] if c["reasons"] else ""
            amount = format_amount(c["billing_amount"]) if c["billing_amount"] else "-"
            what = c["merchant_name"] or c["kind"]
            lines.append(f"  {label:<19}  {when:%m-%d %H:%M}  {what[:24]:<24}  {amount:>10}"
                         f"  {why}")
    return lines
