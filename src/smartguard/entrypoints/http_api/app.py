"""Build the FastAPI application around a bootstrapped SmartGuard."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from smartguard import __version__
from smartguard.bootstrap import App
from smartguard.entrypoints.http_api import (
    admin,
    advisor,
    agreements,
    alerts,
    authorizations,
    cards,
    errors,
    operations,
    protections,
    travel,
)
from smartguard.entrypoints.http_api.auth import KeyCache
from smartguard.entrypoints.http_api.fastpath import AuthorizeFastPath
from smartguard.entrypoints.logs import RequestIds
from smartguard.entrypoints.web import app as web

DESCRIPTION = """Account-security guard for bank debit cards: locks, personal limits,
step-up verification, stop-payment, alerts. Authenticate with `Authorization: Bearer <key>`.
Money is integer minor units (fen). A decline is an answer (200), not an error."""


def create_asgi(sg: App) -> RequestIds:
    """The application ``serve`` runs: request ids, then the authorize fast path in front
    of FastAPI."""
    api = create_app(sg)
    return RequestIds(AuthorizeFastPath(api, sg, api.state.keys))


def create_app(sg: App) -> FastAPI:
    api = FastAPI(title="SmartGuard", version=__version__, description=DESCRIPTION)
    api.state.smartguard = sg
    api.state.keys = KeyCache(sg)
    errors.install(api)
    for module in (authorizations, cards, protections, admin, alerts, advisor, travel,
                   agreements, operations):
        api.include_router(module.router)
    web.install(api, sg)  # the cardholder page at / and the operator console at /console

    _document_authorize(api)

    return api


def _document_authorize(api: FastAPI) -> None:
    """The authorize route reads its body itself (for speed), so FastAPI cannot see its
    model: add the model's schemas to the generated OpenAPI components."""

    def build() -> dict[str, Any]:
        if api.openapi_schema is None:
            schema = get_openapi(title=api.title, version=api.version,
                                 description=api.description, routes=api.routes)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(authorizations.openapi_components())
            api.openapi_schema = schema
        return api.openapi_schema

    api.openapi = build  # type: ignore[method-assign]
