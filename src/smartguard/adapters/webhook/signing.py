"""Webhook signatures: ``SmartGuard-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>">``, one ``v1`` per active secret (two during a rotation). Receivers check that
one ``v1`` matches a secret they know and that ``t`` is recent (replays are refused)."""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence

HEADER = "SmartGuard-Signature"
TOLERANCE = 300  # seconds a signature stays acceptable


def sign(body: bytes, secrets: Sequence[str], timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else timestamp
    macs = [_mac(secret, t, body) for secret in secrets]
    return ",".join([f"t={t}", *(f"v1={mac}" for mac in macs)])


def verify(body: bytes, header: str, secrets: Sequence[str], now: float | None = None,
           tolerance: int = TOLERANCE) -> bool:
    """True when ``header`` carries a fresh timestamp and a ``v1`` made with one of
    ``secrets`` over exactly ``body``."""
    parts = [p.split("=", 1) for p in header.split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    macs = [v.strip() for k, v in parts if k.strip() == "v1"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit() or not macs:
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    return any(hmac.compare_digest(_mac(secret, t, body), mac)
               for secret in secrets if secret for mac in macs)


def _mac(secret: str, t: int, body: bytes) -> str:
    return hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
