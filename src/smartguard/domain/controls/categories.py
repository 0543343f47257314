"""Merchant categories in plain words, each mapped to its merchant category codes (MCC,
ISO 18245), in one table; ``docs/merchant-categories.md`` shows it with the source of
every range, and a test keeps the two in step.

A code is in at most one category. A request without an MCC, or with one in no category,
is in no category: no category control acts on it (docs/decisions.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from smartguard.domain.errors import InvalidInput


class Category(StrEnum):
    GAMBLING = "gambling"
    LOTTERY = "lottery"
    QUASI_CASH = "quasi_cash"  # quasi-cash, foreign currency, crypto, stored-value loads
    MONEY_TRANSFER = "money_transfer"
    ADULT = "adult"
    SECURITIES = "securities"
    DIGITAL_GOODS = "digital_goods"  # games, apps, media bought online
    ALCOHOL_TOBACCO = "alcohol_tobacco"
    TRAVEL = "travel"  # airlines, car rental, lodging, travel agencies


@dataclass(frozen=True, slots=True)
class CategoryInfo:
    category: Category
    zh: str
    en: str
    ranges: tuple[tuple[int, int], ...]  # inclusive MCC ranges
    cooldown: timedelta = timedelta(0)  # default wait before a lifted block ends


_H48 = timedelta(hours=48)

#: The table (sources per range: docs/merchant-categories.md).
CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo(Category.GAMBLING, "博彩、赌场及投注", "gambling, casinos and betting",
                 ((7801, 7802), (7995, 7995)), _H48),
    CategoryInfo(Category.LOTTERY, "彩票", "lotteries", ((7800, 7800), (9406, 9406)), _H48),
    CategoryInfo(Category.QUASI_CASH, "准现金、外币及加密货币", "quasi-cash, foreign currency "
                 "and crypto", ((6050, 6051), (6540, 6540))),
    CategoryInfo(Category.MONEY_TRANSFER, "汇款及资金转移", "money transfer",
                 ((4829, 4829), (6536, 6538))),
    CategoryInfo(Category.ADULT, "成人娱乐及交友", "adult entertainment and dating",
                 ((5967, 5967), (7273, 7273))),
    CategoryInfo(Category.SECURITIES, "证券及投资", "securities and investments",
                 ((6211, 6211),)),
    CategoryInfo(Category.DIGITAL_GOODS, "游戏、应用及数字内容", "games, apps and digital "
                 "content", ((5815, 5818),)),
    CategoryInfo(Category.ALCOHOL_TOBACCO, "烟酒", "alcohol and tobacco",
                 ((5921, 5921), (5993, 5993))),
    CategoryInfo(Category.TRAVEL, "机票、租车及酒店", "airlines, car rental and hotels",
                 ((3000, 3999), (4511, 4511), (4722, 4722), (7011, 7011), (7512, 7512))),
)

INFO: dict[Category, CategoryInfo] = {c.category: c for c in CATEGORIES}


def _index() -> dict[str, Category]:
    found: dict[str, Category] = {}
    for info in CATEGORIES:
        for low, high in info.ranges:
            for code in range(low, high + 1):
                key = f"{code:04d}"
                if key in found:
                    raise ValueError(f"MCC {key} is in two categories")
                found[key] = info.category
    return found


_BY_MCC = _index()


def cooldowns(hours: dict[str, int | float] | None = None) -> dict[Category, timedelta]:
    """Each category's cool-down: the table's default, or the bank's ``hours`` (0: none)."""
    found = {info.category: info.cooldown for info in CATEGORIES}
    for key, value in (hours or {}).items():
        if isinstance(value, bool) or not isinstance(value, int | float) \
                or not 0 <= value <= 24 * 30:
            raise InvalidInput(f"controls.cooldown_hours.{key}", "0 to 720 hours")
        found[category(key, f"controls.cooldown_hours.{key}")] = timedelta(hours=value)
    return found


def category_of(mcc: str) -> Category | None:
    """The category of a 4-digit MCC; None for no MCC or one in no category."""
    return _BY_MCC.get(mcc)


def category(name: str, where: str = "category") -> Category:
    """A category by its name, or InvalidInput naming the field."""
    try:
        return Category(name)
    except ValueError:
        raise InvalidInput(where, f"unknown category {name!r}; one of: "
                           + ", ".join(Category), "unknown_category") from None


def check_mcc(mcc: str, where: str = "mcc") -> str:
    """An MCC is empty (not sent) or exactly 4 digits."""
    if mcc and not (len(mcc) == 4 and mcc.isascii() and mcc.isdigit()):
        raise InvalidInput(where, "an MCC is 4 digits (ISO 18245)", "invalid_mcc")
    return mcc


def name(c: Category, language: str) -> str:
    info = INFO[c]
    return info.zh if language == "zh-CN" else info.en
