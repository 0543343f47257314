"""What the console's rule pages show of a rule's work: hits by day in the bank's zone,
the last week's totals, a backtest's figures (amounts in yuan)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from smartguard.domain.periods import local_time
from smartguard.entrypoints.web import forms
from smartguard.service_layer.backtest import BacktestResult
from smartguard.service_layer.rule_records import ERROR, HIT, HitCount


def hits_week(counts: list[HitCount]) -> dict[str, int]:
    """Shadow hits, enforced hits and failures in ``counts``."""
    return {"shadow": sum(c.count for c in counts if c.result == HIT and not c.enforced),
            "enforced": sum(c.count for c in counts if c.result == HIT and c.enforced),
            "errors": sum(c.count for c in counts if c.result == ERROR)}


def by_day(counts: list[HitCount], zone: str) -> list[dict[str, Any]]:
    """One row per local day that has a hit or a failure, newest first (the store counts
    by UTC hour; each hour falls in one local day, for a zone on whole hours)."""
    days: dict[str, dict[str, int]] = {}
    for c in counts:
        hour = datetime.strptime(c.hour, "%Y-%m-%dT%H").replace(tzinfo=UTC)
        day = local_time(hour, zone).strftime("%Y-%m-%d")
        row = days.setdefault(day, {"shadow": 0, "enforced": 0, "errors": 0, "amount": 0})
        if c.result == ERROR:
            row["errors"] += c.count
            continue
        row["enforced" if c.enforced else "shadow"] += c.count
        row["amount"] += c.amount
    return [{"day": day, **row, "amount_text": forms.amount_text(row["amount"])}
            for day, row in sorted(days.items(), reverse=True)]


def backtest_view(result: BacktestResult) -> dict[str, Any]:
    return {"days": result.days, "product": result.product or "",
            "decisions": result.decisions, "hits": result.hits,
            "amount": forms.amount_text(result.hit_amount),
            "declined": result.already_declined,
            "labelled": result.later_frozen_or_reported, "errors": result.errors}
