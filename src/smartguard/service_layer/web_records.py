"""What the web page and the console store: sign-in codes, sessions, attempt counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from smartguard.domain.decisions import Outcome


class SessionKind(StrEnum):
    CARDHOLDER = "cardholder"  # subject: cardholder id
    OPERATOR = "operator"  # subject: the operator's API key id


@dataclass(frozen=True, slots=True)
class SignInCode:
    """A one-time code sent by SMS to sign a cardholder in; only its keyed hash is kept."""

    id: str
    cardholder_id: str
    card_id: str  # the card whose last 4 digits were given
    code_hash: str
    created_at: datetime
    expires_at: datetime
    attempts: int = 0  # wrong codes tried so far
    used_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str  # SHA-256 of the token in the cookie; the token itself is never stored
    kind: SessionKind
    subject: str
    label: str  # operators: the key's role; cardholders: the card they signed in with
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime  # absolute end, whatever the activity
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DecisionCount:
    """How many decisions in one UTC hour had one outcome and primary reason."""

    hour: datetime
    outcome: Outcome
    reason: str | None  # the primary reason; None for plain approvals
    count: int
