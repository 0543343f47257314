"""Records -> JSON-ready dicts, shared by the API, the web page and the CLI."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from smartguard.domain.challenges import Challenge
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.controls.values import Ceilings
from smartguard.domain.explain import explain
from smartguard.service_layer.records import (
    AuditEntry,
    AuthorizationRecord,
    CardRecord,
    ReversalRecord,
)


def mask_phone(phone: str) -> str:
    return phone[:-8] + "****" + phone[-4:] if len(phone) > 8 else "****"


def card_view(rec: CardRecord) -> dict[str, Any]:
    c, h, a = rec.card, rec.cardholder, rec.account
    return {
        "id": c.id, "masked_pan": c.masked, "last4": c.last4, "product": c.product,
        "status": c.status.value,
        "cardholder": {"id": h.id, "name": h.name, "phone": mask_phone(h.phone),
                       "language": h.language.value, "timezone": h.timezone},
        "account": {"id": a.id, "currency": a.currency, "balance": a.balance},
        "controls": controls_to_dict(rec.controls),
    }


def ceilings_view(c: Ceilings) -> dict[str, Any]:
    return {
        "channels": {ch.value: asdict(lim) for ch, lim in sorted(c.channels.items())},
        "atm_cash_overseas_daily": c.atm_cash_overseas_daily,
    }


def reversal_view(r: ReversalRecord | None) -> dict[str, Any] | None:
    """The acquirer's reversal applied to a decision: when, what it gave back (card
    currency) and, for a partial one, the amount that took place (transaction currency)."""
    if r is None:
        return None
    return {"reversal_id": r.id, "at": (r.applied_at or r.received_at).isoformat(),
            "given_back": r.amount, "actual_amount": r.actual_amount,
            "partial": r.actual_amount is not None}


def decision_view(r: AuthorizationRecord, language: str = "en",
                  reversal: ReversalRecord | None = None) -> dict[str, Any]:
    q = r.request
    return {
        "authorization_id": r.id, "received_at": r.received_at.isoformat(),
        "kind": q.kind.value, "amount": q.amount, "currency": q.currency,
        "billing_amount": q.billing_amount, "channel": q.channel.value,
        "terminal": q.terminal.value, "entry_mode": q.entry_mode.value,
        "card_present": q.card_present, "merchant_id": q.merchant_id,
        "merchant_name": q.merchant_name, "mcc": q.mcc, "country": q.country,
        "region": q.region, "outcome": r.outcome.value, "response_code": r.response_code,
        "reasons": [{"reason": v.reason.value, "detail": v.detail,
                     "message": explain(v, language)} for v in r.verdicts],
        "alerts": [{"reason": v.reason.value, "detail": v.detail,
                    "message": explain(v, language)} for v in r.alerts],
        "balance_after": r.balance_after, "challenge_id": r.challenge_id,
        "reversed_at": r.reversed_at.isoformat() if r.reversed_at else None,
        "reversal": reversal_view(reversal),
    }


def audit_view(e: AuditEntry) -> dict[str, Any]:
    return {"at": e.at.isoformat(), "actor": e.actor, "channel": e.channel,
            "action": e.action, "card_id": e.card_id, "old": e.old, "new": e.new}


def challenge_view(c: Challenge) -> dict[str, Any]:
    return {"id": c.id, "card_id": c.card_id, "authorization_id": c.authorization_id,
            "reason": c.reason, "merchant_id": c.merchant_id,
            "merchant_name": c.merchant_name, "amount": c.amount, "currency": c.currency,
            "status": c.status.value, "created_at": c.created_at.isoformat(),
            "expires_at": c.expires_at.isoformat(),
            "resolved_at": c.resolved_at.isoformat() if c.resolved_at else None}
