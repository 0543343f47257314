"""Build the FastAPI application around a bootstrapped SmartGuard."""

from __future__ import annotations

from fastapi import FastAPI

from smartguard import __version__
from smartguard.bootstrap import App
from smartguard.entrypoints.http_api import (
    admin,
    advisor,
    agreements,
    alerts,
    authorizations,
    card_controls,
    cards,
    errors,
    openapi,
    operations,
    protections,
    rules,
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
    api = FastAPI(title="SmartGuard", version=__version__, description=DESCRIPTION,
                  docs_url=None, redoc_url=None)
    api.state.smartguard = sg
    api.state.keys = KeyCache(sg)
    errors.install(api)
    for module in (authorizations, cards, protections, card_controls, admin, alerts, advisor,
                   travel, agreements, operations, rules):
        api.include_router(module.router)
    web.install(api, sg)  # the cardholder page at / and the operator console at /console

    openapi.install(api)

    return api

