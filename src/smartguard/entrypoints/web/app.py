"""The cardholder web page (``/``) and the operator console (``/console``), mounted in the
same ASGI app as the HTTP API. Server-rendered Jinja2 templates and a small static
JavaScript helper shipped in the package: nothing is built at install time. One router per
area; what they share is in :mod:`.pages`."""

from __future__ import annotations

from fastapi import FastAPI
from starlette.staticfiles import StaticFiles

from smartguard.bootstrap import App
from smartguard.entrypoints.web import (
    advisor,
    alerts,
    card_controls,
    cardholder,
    centre,
    console,
    console_card,
    console_rules,
    not_me,
    protections,
    quick_pay,
    travel,
)
from smartguard.entrypoints.web.pages import Web, environment
from smartguard.entrypoints.web.sessions import Signer

ROUTERS = (centre, cardholder, protections, card_controls, alerts, advisor, quick_pay,
           travel, console, console_card, console_rules, not_me)


def install(api: FastAPI, sg: App) -> None:
    """Add the page and the console to ``api`` (routes hidden from the OpenAPI schema)."""
    api.state.web = Web(sg, environment(), Signer(sg.ctx.secret))
    api.mount("/static", StaticFiles(packages=[("smartguard.entrypoints.web", "static")]),
              name="static")
    for module in ROUTERS:
        api.include_router(module.router)
