"""The demo population and its scripted day of traffic."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from typing import Any

from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import Channel


@dataclass(frozen=True)
class DemoHolder:
    key: str
    name: str
    phone: str
    pan: str
    balance: int
    language: str
    controls: s.Controls
    timezone: str = "Asia/Shanghai"


def _pan(n: int) -> str:
    return with_check_digit(f"62220210{n:010d}")


HOLDERS = (
    DemoHolder(
        "wang", "王芳 Wang Fang", "+8613800000001", _pan(1), 5_000_000, "zh-CN",
        s.Controls(
            region_lock=s.region_lock(True, ["CN-HA", "CN-BJ"]),
            night_lock=s.night_lock(True, time(23), time(5)),
            limits={Channel.ATM_CASH: s.ChannelLimits(daily_amount=500_000)},
        ),
    ),
    DemoHolder(
        "li", "Li Wei", "+8613800000002", _pan(2), 8_000_000, "en",
        s.Controls(
            overseas_lock=s.overseas_lock(True, ["JP"]),
            overseas_cnp_lock=True,
            verification=s.verification(True, True, 500_000),
        ),
    ),
    DemoHolder(
        "zhang", "张建国 Zhang Jianguo", "+8613800000003", _pan(3), 1_200_000, "zh-CN",
        s.Controls(),
    ),
)


@dataclass(frozen=True)
class Step:
    at: time
    who: str
    what: str
    request: dict[str, Any]
    then: str = ""  # "confirm": cardholder confirms the challenge and the purchase is retried
    reverse: bool = False  # the acquirer reverses it afterwards
    dispensed: int | None = None  # with ``reverse``: the ATM paid out only this (partial)
    extra: dict[str, Any] = field(default_factory=dict)


def _atm(amount: int, region: str, **kw: Any) -> dict[str, Any]:
    return {"kind": "cash_withdrawal", "amount": amount, "terminal": "atm",
            "card_present": True, "entry_mode": "chip", "pin_verified": True,
            "country": "CN", "region": region, "merchant_id": "ATM0001",
            "merchant_name": "ICBC ATM", **kw}


def _pos(amount: int, merchant: str, region: str, entry: str = "chip", **kw: Any
         ) -> dict[str, Any]:
    return {"kind": "purchase", "amount": amount, "terminal": "pos", "card_present": True,
            "entry_mode": entry, "country": "CN", "region": region,
            "merchant_id": merchant[:15].upper().replace(" ", ""), "merchant_name": merchant,
            **kw}


SCRIPT = (
    Step(time(2, 13), "wang", "Night ATM withdrawal in Guangdong", _atm(200_000, "CN-GD")),
    Step(time(9, 5), "wang", "Breakfast, chip POS in Henan", _pos(1_850, "Luoyang Noodles",
                                                                  "CN-HA")),
    Step(time(10, 30), "li", "Online purchase, US merchant",
         {"kind": "purchase", "amount": 39_900, "currency": "USD", "billing_amount": 289_000,
          "terminal": "none", "card_present": False, "entry_mode": "ecommerce",
          "country": "US", "merchant_id": "WEBSHOPUS", "merchant_name": "Web Shop Inc"}),
    Step(time(11, 0), "wang", "Magnetic-stripe swipe in Beijing",
         _pos(30_000, "Wangfujing Store", "CN-BJ", entry="magstripe"), then="confirm"),
    Step(time(14, 20), "li", "Large purchase, chip in Shanghai",
         _pos(899_900, "Nanjing Rd Watches", "CN-SH"), then="confirm"),
    Step(time(16, 0), "wang", "ATM withdrawal in Henan", _atm(400_000, "CN-HA")),
    Step(time(16, 5), "wang", "Another ATM withdrawal (over limit)", _atm(200_000, "CN-HA")),
    Step(time(17, 30), "li", "ATM withdrawal in Shanghai", _atm(50_000, "CN-SH"),
         reverse=True, dispensed=30_000),
    Step(time(18, 0), "zhang", "ATM withdrawal, then reversed", _atm(100_000, "CN-HA"),
         reverse=True),
    Step(time(20, 0), "zhang", "ATM balance inquiry",
         _atm(0, "CN-HA", kind="balance_inquiry")),
)
