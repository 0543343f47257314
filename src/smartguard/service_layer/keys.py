"""Use cases: API keys with a role. The secret is shown once and stored only as a hash."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import replace

from smartguard.errors import InvalidState, NotFound, Unauthenticated, UnknownCardholder
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import ApiKey, AuditEntry, Role

PREFIX = "sg"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(
    uow: UnitOfWork, ctx: Context, role: Role, label: str = "",
    cardholder_id: str | None = None,
) -> tuple[ApiKey, str]:
    """Create a key; returns it and the token ``sg_<id>_<secret>`` to hand to its user."""
    if cardholder_id is not None and uow.cardholders.get(cardholder_id) is None:
        raise UnknownCardholder(f"no cardholder {cardholder_id}")
    key_id = secrets.token_hex(6)
    secret = secrets.token_urlsafe(24)
    key = ApiKey(key_id, _hash(secret), role, label, ctx.clock(), cardholder_id)
    uow.keys.add(key)
    return key, f"{PREFIX}_{key_id}_{secret}"


def revoke_key(uow: UnitOfWork, ctx: Context, actor: Actor, key_id: str) -> ApiKey:
    """Revoke a key (audited); its token stops working within the API's key cache time
    (auth.CACHE_SECONDS)."""
    key = uow.keys.get(key_id)
    if key is None:
        raise NotFound(f"no API key {key_id}")
    if key.revoked_at is not None:
        raise InvalidState(f"API key {key_id} is already revoked")
    at = ctx.clock()
    uow.keys.revoke(key_id, at)
    uow.audit.add(AuditEntry(at, actor.id, actor.channel, "revoke_key",
                             cardholder_id=key.cardholder_id,
                             old={"key": key_id, "role": key.role.value, "label": key.label},
                             new=None))
    return replace(key, revoked_at=at)


def parse_token(token: str) -> tuple[str, str]:
    parts = token.split("_", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1] or not parts[2]:
        raise Unauthenticated("malformed API key")
    return parts[1], parts[2]


def verify(key: ApiKey | None, secret: str) -> ApiKey:
    if key is None or key.revoked_at is not None:
        raise Unauthenticated("unknown or revoked API key")
    if not hmac.compare_digest(key.secret_hash, _hash(secret)):
        raise Unauthenticated("unknown or revoked API key")
    return key
