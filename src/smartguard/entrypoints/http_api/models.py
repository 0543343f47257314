"""Response models of the card endpoints: what ``views.py`` builds, declared for the
OpenAPI document (and checked by FastAPI on the way out), each with an example."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from smartguard.entrypoints.http_api.authorizations import ReasonOut
from smartguard.entrypoints.http_api.paging import Page


class CardholderOut(BaseModel):
    id: str = Field(examples=["ch_5c1f0e9a2b7d4a61"])
    name: str = Field(examples=["王芳 Wang Fang"])
    phone: str = Field(description="masked", examples=["+86138****0001"])
    language: str = Field(examples=["zh-CN"])
    timezone: str = Field(examples=["Asia/Shanghai"])


class AccountOut(BaseModel):
    id: str = Field(examples=["acc_1d2e3f4a5b6c7d8e"])
    currency: str = Field(examples=["CNY"])
    balance: int = Field(description="minor units (fen)", examples=[1_000_000])


class CardOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "id": "card_1a237619c0f000db46f484", "masked_pan": "622202******0017",
        "last4": "0017", "product": "debit_standard", "status": "active",
        "cardholder": {"id": "ch_5c1f0e9a2b7d4a61", "name": "王芳 Wang Fang",
                       "phone": "+86138****0001", "language": "zh-CN",
                       "timezone": "Asia/Shanghai"},
        "account": {"id": "acc_1d2e3f4a5b6c7d8e", "currency": "CNY", "balance": 1_000_000},
        "controls": {"night_lock": {"enabled": False, "start": "23:00", "end": "05:00"}}}]})

    id: str
    masked_pan: str = Field(description="first 6 and last 4; the PAN is never stored")
    last4: str
    product: str
    status: str = Field(description="active, frozen, blocked or closed")
    cardholder: CardholderOut
    account: AccountOut
    controls: dict[str, Any] = Field(description="every protection (docs/api.md)")


class ReversalApplied(BaseModel):
    reversal_id: str
    at: str
    given_back: int | None
    actual_amount: int | None
    partial: bool


class DecisionOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "authorization_id": "auth_0c9d8e7f", "received_at": "2026-12-02T08:00:00+00:00",
        "kind": "purchase", "amount": 10_000, "currency": "CNY", "billing_amount": 10_000,
        "channel": "pos", "terminal": "pos", "entry_mode": "chip", "card_present": True,
        "merchant_id": "SHOP1", "merchant_name": "Shop One", "mcc": "5411", "country": "CN",
        "region": "CN-BJ", "outcome": "decline", "response_code": "57",
        "reasons": [{"reason": "night_lock", "detail": "23:00-05:00",
                     "message": "Declined by your night lock (23:00-05:00)."}],
        "alerts": [],
        "balance_after": 1_000_000, "challenge_id": None, "reversed_at": None,
        "reversal": None}]})

    authorization_id: str
    received_at: str
    kind: str
    amount: int
    currency: str
    billing_amount: int
    channel: str
    terminal: str
    entry_mode: str
    card_present: bool
    merchant_id: str
    merchant_name: str
    mcc: str | None = Field(default=None, description="merchant category code (ISO 18245)")
    country: str
    region: str | None
    outcome: str
    response_code: str
    reasons: list[ReasonOut]
    alerts: list[ReasonOut] = Field(default_factory=list, description=(
        "controls in alert-only mode that objected: the payment went through, the "
        "cardholder was alerted"))
    balance_after: int
    challenge_id: str | None
    reversed_at: str | None
    reversal: ReversalApplied | None


class AuditOut(BaseModel):
    at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    actor: str = Field(examples=["cardholder:ch_5c1f0e9a2b7d4a61"])
    channel: str = Field(examples=["web"])
    action: str = Field(examples=["set_protection"])
    card_id: str | None
    old: Any = Field(examples=[{"enabled": False}])
    new: Any = Field(examples=[{"enabled": True}])


class ChallengeOut(BaseModel):
    id: str = Field(examples=["chl_7a6b5c4d"])
    card_id: str = Field(examples=["card_1a237619c0f000db46f484"])
    authorization_id: str | None = Field(examples=["auth_0c9d8e7f"])
    reason: str = Field(examples=["magstripe_verification"])
    merchant_id: str = Field(examples=["SHOP1"])
    merchant_name: str = Field(examples=["Shop One"])
    amount: int = Field(description="minor units", examples=[30_000])
    currency: str = Field(examples=["CNY"])
    status: str = Field(description="pending, confirmed, rejected or used",
                        examples=["pending"])
    created_at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    expires_at: str = Field(examples=["2026-12-02T08:05:00+00:00"])
    resolved_at: str | None = Field(examples=[None])


class CardholderCreated(BaseModel):
    id: str = Field(examples=["ch_5c1f0e9a2b7d4a61"])
    name: str = Field(examples=["王芳 Wang Fang"])
    language: str = Field(examples=["zh-CN"])
    timezone: str = Field(examples=["Asia/Shanghai"])


class AccountCreated(BaseModel):
    id: str = Field(examples=["acc_1d2e3f4a5b6c7d8e"])
    cardholder_id: str = Field(examples=["ch_5c1f0e9a2b7d4a61"])
    currency: str = Field(examples=["CNY"])
    balance: int = Field(description="minor units (fen)", examples=[1_000_000])


class KeyCreated(BaseModel):
    id: str = Field(examples=["3f9a1c2b7d4e"])
    role: str = Field(examples=["processor"])
    label: str = Field(examples=["switch A"])
    cardholder_id: str | None = None
    token: str = Field(description="shown only in this answer",
                       examples=["sg_3f9a1c2b7d4e_Zm9vYmFy..."])


class OutboxOut(BaseModel):
    id: str = Field(examples=["msg_19a2b3c4d5e6f"])
    created_at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    channel: str = Field(examples=["sms"])
    kind: str = Field(examples=["security"])
    event: str = Field(examples=["decline"])
    status: str = Field(examples=["sent"])
    recipient: str | None = Field(description="masked", examples=["+86138****0001"])
    text: str | None = Field(description="one-time codes are never shown",
                             examples=["【银行】您尾号0017的卡在广东的取现被地区锁拒绝。"])
    card_id: str | None
    attempts: int = Field(examples=[1])
    last_error: str | None
    next_attempt_at: str | None
    sent_at: str | None
    provider_ref: str | None
    receipt: str | None


class DecisionPage(Page):
    items: list[DecisionOut]


class AuditPage(Page):
    items: list[AuditOut]


class CardPage(Page):
    items: list[CardOut]


class OutboxPage(Page):
    items: list[OutboxOut]
