"""What the platform team's tools read, without an API key: health, liveness, readiness
and Prometheus metrics (docs/operations.md). None of them tells anything about a card."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from smartguard.bootstrap import App, pending_migrations
from smartguard.entrypoints.metrics import CONTENT_TYPE, exposition
from smartguard.errors import SmartGuardError

router = APIRouter(tags=["operations"])
METRICS_EXAMPLE = """\
# HELP smartguard_decisions_total authorizations decided, by interface, outcome and primary \
reason
# TYPE smartguard_decisions_total counter
smartguard_decisions_total{interface="iso8583",outcome="approve",reason="none"} 1042.0
"""


class Status(BaseModel):
    status: str = Field(examples=["ok"])


class Readiness(BaseModel):
    status: str = Field(examples=["ready"], description="ready or not_ready")
    checks: dict[str, str] = Field(
        examples=[{"store": "ok", "migrations": "ok", "iso8583_listening": "ok"}],
        description="each check: ok, or what is wrong")


def _app(request: Request) -> App:
    app: App = request.app.state.smartguard
    return app


def _read_store(app: App) -> None:
    app.read(lambda uow: uow.keys.get("-"))


@router.get("/healthz", response_model=Status)
def healthz(request: Request) -> dict[str, str]:
    """The process answers and its store can be read."""
    _read_store(_app(request))
    return {"status": "ok"}


@router.get("/livez", response_model=Status)
async def livez() -> dict[str, str]:
    """Liveness: the process's event loop answers (restart it when this fails). It asks
    nothing of the store: a database outage must not get every node restarted."""
    return {"status": "ok"}


@router.get("/readyz", response_model=Readiness,
            responses={503: {"model": Readiness, "description": "not ready"}})
def readyz(request: Request) -> Any:
    """Readiness: the store answers, its schema has every migration this version ships,
    and each service that listens (the ISO 8583 gateway) is listening. 503 otherwise."""
    app = _app(request)
    checks = {"store": _check(lambda: _read_store(app)),
              "migrations": _check(lambda: _migrations(app))}
    for name, ready in sorted(app.telemetry.ready.items()):
        checks[name] = "ok" if ready() else "not listening"
    ok = all(v == "ok" for v in checks.values())
    body = {"status": "ready" if ok else "not_ready", "checks": checks}
    return body if ok else JSONResponse(body, 503)


def _migrations(app: App) -> None:
    missing = pending_migrations(app.settings)
    if missing:
        raise SmartGuardError(f"not applied: {', '.join(missing)} (smartguard db upgrade)")


def _check(probe: Any) -> str:
    try:
        probe()
    except SmartGuardError as exc:
        return str(exc)
    except Exception as exc:  # a driver error outside the store's own translation
        return f"{type(exc).__name__}: {exc}"
    return "ok"


@router.get("/metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE: {
                "schema": {"type": "string"}, "example": METRICS_EXAMPLE}},
                "description": "Prometheus text format"}})
def metrics(request: Request) -> Response:
    """Prometheus metrics of this process (docs/operations.md lists them)."""
    return Response(exposition(_app(request)), media_type=CONTENT_TYPE)
