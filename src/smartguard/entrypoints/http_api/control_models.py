"""Response models of a card's protections and the bank's ceilings: what
``codec.controls_to_dict`` and ``views.ceilings_view`` build, declared for the OpenAPI
document (and checked by FastAPI on the way out), with examples."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, JsonValue


class PlacesOut(BaseModel):
    enabled: bool
    places: list[str] = Field(examples=[["CN-BJ", "CN-GD"]])


class NightLockOut(BaseModel):
    enabled: bool
    start: str = Field(description="HH:MM in the cardholder's zone", examples=["23:00"])
    end: str = Field(description="HH:MM in the cardholder's zone", examples=["05:00"])
    scope: str = Field(description="domestic or all", examples=["domestic"])


class EnabledOut(BaseModel):
    enabled: bool


class VerificationOut(BaseModel):
    magstripe: bool
    large_purchase: bool
    large_threshold: int = Field(description="minor units (fen)", examples=[500_000])


class LimitsOut(BaseModel):
    per_txn: int | None = Field(description="minor units; null: none of the card's own")
    daily_amount: int | None
    daily_count: int | None
    monthly_amount: int | None


class CategoryOut(BaseModel):
    blocked: bool
    daily_amount: int | None
    lifts_at: str | None = Field(description="when a lifted block with a cool-down ends")


class MerchantsOut(BaseModel):
    blocked: dict[str, str] = Field(description="merchant id -> name")
    allowed: dict[str, str] = Field(description="merchant id -> name")


class UnlockOut(BaseModel):
    target: str = Field(examples=["region_lock"])
    starts_at: str
    ends_at: str


EXAMPLE_CONTROLS: dict[str, JsonValue] = {
    "region_lock": {"enabled": True, "places": ["CN-BJ"]},
    "overseas_lock": {"enabled": False, "places": []},
    "night_lock": {"enabled": True, "start": "23:00", "end": "05:00", "scope": "domestic"},
    "overseas_cnp_lock": {"enabled": True},
    "verification": {"magstripe": True, "large_purchase": False, "large_threshold": 500_000},
    "limits": {"atm_cash": {"per_txn": 200_000, "daily_amount": 500_000, "daily_count": None,
                       "monthly_amount": None}},
    "switches": {"atm_cash": True, "pos": True, "online_domestic": True,
                 "online_overseas": False, "contactless": True, "abroad": True,
                 "quick_pay": True},
    "categories": {"gambling": {"blocked": True, "daily_amount": None, "lifts_at": None}},
    "merchants": {"blocked": {"SHOP666": "Lucky Games"}, "allowed": {}},
    "unlocks": [],
    "alert_only": [],
}


class ControlsOut(BaseModel):
    """Every protection of a card (docs/api.md)."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_CONTROLS]})

    region_lock: PlacesOut
    overseas_lock: PlacesOut
    night_lock: NightLockOut
    overseas_cnp_lock: EnabledOut
    verification: VerificationOut
    limits: dict[str, LimitsOut] = Field(description="channel -> the card's own limits")
    switches: dict[str, bool] = Field(description="channel switch -> on")
    categories: dict[str, CategoryOut] = Field(description="merchant category -> control")
    merchants: MerchantsOut
    unlocks: list[UnlockOut] = Field(description="timed unlocks open or to come")
    alert_only: list[str] = Field(description="controls that alert instead of declining",
                                  examples=[["categories.gambling"]])


class CeilingOut(BaseModel):
    per_txn: int
    daily_amount: int
    daily_count: int
    monthly_amount: int


EXAMPLE_CEILINGS: dict[str, JsonValue] = {
    "channels": {"atm_cash": {"per_txn": 500_000, "daily_amount": 2_000_000, "daily_count": 20,
                         "monthly_amount": 20_000_000}},
    "atm_cash_overseas_daily": 1_000_000,
}


class CeilingsOut(BaseModel):
    """The bank's ceilings for a card product: personal limits stay at or below them."""

    model_config = ConfigDict(json_schema_extra={"examples": [EXAMPLE_CEILINGS]})

    channels: dict[str, CeilingOut] = Field(description="channel -> ceilings (minor units)")
    atm_cash_overseas_daily: int


class ControlsWithCeilings(ControlsOut):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {**EXAMPLE_CONTROLS, "ceilings": EXAMPLE_CEILINGS}]})

    ceilings: CeilingsOut = Field(description="the bank's ceilings for the card's product")


class MerchantCategoryOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, json_schema_extra={"examples": [{
        "category": "gambling", "zh-CN": "博彩、赌场及投注", "en": "gambling, casinos and betting",
        "mcc_ranges": [["7800", "7802"], ["7995", "7995"]], "cooldown_hours": 24.0}]})

    category: str
    zh_cn: str = Field(alias="zh-CN")
    en: str
    mcc_ranges: list[list[str]] = Field(description="inclusive [first, last] MCC ranges")
    cooldown_hours: float = Field(description="wait before a lifted block takes effect")
