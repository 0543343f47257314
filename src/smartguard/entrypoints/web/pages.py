"""What every web page shares: rendering (Jinja2 templates shipped in the package), the
visitor's language, redirects, security headers, and :class:`WebRoute`, which turns
SmartGuard's errors into HTML pages (the API's JSON error handlers never see them)."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

import structlog
from fastapi.routing import APIRoute
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from smartguard import errors as e
from smartguard.bootstrap import App
from smartguard.entrypoints.web import i18n
from smartguard.entrypoints.web.sessions import (
    ANON_COOKIE,
    LANG_COOKIE,
    BadForm,
    Signer,
    SignInRequired,
    Visitor,
    anon_basis,
    set_cookie,
)

log = structlog.get_logger("smartguard.web")

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class PageNotFound(Exception):
    """A path under the page or the console that names no page (404)."""


@dataclass
class Web:
    sg: App
    env: Environment
    signer: Signer

    async def read(self, job: Callable[[Any], Any]) -> Any:
        return await run_in_threadpool(self.sg.read, job)


def web(request: Request) -> Web:
    found: Web = request.app.state.web
    return found


def language(request: Request, preferred: str | None = None) -> str:
    """The visitor's choice (cookie), else the cardholder's preferred language, else zh-CN."""
    chosen = request.cookies.get(LANG_COOKIE)
    if chosen in i18n.LANGUAGES:
        return chosen
    return preferred if preferred in i18n.LANGUAGES else i18n.DEFAULT


def area_of(request: Request) -> str:
    return "console" if request.url.path.startswith("/console") else "page"


def render(request: Request, template: str, title: str, *, lang: str,
           visitor: Visitor | None = None, status: int = 200,
           **context: Any) -> Response:
    w = web(request)
    csrf = visitor.csrf if visitor else w.signer.csrf(anon_basis(request, w.signer))
    values: dict[str, Any] = {
        "t": i18n.translator(lang), "lang": lang, "csrf": csrf, "title": title,
        "area": area_of(request), "signed_in": visitor is not None,
        "path": request.url.path, "errors": {}, "values": {}, "notice": None,
        "notice_bad": False, "preview": None, "preview_for": None,
        "test_clock": _test_clock(w.sg), **context,
    }
    html = w.env.get_template(template).render(values)
    return finish(request, HTMLResponse(html, status))


def _test_clock(sg: App) -> str | None:
    """A test environment's clock, for the banner every page shows while it is set."""
    if not sg.settings.test_clock:
        return None
    return sg.ctx.clock().astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M")


def redirect(request: Request, url: str) -> Response:
    return finish(request, RedirectResponse(url, 303))


def wants_json(request: Request) -> bool:
    """A page's script asking for JSON (a switch, a one-tap fix sent with ``fetch``)."""
    return "application/json" in request.headers.get("accept", "")


def json_answer(request: Request, body: dict[str, Any], status: int = 200) -> Response:
    return finish(request, JSONResponse(body, status))


def finish(request: Request, response: Response) -> Response:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    new_anon = getattr(request.state, "new_anon", None)
    if new_anon and ANON_COOKIE not in request.cookies:
        set_cookie(request, response, ANON_COOKIE, web(request).signer.sign(new_anon))
    return response


def error_page(request: Request, status: int, message: str) -> Response:
    lang = language(request)
    t = i18n.translator(lang)
    back = "/console" if area_of(request) == "console" else "/"
    return render(request, "error.html", t(f"error.{status}"), lang=lang, status=status,
                  message=message, back=back)


_STATUS: list[tuple[type[Exception], int]] = [
    (BadForm, 403), (PageNotFound, 404), (e.NotFound, 404), (e.Forbidden, 404),
    (e.Conflict, 409), (e.InvalidInput, 422), (e.StoreUnavailable, 503),
]


def _on_error(request: Request, exc: e.SmartGuardError | PageNotFound) -> Response:
    """Another cardholder's card answers exactly like a card that does not exist."""
    status = next((s for cls, s in _STATUS if isinstance(exc, cls)), 500)
    t = i18n.translator(language(request))
    if status == 404:
        return error_page(request, 404, t("error.not_found"))
    if status == 409:
        return error_page(request, 409, i18n.state_text(str(exc), language(request)))
    if status == 503:
        log.error("web_store_unavailable", path=request.url.path, error=str(exc))
    return error_page(request, status, t(f"error.{status}_text"))


class WebRoute(APIRoute):
    """A route whose errors become HTML pages and whose answers carry security headers."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def run(request: Request) -> Response:
            try:
                return finish(request, await handler(request))
            except SignInRequired as exc:
                target = "/console/signin" if exc.area == "console" else "/signin"
                return redirect(request, target)
            except (e.SmartGuardError, PageNotFound) as exc:
                return _on_error(request, exc)

        return run


def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("smartguard.entrypoints.web", "templates"),
        autoescape=select_autoescape(["html"]), undefined=StrictUndefined,
        trim_blocks=True, lstrip_blocks=True,
    )
    return env
