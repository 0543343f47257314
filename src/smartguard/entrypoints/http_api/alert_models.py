"""Response models of alerts, travel exceptions and monitoring rules, declared for the
OpenAPI document (and checked by FastAPI on the way out), with examples."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class AlertPreferencesOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "channels": {"balance_change": ["sms"], "balance_inquiry": ["sms"],
                     "decline": ["sms"], "verification": ["sms"], "security": ["sms"]},
        "balance_threshold": 0, "available": ["sms"]}]})

    channels: dict[str, list[str]] = Field(description=(
        "alert kind -> the channels it goes to (only those this bank has set up)"))
    balance_threshold: int = Field(description="smallest balance change alerted (fen)")
    available: list[str] = Field(description="the channels this bank sends alerts by")


class PhoneOut(BaseModel):
    cardholder_id: str = Field(examples=["ch_5c1f0e9a2b7d4a61"])
    phone: str = Field(description="masked", examples=["+86139****0002"])


class OutboxStatsOut(BaseModel):
    channels: dict[str, str] = Field(description="channel -> configured, or what is missing",
                                     examples=[{"sms": "configured"}])
    messages: dict[str, dict[str, int]] = Field(description="channel -> status -> messages",
                                                examples=[{"sms": {"sent": 12, "dead": 1}}])


class InboundOut(BaseModel):
    message_id: str = Field(examples=["smsc-0001"])
    duplicate: bool = Field(description="this message id was handled already")
    outcome: str = Field(examples=["confirmed"], description="what the reply did")


class TravelOut(BaseModel):
    id: str = Field(examples=["trv_2b3c4d5e6f"])
    place: str = Field(examples=["CN-GD"])
    kind: str = Field(description="region or overseas", examples=["region"])
    state: str = Field(description="scheduled, active, ended or cancelled",
                       examples=["scheduled"])
    starts_at: str = Field(examples=["2026-12-10T00:00:00+08:00"])
    ends_at: str = Field(examples=["2026-12-15T00:00:00+08:00"])
    planned_end: str = Field(examples=["2026-12-15T00:00:00+08:00"])
    created_at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    cancelled_at: str | None = Field(examples=[None])


class RuleOut(BaseModel):
    id: str = Field(examples=["late_night_atm"])
    version: int = Field(examples=[1])
    name: str = Field(examples=["Late-night ATM cash"])
    expression: str = Field(examples=["tx.channel == 'atm_cash' && tx.local_hour < 5"])
    action: str = Field(description="decline, verify or alert", examples=["verify"])
    status: str = Field(description="draft, shadow, active or retired", examples=["draft"])
    message_zh: str = Field(examples=["深夜取现需要验证"])
    message_en: str = Field(examples=["Late-night cash needs verification"])
    author: str = Field(examples=["key:3f9a1c2b7d4e"])
    updated_at: str = Field(examples=["2026-12-02T08:00:00+00:00"])
    activation_requested_by: str | None = Field(examples=[None])
    errors_since_start: int = Field(description="run-time failures in this process",
                                    examples=[0])


class RuleDetail(RuleOut):
    versions: list[RuleOut] = Field(description="every version, newest last")


class CheckOut(BaseModel):
    ok: bool = Field(description="false when no rule language is configured")


class BacktestOut(BaseModel):
    days: int = Field(examples=[30])
    product: str | None = Field(examples=[None])
    decisions: int = Field(description="debits judged", examples=[1200])
    hits: int = Field(examples=[3])
    hit_amount: int = Field(description="minor units", examples=[450_000])
    already_declined: int = Field(examples=[1])
    later_frozen_or_reported: int = Field(examples=[1])
    errors: int = Field(examples=[0])
    hit_ids: list[str] = Field(description="authorization ids, the first 100",
                               examples=[["auth_0c9d8e7f"]])


class HitCountOut(BaseModel):
    hour: str = Field(description="UTC, YYYY-MM-DDTHH", examples=["2026-12-02T08"])
    version: int = Field(examples=[1])
    result: str = Field(description="HIT or ERROR", examples=["HIT"])
    enforced: bool = Field(description="false for a shadow rule's hits and every error")
    count: int = Field(examples=[2])
    amount: int = Field(description="minor units", examples=[300_000])
