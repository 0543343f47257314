"""Where each province is, for the distance and speed features (docs/rules.md).

A province's point is its capital city (latitude, longitude in degrees, rounded to 0.1):
transactions carry a province, not a city's coordinates, and the capital is where most of
a province's card traffic is. Distances are great-circle (haversine, mean Earth radius).
Hong Kong, Macao and Taiwan are listed by their country codes (they are overseas).
"""

from __future__ import annotations

from functools import lru_cache
from math import asin, cos, radians, sin, sqrt

CENTROIDS: dict[str, tuple[float, float]] = {
    "CN-BJ": (39.9, 116.4), "CN-TJ": (39.1, 117.2), "CN-HE": (38.0, 114.5),
    "CN-SX": (37.9, 112.6), "CN-NM": (40.8, 111.7), "CN-LN": (41.8, 123.4),
    "CN-JL": (43.8, 125.3), "CN-HL": (45.8, 126.5), "CN-SH": (31.2, 121.5),
    "CN-JS": (32.1, 118.8), "CN-ZJ": (30.3, 120.2), "CN-AH": (31.8, 117.2),
    "CN-FJ": (26.1, 119.3), "CN-JX": (28.7, 115.9), "CN-SD": (36.7, 117.0),
    "CN-HA": (34.7, 113.6), "CN-HB": (30.6, 114.3), "CN-HN": (28.2, 112.9),
    "CN-GD": (23.1, 113.3), "CN-GX": (22.8, 108.3), "CN-HI": (20.0, 110.3),
    "CN-CQ": (29.6, 106.5), "CN-SC": (30.7, 104.1), "CN-GZ": (26.6, 106.7),
    "CN-YN": (25.0, 102.7), "CN-XZ": (29.7, 91.1), "CN-SN": (34.3, 108.9),
    "CN-GS": (36.1, 103.8), "CN-QH": (36.6, 101.8), "CN-NX": (38.5, 106.3),
    "CN-XJ": (43.8, 87.6), "HK": (22.3, 114.2), "MO": (22.2, 113.5), "TW": (25.0, 121.5),
}
EARTH_RADIUS_KM = 6371.0


@lru_cache(maxsize=4096)
def distance_km(a: str, b: str) -> int | None:
    """Kilometres between two places (province codes, or HK/MO/TW); None if either is not
    in the table."""
    pa, pb = CENTROIDS.get(a), CENTROIDS.get(b)
    if pa is None or pb is None:
        return None
    lat1, lon1, lat2, lon2 = map(radians, (*pa, *pb))
    h = sin((lat2 - lat1) / 2) ** 2 + cos(lat1) * cos(lat2) * sin((lon2 - lon1) / 2) ** 2
    return round(2 * EARTH_RADIUS_KM * asin(sqrt(h)))
