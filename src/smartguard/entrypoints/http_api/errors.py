"""The one place where errors become HTTP answers: ``{"error": {code, message, fields}}``."""

from __future__ import annotations

from collections.abc import Sequence
from http import HTTPStatus
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from smartguard import errors as e
from smartguard.domain.rules import RuleCompileError

log = structlog.get_logger("smartguard.http")

STATUS: list[tuple[type[Exception], int]] = [
    (e.InvalidInput, 422),
    (e.UnknownCard, 404),
    (e.NotFound, 404),
    (e.Conflict, 409),
    (e.Unauthenticated, 401),
    (e.Forbidden, 403),
    (e.StoreUnavailable, 503),
    (e.TooLarge, 413),
]


def may_answer(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Error answers of an operation beyond those openapi.py gives it from its shape (e.g.
    a 404 for an id named in the body): each gets the envelope in the document."""
    return {status: {"description": HTTPStatus(status).phrase} for status in statuses}


def status_for(exc: Exception) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def error_body(code: str, message: str, fields: list[dict[str, str]] | None = None
               ) -> dict[str, Any]:
    body: dict[str, Any] = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    return {"error": body}


def _location(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path")]
    return ".".join(parts) or "body"


def smartguard_error(exc: e.SmartGuardError, path: str) -> tuple[int, dict[str, Any]]:
    """Status and body for one of SmartGuard's own errors."""
    status = status_for(exc)
    if status >= 500:
        log.error("request_failed", path=path, error=str(exc))
    fields = None
    if isinstance(exc, e.InvalidInput):
        fields = [{"field": exc.field, "message": exc.message}]
        if isinstance(exc, RuleCompileError):  # where the rule is wrong (1-based)
            fields[0] |= {"line": str(exc.line), "column": str(exc.column),
                          "message": exc.plain}
        message = f"{exc.field}: {exc.message}"
    else:
        message = str(exc)
    return status, error_body(exc.code, message, fields)


#: Fields holding an amount of money: a bad one (negative, fractional, too large, not a
#: number) is ``invalid_amount``, as docs/decisions.md says, whichever check refused it.
AMOUNT_FIELDS = frozenset({"amount", "billing_amount", "actual_amount"})


def validation_error(errors: Sequence[Any]) -> tuple[int, dict[str, Any]]:
    """Status and body for request validation errors (400 for JSON that does not parse)."""
    if any(err.get("type") == "json_invalid" for err in errors):
        return 400, error_body("malformed_json", "the request body is not valid JSON")
    fields = [{"field": _location(tuple(err["loc"])), "message": str(err["msg"])}
              for err in errors]
    message = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
    amounts = all(str(err["loc"][-1]) in AMOUNT_FIELDS for err in errors if err["loc"])
    return 422, error_body("invalid_amount" if amounts else "validation_error", message,
                           fields)


def auth_headers(status: int) -> dict[str, str] | None:
    return {"WWW-Authenticate": "Bearer"} if status == 401 else None


async def on_smartguard_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, e.SmartGuardError)
    status, body = smartguard_error(exc, request.url.path)
    return JSONResponse(body, status, headers=auth_headers(status))


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    status, body = validation_error(exc.errors())
    return JSONResponse(body, status)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected_error", path=request.url.path)
    return JSONResponse(error_body("internal_error", "an unexpected error occurred"), 500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(e.SmartGuardError, on_smartguard_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(Exception, on_unexpected)

