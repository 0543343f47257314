"""Where cardholders live and travel: provinces weighted by population (2020 census,
millions), a city for each, the home time zone, and the overseas places they visit or buy
from, with a fixed exchange rate (an approximation: only the card's CNY amount matters to
the limits)."""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Home:
    province: str  # ISO 3166-2:CN
    city: str
    weight: int  # population, millions (2020 census)
    timezone: str = "Asia/Shanghai"


HOMES = (
    Home("CN-GD", "Guangzhou", 126), Home("CN-SD", "Jinan", 102),
    Home("CN-HA", "Zhengzhou", 99), Home("CN-JS", "Nanjing", 85),
    Home("CN-SC", "Chengdu", 84), Home("CN-HE", "Shijiazhuang", 75),
    Home("CN-HN", "Changsha", 66), Home("CN-ZJ", "Hangzhou", 65),
    Home("CN-AH", "Hefei", 61), Home("CN-HB", "Wuhan", 58),
    Home("CN-SH", "Shanghai", 25), Home("CN-BJ", "Beijing", 22),
    # Xinjiang keeps its own local time beside Beijing time: some cardholders set it.
    Home("CN-XJ", "Urumqi", 26, "Asia/Urumqi"),
)
_WEIGHTS = [h.weight for h in HOMES]
#: Domestic trip destinations (popular ones: provincial capitals and resorts).
DESTINATIONS = ("CN-BJ", "CN-SH", "CN-HI", "CN-YN", "CN-SN", "CN-GX", "CN-FJ", "CN-CQ",
                "CN-ZJ", "CN-GD", "CN-SC", "CN-JS")


@dataclass(frozen=True, slots=True)
class Abroad:
    country: str
    currency: str
    per_fen: float  # minor units of ``currency`` per fen
    weight: int


ABROAD = (
    Abroad("JP", "JPY", 0.21, 25), Abroad("TH", "THB", 0.049, 20),
    Abroad("HK", "HKD", 0.011, 20), Abroad("KR", "KRW", 1.9, 12),
    Abroad("SG", "SGD", 0.0019, 8), Abroad("MO", "MOP", 0.011, 8),
    Abroad("US", "USD", 0.0014, 7),
)
_ABROAD_WEIGHTS = [a.weight for a in ABROAD]
_BY_COUNTRY = {a.country: a for a in ABROAD}
#: Where card-not-present shopping abroad is done (honest and fraudulent alike).
ONLINE_ABROAD = ("US", "HK", "JP", "SG", "GB", "NL")
_RATES = {"GB": ("GBP", 0.0011), "NL": ("EUR", 0.0013)}


def pick_home(rng: random.Random) -> Home:
    return rng.choices(HOMES, _WEIGHTS)[0]


def pick_destination(rng: random.Random, home: str) -> str:
    return rng.choice([p for p in DESTINATIONS if p != home])


def pick_abroad(rng: random.Random) -> str:
    return rng.choices(ABROAD, _ABROAD_WEIGHTS)[0].country


def local_amount(country: str, fen: int) -> tuple[str, int]:
    """The transaction's currency and amount for ``fen`` in CNY at ``country``."""
    if country == "CN":
        return "CNY", fen
    place = _BY_COUNTRY.get(country)
    currency, rate = (place.currency, place.per_fen) if place else _RATES.get(
        country, ("USD", 0.0014))
    return currency, max(1, round(fen * rate))


def other_province(rng: random.Random, home: str) -> str:
    return rng.choice([h.province for h in HOMES if h.province != home])
