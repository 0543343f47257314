"""Structured logs (structlog) to stderr: console lines for people, or JSON lines
(``log_format = "json"``) for a log pipeline. PANs, track data, PINs and one-time codes are
never logged: the edges hash the PAN before anything else sees it, and this filter masks
such keys in any event anyway.

HTTP requests get a request id (the caller's ``X-Request-ID`` when it sends a usable one,
else a new one), echoed in the answer's ``X-Request-ID`` and bound to every line logged
while the request is handled. ISO 8583 events name the request the acquirer's way: peer,
MTI and STAN."""

from __future__ import annotations

import logging
import re
import secrets
import sys
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

import orjson
import structlog

FORMATS = ("console", "json")
_FORBIDDEN = frozenset({"pan", "track2", "track_2", "pin", "pin_block", "cvv", "cvv2",
                        "otp", "one_time_code", "verification_code", "secret", "password"})
REQUEST_ID = "x-request-id"
_USABLE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def _drop_secrets(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
    for key in _FORBIDDEN & event.keys():
        event[key] = "***"
    return event


def _json(event: Any, **_: Any) -> str:
    return orjson.dumps(event, default=str).decode()


def _numeric(level: str) -> int:
    numeric = logging.getLevelName(level.upper())
    return numeric if isinstance(numeric, int) else logging.INFO


def enabled(level: str, wanted: str) -> bool:
    """Whether events at ``wanted`` are written when the log level is ``level``."""
    return _numeric(wanted) >= _numeric(level)


def with_test_clock(clock: Callable[[], Any]) -> Any:
    """A processor putting a test environment's clock on every line (``test_clock``)."""

    def add(_: Any, __: str, event: MutableMapping[str, Any]) -> MutableMapping[str, Any]:
        event["test_clock"] = clock().isoformat()
        return event

    return add


def configure(level: str = "info", log_format: str = "console",
              clock: Callable[[], Any] | None = None) -> None:
    """Our events (structlog) and those of the libraries (stdlib logging: uvicorn ...)
    rendered alike, to stderr; with ``clock`` (a test clock) shown on every line."""
    numeric = _numeric(level)
    renderer: Any = (structlog.processors.JSONRenderer(serializer=_json) if log_format == "json"
                     else structlog.dev.ConsoleRenderer(colors=False))
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        _drop_secrets,
        *([with_test_clock(clock)] if clock is not None else []),
    ]
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        foreign_pre_chain=[structlog.stdlib.add_logger_name, *shared]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(numeric)
    structlog.configure(
        processors=[*shared, structlog.processors.format_exc_info, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(numeric),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=True,
    )


Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]],
                    Callable[[Message], Awaitable[None]]], Awaitable[None]]


def request_id(headers: list[tuple[bytes, bytes]]) -> str:
    """The caller's X-Request-ID when it is short and plain, else a new one."""
    for name, value in headers:
        if name == b"x-request-id":
            given = value.decode("latin-1")
            if _USABLE_ID.match(given):
                return given
    return secrets.token_hex(8)


class RequestIds:
    """ASGI middleware: a request id per HTTP request, bound to its log lines and echoed."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        rid = request_id(scope["headers"])
        header = (b"x-request-id", rid.encode())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), header]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=rid):
            await self.app(scope, receive, send_with_id)
