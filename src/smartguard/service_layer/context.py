"""What every use case gets besides the unit of work: the clock, ids, codes and hashing.

Time and randomness come in here so a test, a replay and production run the same code.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from smartguard.domain.challenges import DEFAULT_VALIDITY
from smartguard.domain.controls.categories import Category, cooldowns
from smartguard.domain.controls.values import Ceilings
from smartguard.domain.rules import RuleLanguage


def utc_now() -> datetime:
    return datetime.now(UTC)


def shifted_clock(start: datetime, wall: Callable[[], datetime] = utc_now
                  ) -> Callable[[], datetime]:
    """A clock for test environments (``test_clock``): ``start`` now, advancing with the
    wall clock from there."""
    anchor = wall()
    begins = start.astimezone(UTC)
    return lambda: begins + (wall() - anchor)


class _IdSequence:
    """(milliseconds, sequence) pairs, strictly increasing within this process, so ids made
    in the same millisecond (one use case writing two alerts) sort in the order they were
    made. 4,096 ids fit in one millisecond; beyond that the millisecond steps on."""

    def __init__(self) -> None:
        self.ms = self.seq = 0
        self.lock = threading.Lock()

    def next(self) -> tuple[int, int]:
        now = time.time_ns() // 1_000_000
        with self.lock:
            if now > self.ms:
                self.ms, self.seq = now, 0
            elif self.seq < 0xFFF:
                self.seq += 1
            else:
                self.ms, self.seq = self.ms + 1, 0
            return self.ms, self.seq


_IDS = _IdSequence()


def new_id(prefix: str) -> str:
    """``prefix_`` + 11 hex digits of milliseconds + 3 of sequence + 8 random: unique, and
    increasing with time so new rows land at the end of the id index (fewer pages written
    per commit), in the order they were made within one process."""
    ms, seq = _IDS.next()
    return f"{prefix}_{ms:011x}{seq:03x}{os.urandom(4).hex()}"


def new_code() -> str:
    return f"{secrets.randbelow(1_000_000):06d}"


def new_token() -> str:
    """A bearer secret (web session): 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Context:
    secret: bytes = field(repr=False)  # keys the hashes of one-time codes
    clock: Callable[[], datetime] = utc_now
    new_id: Callable[[str], str] = new_id
    new_code: Callable[[], str] = new_code
    new_token: Callable[[], str] = new_token
    challenge_validity: timedelta = DEFAULT_VALIDITY
    ceilings: dict[str, Ceilings] = field(default_factory=dict)  # product -> configured
    #: the channels alerts are written for (the bank's choice; see docs/alerts.md)
    alert_channels: frozenset[str] = frozenset({"sms", "webhook"})
    #: how long lifting a category block waits (the bank's choice; docs/decisions.md)
    cooldowns: dict[Category, timedelta] = field(default_factory=cooldowns)
    #: the bank's monitoring rules' language (None: no rule is ever run; docs/rules.md)
    rule_language: RuleLanguage | None = None
    #: four eyes: a rule is activated only by an operator other than the one who asked
    four_eyes: bool = False

    def hash_code(self, code: str) -> str:
        return hmac.new(self.secret, b"code:" + code.encode(), hashlib.sha256).hexdigest()

    def hash_request(self, content: bytes) -> str:
        """The keyed hash an idempotency key's request is remembered by."""
        return hmac.new(self.secret, b"request:" + content, hashlib.sha256).hexdigest()

    def hash_pan(self, pan: str) -> str:
        """The keyed hash a card is found by (PCI DSS 3.5.1: the PAN is never stored)."""
        return hmac.new(self.secret, b"pan:" + pan.encode(), hashlib.sha256).hexdigest()

    def seal(self, value: str) -> str:
        """``value`` encrypted (AES-GCM, key derived from the secret) for a short stay in
        the outbox or the answer to an idempotency key: a one-time code or an API key's
        token is never stored in clear."""
        nonce = secrets.token_bytes(12)
        box = AESGCM(self._seal_key()).encrypt(nonce, value.encode(), b"outbox")
        return base64.urlsafe_b64encode(nonce + box).decode()

    def unseal(self, sealed: str) -> str:
        raw = base64.urlsafe_b64decode(sealed.encode())
        try:
            return AESGCM(self._seal_key()).decrypt(raw[:12], raw[12:], b"outbox").decode()
        except InvalidTag:
            raise ValueError("sealed with another secret") from None

    def _seal_key(self) -> bytes:
        return hmac.new(self.secret, b"seal:outbox", hashlib.sha256).digest()



@dataclass(frozen=True, slots=True)
class Actor:
    """Who asks for a change, and through which channel (for the audit trail)."""

    id: str
    channel: str
    cardholder_id: str | None = None  # set when the actor may act for one cardholder only

    @property
    def label(self) -> str:
        return self.id
