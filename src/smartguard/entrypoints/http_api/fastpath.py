"""The authorize hot path as plain ASGI, in front of FastAPI.

``POST /v1/authorizations`` is most of a bank's traffic. FastAPI's routing, dependency
injection and middleware stack cost more than the decision itself (see
docs/performance.md), so this small ASGI layer answers that one path directly: the same key
check, the same pydantic model validated straight from the JSON bytes, the same use case and
the same error bodies. Everything else falls through to FastAPI, which still documents the
endpoint in OpenAPI (and serves it if this layer is not installed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from time import perf_counter
from typing import Any

import orjson
import structlog
from fastapi.exceptions import RequestValidationError

from smartguard import errors as e
from smartguard.bootstrap import App
from smartguard.entrypoints.http_api import errors
from smartguard.entrypoints.http_api.auth import KeyCache, Roles, token_from
from smartguard.service_layer.records import Role
from smartguard.service_layer.telemetry import HTTP

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PATH = "/v1/authorizations"
MAX_BODY = 64 * 1024
ALLOWED = Roles(Role.PROCESSOR)
log = structlog.get_logger("smartguard.http")


class AuthorizeFastPath:
    def __init__(self, app: ASGIApp, sg: App, keys: KeyCache) -> None:
        self.app, self.sg, self.keys = app, sg, keys
        self.timed = sg.telemetry.request_seconds[HTTP]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        started = perf_counter()
        body = await _read(receive)
        if body is None:
            status, payload, headers = 413, errors.error_body(
                "too_large", f"the body is larger than {MAX_BODY} bytes"), None
        else:
            status, payload, headers = await self._answer(scope, body)
        await _respond(send, status, orjson.dumps(payload), headers)
        self.timed.since(started)

    async def _answer(self, scope: Scope, body: bytes
                      ) -> tuple[int, dict[str, Any], dict[str, str] | None]:
        from smartguard.entrypoints.http_api.authorizations import authorize_json

        try:
            ALLOWED.check(self.keys.verify(token_from(_headers(scope))))
            return 200, await authorize_json(self.sg, body), None
        except e.SmartGuardError as exc:
            status, payload = errors.smartguard_error(exc, PATH)
            return status, payload, errors.auth_headers(status)
        except RequestValidationError as exc:
            status, payload = errors.validation_error(exc.errors())
            return status, payload, None
        except Exception:
            log.exception("unexpected_error", path=PATH)
            return 500, errors.error_body("internal_error", "an unexpected error occurred"), \
                None


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


async def _read(receive: Receive) -> bytes | None:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _respond(send: Send, status: int, payload: bytes,
                   headers: dict[str, str] | None) -> None:
    raw = [(b"content-type", b"application/json"),
           (b"content-length", str(len(payload)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": payload})
