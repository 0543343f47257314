"""Idempotency keys: a POST sent again with the same ``Idempotency-Key`` gets the first
answer and changes nothing; the same key with another request is a conflict
(docs/api.md, "Idempotency keys").

The key is taken, the job run and its answer stored in one unit of work, so the answer is
durable exactly when the effect is: a job that fails stores nothing and a retry runs it
again. Keys are scoped to the caller (the API key) and forgotten after :data:`TTL`: a
caller's expired keys when it writes its next one, everybody's by :func:`forget_expired`
(``serve`` runs it every few minutes, entrypoints/housekeeping.py)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from smartguard.errors import IdempotencyConflict
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import StoredAnswer

#: How long a key is remembered (as Stripe and the IETF draft suggest: a day).
TTL = timedelta(hours=24)

Body = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Request:
    """One request sent with a key: who (``scope``), the key, and the request itself as
    bytes (method, path and canonical body), kept only as a keyed hash."""

    scope: str
    key: str
    content: bytes
    status: int  # what the operation answers on success

    def fingerprint(self, ctx: Context) -> str:
        return ctx.hash_request(self.content)


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: Body
    replayed: bool


def once(uow: UnitOfWork, ctx: Context, request: Request,
         job: Callable[[UnitOfWork], Body]) -> Answer:
    """Run ``job`` unless ``request``'s key was seen: then answer as the first time."""
    now = ctx.clock()
    fingerprint = request.fingerprint(ctx)
    stored = uow.idempotency.claim(request.scope, request.key, fingerprint, now, now + TTL)
    if stored is not None:
        return replay(ctx, stored, fingerprint)
    body = job(uow)
    uow.idempotency.answer(request.scope, request.key, request.status,
                           ctx.seal(json.dumps(body, separators=(",", ":"))))
    return Answer(request.status, body, False)


def forget_expired(uow: UnitOfWork, ctx: Context, limit: int = 1000) -> int:
    """Delete up to ``limit`` expired keys, whoever sent them (a revoked API key's too);
    how many were deleted."""
    return uow.idempotency.forget_expired(ctx.clock(), limit)


def replay(ctx: Context, stored: StoredAnswer, fingerprint: str) -> Answer:
    if stored.fingerprint != fingerprint:
        raise IdempotencyConflict("this Idempotency-Key was used for another request; "
                                  "use a new key for a new request")
    body: Body = json.loads(ctx.unseal(stored.body))
    return Answer(stored.status, body, True)


def canonical(method: str, path: str, query: str, body: bytes) -> bytes:
    """The request as the fingerprint sees it: a JSON body's key order and spacing do not
    matter, anything else counts byte for byte."""
    try:
        parsed = json.loads(body) if body else None
        text = json.dumps(parsed, sort_keys=True, separators=(",", ":")).encode()
    except ValueError:
        text = body
    return b"\n".join((method.upper().encode(), path.encode(), query.encode(), text))
