"""Use cases: web sessions (cardholder page, operator console) and attempt limits.

A session is a random token handed to the browser once; only its SHA-256 is stored. It ends
when the holder signs out, after :data:`IDLE` without a request, or :data:`MAX_AGE` after
sign-in, whichever comes first. Activity is written at most every :data:`TOUCH_EVERY`, so
browsing costs a write a minute, not one per page.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.web_records import SessionKind, WebSession

IDLE = timedelta(minutes=15)
MAX_AGE = timedelta(hours=12)
TOUCH_EVERY = timedelta(seconds=60)


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``count`` attempts per subject in any ``window``."""

    count: int
    window: timedelta


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(
    uow: UnitOfWork, ctx: Context, kind: SessionKind, subject: str, label: str
) -> str:
    """Start a session and return its token (for the cookie; never stored)."""
    token = ctx.new_token()
    now = ctx.clock()
    uow.sessions.add(WebSession(token_hash(token), kind, subject, label, now, now,
                                now + MAX_AGE))
    return token


def current_session(
    uow: UnitOfWork, ctx: Context, token: str, kind: SessionKind
) -> WebSession | None:
    """The live session of ``kind`` this token opens, or None (unknown, ended, idle too
    long, too old; an operator's session also ends with its API key)."""
    session = uow.sessions.get(token_hash(token))
    now = ctx.clock()
    if session is None or session.kind is not kind or session.ended_at is not None:
        return None
    if now >= session.expires_at or now - session.last_seen_at >= IDLE:
        return None
    if kind is SessionKind.OPERATOR:
        key = uow.keys.get(session.subject)
        if key is None or key.revoked_at is not None:
            return None
    return session


def needs_touch(ctx: Context, session: WebSession) -> bool:
    return ctx.clock() - session.last_seen_at >= TOUCH_EVERY


def touch_session(uow: UnitOfWork, ctx: Context, token: str) -> None:
    uow.sessions.touch(token_hash(token), ctx.clock())


def end_session(uow: UnitOfWork, ctx: Context, token: str) -> None:
    uow.sessions.end(token_hash(token), ctx.clock())


def attempt(uow: UnitOfWork, ctx: Context, scope: str, subject: str, limit: Limit) -> bool:
    """Record an attempt by ``subject`` (a phone, an IP address; stored as a keyed hash)
    and say whether it is within ``limit``. Attempts over the limit are recorded too, so
    a client that keeps trying stays locked out."""
    now = ctx.clock()
    hashed = hmac.new(ctx.secret, f"attempt:{scope}:{subject}".encode(),
                      hashlib.sha256).hexdigest()
    return uow.attempts.record(scope, hashed, now, now - limit.window) <= limit.count
