"""Advisor values -> JSON-ready dicts, shared by the API, the CLI and the demo."""

from __future__ import annotations

from typing import Any

from smartguard.domain.advisor.checkup import Report
from smartguard.domain.advisor.findings import Finding, value_dict
from smartguard.domain.advisor.preview import Change, Preview
from smartguard.domain.advisor.recommend import Recommendation, Recommendations
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.controls.values import Controls
from smartguard.domain.explain import explain
from smartguard.service_layer.records import AgreementRecord


def _langs(verdict: Any) -> dict[str, str]:
    return {lang: explain(verdict, lang) for lang in ("zh-CN", "en")}


def finding_view(f: Finding, card_id: str) -> dict[str, Any]:
    return {
        "id": f.id, "severity": f.severity.value, "title": f.title.as_dict(),
        "explanation": f.explanation.as_dict(),
        "fix": f.fix.as_dict() if f.fix else None,
        "fix_url": f"/v1/cards/{card_id}/checkup/fixes/{f.id}" if f.fix else None,
        "evidence": list(f.evidence),
    }


def _recommendation(name: str, r: Recommendation) -> dict[str, Any]:
    return {"value": value_dict(name, r.value), "basis": r.basis.value, "why": r.why.as_dict()}


def recommendations_view(r: Recommendations) -> dict[str, Any]:
    return {
        "basis": r.basis.value, "days": r.days, "transactions": r.debits,
        "note": r.note.as_dict(),
        "region_lock": _recommendation("region_lock", r.region_lock),
        "overseas_lock": _recommendation("overseas_lock", r.overseas_lock),
        "night_lock": _recommendation("night_lock", r.night_lock),
        "overseas_cnp_lock": _recommendation("overseas_cnp_lock", r.overseas_cnp_lock),
        "verification": _recommendation("verification", r.verification),
        "limits": {ch.value: _recommendation("limits", rec)
                   for ch, rec in sorted(r.limits.items())},
    }


def report_view(card_id: str, r: Report) -> dict[str, Any]:
    return {
        "card_id": card_id, "score": r.score, "generated_at": r.generated_at.isoformat(),
        "findings": [finding_view(f, card_id) for f in r.findings],
        "recommendations": recommendations_view(r.recommendations),
    }


def change_view(c: Change) -> dict[str, Any]:
    p, q = c.past, c.past.request
    return {
        "authorization_id": p.id, "received_at": p.at.isoformat(), "kind": q.kind.value,
        "channel": q.channel.value, "amount": q.amount, "currency": q.currency,
        "billing_amount": q.billing_amount, "merchant_name": q.merchant_name,
        "place": p.place, "card_present": q.card_present,
        "recorded_outcome": p.outcome.value, "current_outcome": c.current.outcome.value,
        "proposed_outcome": c.proposed.outcome.value,
        "reasons": [{"reason": v.reason.value, "detail": v.detail, "message": _langs(v)}
                    for v in c.proposed.verdicts],
    }


def preview_view(card_id: str, days: int, p: Preview, proposed: Controls) -> dict[str, Any]:
    return {
        "card_id": card_id, "days": days, "since": p.since.isoformat(),
        "replayed": p.replayed, "proposed": controls_to_dict(proposed),
        "declined": [change_view(c) for c in p.declined],
        "verification": [change_view(c) for c in p.verification],
        "approved": [change_view(c) for c in p.approved],
    }


def agreement_view(r: AgreementRecord, used_today: int = 0) -> dict[str, Any]:
    return {
        "id": r.id, "card_id": r.card_id, "payee": r.payee, "status": r.status.value,
        "since": r.created_at.isoformat(),
        "last_used_at": r.last_used_at.isoformat() if r.last_used_at else None,
        "per_txn_limit": r.per_txn_limit, "daily_limit": r.daily_limit,
        "used_today": used_today,
    }
