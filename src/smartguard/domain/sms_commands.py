"""Inbound SMS text -> a command value (SPEC 3.5, 3.6). Pure; never raises on bad text.

Accepted, case-insensitive, with full-width characters folded (a Chinese keyboard sends
``ＺＦ＃１２３４``): ``ZF``, ``ZF#1234``, ``ZF 1234``, ``ZF1234``, ``止付``, ``止付 1234``
(stop the card); ``Y 123456`` / ``N 123456`` (confirm / reject a verification). Anything
else is :class:`Unrecognised`, with why.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

#: Longer texts are not commands (a concatenated flood, a pasted message): refused whole.
MAX_LENGTH = 160

_STOP = re.compile(r"^(?:ZF|止付)\s*(?:#\s*)?(?P<last4>[0-9]{4})?$")
_ANSWER = re.compile(r"^(?P<yn>[YN])\s*(?:#\s*)?(?P<code>[0-9]{6})$")
_ANSWER_LOOSE = re.compile(r"^[YN](?:\s|#|$)")


@dataclass(frozen=True, slots=True)
class StopCard:
    """Freeze the card with these last 4 digits (None: the phone's only card)."""

    last4: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerChallenge:
    confirm: bool
    code: str


@dataclass(frozen=True, slots=True)
class Unrecognised:
    reason: str  # empty, too_long, bad_code, unknown


Command = StopCard | AnswerChallenge | Unrecognised


def normalize(text: str) -> str:
    """Fold full-width forms (NFKC), upper-case, collapse white space."""
    folded = unicodedata.normalize("NFKC", text)
    return " ".join(folded.split()).upper()


def parse(text: str) -> Command:
    if len(text) > MAX_LENGTH:
        return Unrecognised("too_long")
    clean = normalize(text)
    if not clean:
        return Unrecognised("empty")
    stop = _STOP.match(clean)
    if stop:
        return StopCard(stop["last4"])
    answer = _ANSWER.match(clean)
    if answer:
        return AnswerChallenge(answer["yn"] == "Y", answer["code"])
    if _ANSWER_LOOSE.match(clean):
        return Unrecognised("bad_code")
    return Unrecognised("unknown")


def describe(command: Command) -> str:
    """The command for the audit trail, without any code in it."""
    if isinstance(command, StopCard):
        return f"stop:{command.last4}" if command.last4 else "stop"
    if isinstance(command, AnswerChallenge):
        return "confirm" if command.confirm else "reject"
    return f"unrecognised:{command.reason}"
