"""API-key authentication and role checks. Every request but health checks needs a key:
``Authorization: Bearer sg_<id>_<secret>`` (or ``X-API-Key``). No key -> 401; a key without
the role -> 403. Verified keys are cached for a short while."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader, HTTPBearer
from pydantic import BaseModel, ValidationError

from smartguard.bootstrap import App
from smartguard.errors import Forbidden, Unauthenticated
from smartguard.service_layer import keys
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import ApiKey, Role

CACHE_SECONDS = 10.0


@dataclass(frozen=True, slots=True)
class Principal:
    key: ApiKey

    @property
    def actor(self) -> Actor:
        return Actor(f"key:{self.key.id}", "api", self.key.cardholder_id)

    @property
    def role(self) -> Role:
        return self.key.role


class KeyCache:
    def __init__(self, app: App) -> None:
        self._app = app
        self._cache: dict[str, tuple[float, ApiKey]] = {}

    def verify(self, token: str) -> ApiKey:
        now = time.monotonic()
        hit = self._cache.get(token)
        if hit is not None and hit[0] > now:
            return hit[1]
        key_id, secret = keys.parse_token(token)
        key = keys.verify(self._app.read(lambda uow: uow.keys.get(key_id)), secret)
        if len(self._cache) > 10_000:
            self._cache.clear()
        self._cache[token] = (now + CACHE_SECONDS, key)
        return key


def token_from(headers: Mapping[str, str]) -> str:
    """The API key from ``Authorization: Bearer`` or ``X-API-Key`` (lower-case names)."""
    header = headers.get("authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    api_key = headers.get("x-api-key")
    if api_key:
        return api_key.strip()
    raise Unauthenticated("an API key is required (Authorization: Bearer <key>)")


#: How the OpenAPI document declares the key (the Authorize button); the key itself is read
#: by :func:`token_from`, the one place, also used by the authorize fast path.
BEARER = HTTPBearer(scheme_name="bearer", bearerFormat="sg_<id>_<secret>",
                    description="Authorization: Bearer <key>", auto_error=False)
API_KEY = APIKeyHeader(name="X-API-Key", scheme_name="apiKey",
                       description="the same key in X-API-Key", auto_error=False)


async def principal(request: Request,
                    _bearer: Annotated[object, Security(BEARER)] = None,
                    _api_key: Annotated[object, Security(API_KEY)] = None) -> Principal:
    cache: KeyCache = request.app.state.keys
    return Principal(cache.verify(token_from(request.headers)))


class Roles:
    """The roles an operation lets through (admin always passes): the one role check, used
    by every route (:func:`require`) and by the authorize fast path."""

    __slots__ = ("allowed", "wanted")

    def __init__(self, *roles: Role) -> None:
        self.allowed = frozenset(roles) | {Role.ADMIN}
        self.wanted = ", ".join(sorted(r.value for r in self.allowed))

    def check(self, key: ApiKey) -> ApiKey:
        if key.role not in self.allowed:
            raise Forbidden(f"this needs a key with role {self.wanted}; yours is "
                            f"{key.role.value}")
        return key


M = TypeVar("M", bound=BaseModel)


def parse_body(model: type[M], raw: bytes) -> M:
    """Validate JSON bytes into ``model``; errors answer like FastAPI's own (400/422)."""
    try:
        return model.model_validate_json(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        for err in errors:
            err["loc"] = ("body", *err["loc"])
        raise RequestValidationError(errors) from None


def require(*roles: Role) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency that lets through keys with one of ``roles`` (admin always passes)."""
    allowed = Roles(*roles)

    async def check(p: Annotated[Principal, Depends(principal)]) -> Principal:
        allowed.check(p.key)
        return p

    return check
