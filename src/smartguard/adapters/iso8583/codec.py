"""SmartGuard's ISO 8583 wire format (docs/iso8583-profile.md), on pyiso8583.

Fields are ASCII; the bitmaps (primary, secondary) and the PIN block (field 52) are binary;
each message travels after a 2-byte big-endian length header that does not count itself.
This module only turns bytes into a dict of field strings and back; what the fields mean
is :mod:`smartguard.adapters.iso8583.mapping`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

import iso8583
from iso8583.specs import default_ascii

Fields = dict[str, str]

HEADER_BYTES = 2
MAX_FRAME = 0xFFFF  # what a 2-byte header can say

SPEC: dict[str, dict[str, Any]] = copy.deepcopy(default_ascii)
for _bitmap in ("p", "1"):
    SPEC[_bitmap].update(data_enc="b", max_len=8)
SPEC["52"].update(data_enc="b", max_len=8)
SPEC["54"].update(max_len=120)


class FrameError(ValueError):
    """A message that cannot be decoded. ``fields`` holds what could be read before the
    error (often the MTI, and the STAN when it came before the broken field)."""

    def __init__(self, reason: str, fields: Fields) -> None:
        super().__init__(reason)
        self.reason = reason
        self.fields = fields


def decode(message: bytes) -> Fields:
    """The fields of one message (without its length header): ``t`` is the MTI, ``"2"``
    the PAN and so on; binary fields come back as upper-case hex."""
    try:
        fields, _ = iso8583.decode(message, SPEC)
    except iso8583.DecodeError as exc:
        # The reason names the field and what is wrong, never the data (it may hold a PAN).
        reason = f"field {exc.field}: {exc.msg.split(',')[0]}"
        raise FrameError(reason, dict(exc.doc_dec)) from None
    except (TypeError, ValueError) as exc:  # pragma: no cover - pyiso8583 raises DecodeError
        raise FrameError(str(exc), {}) from None
    fields.pop("p", None)
    fields.pop("1", None)
    return fields


def encode(fields: Fields) -> bytes:
    """One message with its 2-byte length header."""
    raw, _ = iso8583.encode(dict(fields), SPEC)
    return len(raw).to_bytes(HEADER_BYTES, "big") + bytes(raw)


@dataclass(frozen=True, slots=True)
class Frames:
    """Complete messages split off the front of a byte stream, and what is left over."""

    messages: list[bytes]
    rest: bytes
    too_large: int = 0  # a length header above the limit was met (its value)


def split(buffer: bytes, max_bytes: int) -> Frames:
    messages: list[bytes] = []
    pos, end = 0, len(buffer)
    while end - pos >= HEADER_BYTES:
        size = (buffer[pos] << 8) | buffer[pos + 1]
        if size > max_bytes:
            return Frames(messages, b"", too_large=size)
        if end - pos - HEADER_BYTES < size:
            break
        start = pos + HEADER_BYTES
        messages.append(buffer[start:start + size])
        pos = start + size
    return Frames(messages, buffer[pos:])
