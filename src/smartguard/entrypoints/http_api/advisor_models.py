"""Response models of the advisor (check-up, fixes, recommendations, preview) and of the
quick-payment agreements: what ``advisor_views.py`` builds, declared for the OpenAPI
document (and checked by FastAPI on the way out), with examples."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from smartguard.entrypoints.http_api.control_models import EXAMPLE_CONTROLS, ControlsOut
from smartguard.entrypoints.http_api.models import CardOut


class TextOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    zh_cn: str = Field(alias="zh-CN", examples=["夜间锁未开启"])
    en: str = Field(examples=["The night lock is off"])


class FixOut(BaseModel):
    action: str = Field(examples=["set_protection"], description=(
        "set_protection, set_limits, freeze_card or suspend_agreement"))
    protection: str | None = Field(default=None, examples=["night_lock"])
    channel: str | None = None
    agreement_id: str | None = None
    value: Any = Field(default=None, description="the new value, as the controls show it",
                       examples=[{"enabled": True, "start": "23:00", "end": "05:00",
                                  "scope": "domestic"}])


class FindingOut(BaseModel):
    id: str = Field(examples=["night_lock_off"])
    severity: str = Field(description="high, medium, low or info", examples=["medium"])
    title: TextOut
    explanation: TextOut
    fix: FixOut | None
    fix_url: str | None = Field(examples=["/v1/cards/card_1a23/checkup/fixes/night_lock_off"])
    evidence: list[str] = Field(description="authorization ids behind the finding",
                                examples=[["auth_0c9d8e7f"]])


class RecommendationOut(BaseModel):
    value: Any = Field(examples=[{"enabled": True, "places": ["CN-BJ"]}])
    basis: str = Field(description="history or defaults", examples=["history"])
    why: TextOut


class RecommendationsOut(BaseModel):
    basis: str = Field(description="history (the card's own 12 months) or defaults",
                       examples=["history"])
    days: int = Field(examples=[365])
    transactions: int = Field(examples=[120])
    note: TextOut = Field(examples=[{"zh-CN": "根据您近12个月的交易",
                                     "en": "From your last 12 months of transactions"}])
    region_lock: RecommendationOut
    overseas_lock: RecommendationOut
    night_lock: RecommendationOut
    overseas_cnp_lock: RecommendationOut
    verification: RecommendationOut
    limits: dict[str, RecommendationOut] = Field(description="channel -> limits")


class CheckupOut(BaseModel):
    card_id: str = Field(examples=["card_1a237619c0f000db46f484"])
    score: int = Field(ge=0, le=100, description="100 less the findings' weights",
                       examples=[70])
    generated_at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    findings: list[FindingOut]
    recommendations: RecommendationsOut


class CardholderCheckupOut(BaseModel):
    cardholder_id: str = Field(examples=["ch_5c1f0e9a2b7d4a61"])
    score: int = Field(ge=0, le=100, description="the lowest of the cards' scores",
                       examples=[70])
    cards: list[CheckupOut]


class FixApplied(BaseModel):
    applied: FindingOut
    card: CardOut


class LangsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    zh_cn: str = Field(alias="zh-CN", examples=["被您的夜间锁拒绝（23:00-05:00）"])
    en: str = Field(examples=["Declined by your night lock (23:00-05:00)."])


class PreviewReason(BaseModel):
    reason: str = Field(examples=["night_lock"])
    detail: str = Field(examples=["23:00-05:00"])
    message: LangsOut


class ChangeOut(BaseModel):
    authorization_id: str
    received_at: str
    kind: str = Field(examples=["purchase"])
    channel: str = Field(examples=["pos"])
    amount: int
    currency: str = Field(examples=["CNY"])
    billing_amount: int
    merchant_name: str
    place: str = Field(description="province (? if unknown) or country", examples=["CN-BJ"])
    card_present: bool
    recorded_outcome: str = Field(examples=["approve"])
    current_outcome: str = Field(examples=["approve"])
    proposed_outcome: str = Field(examples=["decline"])
    reasons: list[PreviewReason]


class PreviewOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "card_id": "card_1a237619c0f000db46f484", "days": 90,
        "since": "2026-09-03T08:00:00+00:00", "replayed": 42, "proposed": EXAMPLE_CONTROLS,
        "declined": [], "verification": [], "approved": []}]})

    card_id: str
    days: int
    since: str
    replayed: int = Field(description="transactions replayed")
    proposed: ControlsOut
    declined: list[ChangeOut] = Field(description="would now be declined")
    verification: list[ChangeOut] = Field(description="would now need verification")
    approved: list[ChangeOut] = Field(description="would now be approved")


class AgreementOut(BaseModel):
    id: str = Field(examples=["agr_20261201_0001"])
    card_id: str = Field(examples=["card_1a237619c0f000db46f484"])
    payee: str = Field(examples=["Alipay 支付宝"])
    status: str = Field(description="active, suspended or revoked", examples=["active"])
    since: str = Field(examples=["2026-12-01T08:00:00+00:00"])
    last_used_at: str | None = Field(examples=[None])
    per_txn_limit: int | None = Field(description="minor units; null: none",
                                      examples=[50_000])
    daily_limit: int | None = Field(examples=[200_000])
    used_today: int = Field(description="minor units spent through it today", examples=[0])
