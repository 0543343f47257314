"""Primary account numbers: validation and the parts that may be shown (first 6, last 4).

The PAN itself is never stored; the service keeps a keyed hash to find the card.
"""

from __future__ import annotations

from smartguard.domain.errors import InvalidInput


def luhn_ok(pan: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(pan)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def check_pan(pan: str) -> str:
    """Return ``pan`` if it is 13-19 digits with a valid check digit; never echo it."""
    if not (pan.isascii() and pan.isdigit() and 13 <= len(pan) <= 19):
        raise InvalidInput("pan", "must be 13 to 19 digits", "invalid_pan")
    if not luhn_ok(pan):
        raise InvalidInput("pan", "the check digit is wrong", "invalid_pan")
    return pan


def visible_parts(pan: str) -> tuple[str, str]:
    return pan[:6], pan[-4:]


def with_check_digit(body: str) -> str:
    """``body`` plus the Luhn check digit that makes it a valid PAN (for demo data)."""
    for d in "0123456789":
        if luhn_ok(body + d):
            return body + d
    raise AssertionError("unreachable")
