"""Cookies, CSRF tokens and the signed-in visitor of the web page and the console.

- Session cookies carry a random token signed with itsdangerous (key derived from the
  settings secret); the server keeps only the token's hash, so signing out or an idle
  timeout ends the session for good. Cookies are HttpOnly, SameSite (Lax for the page, so a
  link from an SMS opens it signed in; Strict for the console) and Secure over HTTPS.
- Every form carries a CSRF token: an HMAC of the visitor's cookie value (the session
  token, or for the sign-in forms an anonymous random cookie), checked on every POST
  together with the Origin header when the browser sends one.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from smartguard.bootstrap import App
from smartguard.domain.cards import Cardholder
from smartguard.errors import Forbidden
from smartguard.service_layer import sessions
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.web_records import SessionKind, WebSession

PAGE_COOKIE = "sg_session"
CONSOLE_COOKIE = "sg_console"
ANON_COOKIE = "sg_anon"
PENDING_COOKIE = "sg_pending"  # which sign-in code the visitor is asked for
LANG_COOKIE = "sg_lang"


class SignInRequired(Exception):
    """No live session: send the visitor to the sign-in page of ``area``."""

    def __init__(self, area: str) -> None:
        super().__init__(area)
        self.area = area


class BadForm(Forbidden):
    """A form without a valid CSRF token, or sent from another site."""


class Signer:
    def __init__(self, secret: bytes) -> None:
        key = hmac.new(secret, b"web-cookies", hashlib.sha256).digest()
        self._serializer = URLSafeSerializer(key, salt="smartguard-web")
        self._csrf_key = hmac.new(secret, b"web-csrf", hashlib.sha256).digest()

    def sign(self, value: str) -> str:
        return self._serializer.dumps(value)

    def unsign(self, signed: str | None) -> str | None:
        if not signed:
            return None
        try:
            value = self._serializer.loads(signed)
        except BadSignature:
            return None
        return value if isinstance(value, str) else None

    def csrf(self, basis: str) -> str:
        return hmac.new(self._csrf_key, basis.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Visitor:
    """A signed-in cardholder (page) or operator (console)."""

    token: str
    session: WebSession
    csrf: str
    cardholder: Cardholder | None = None

    @property
    def actor(self) -> Actor:
        if self.session.kind is SessionKind.CARDHOLDER:
            holder = self.session.subject
            return Actor(f"web:{holder}", "web", holder)
        return Actor(f"console:key:{self.session.subject}", "console")


def set_cookie(request: Request, response: Response, name: str, value: str,
               path: str = "/", strict: bool = False, max_age: int | None = None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True,
                        samesite="strict" if strict else "lax",
                        secure=request.url.scheme == "https")


def anon_basis(request: Request, signer: Signer) -> str:
    """The anonymous visitor's random value (made on first sight; the caller sets the
    cookie from ``request.state.new_anon``)."""
    value = signer.unsign(request.cookies.get(ANON_COOKIE))
    if value is None:
        value = getattr(request.state, "new_anon", None) or secrets.token_urlsafe(24)
        request.state.new_anon = value
    return value


async def check_form(request: Request, expected: str) -> dict[str, str]:
    """The submitted form, after checking its CSRF token (and Origin, when sent)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != _own_origin(request):
        raise BadForm("the form came from another site")
    form = await request.form()
    values: dict[str, str] = {}
    for key, value in form.multi_items():
        if isinstance(value, str) and key not in values:
            values[key] = value  # lists (checkboxes, multiple selects): form_list
    if not hmac.compare_digest(values.get("csrf", ""), expected):
        raise BadForm("the form has expired; reload the page and try again")
    return values


async def form_list(request: Request, name: str) -> list[str]:
    form = await request.form()
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


def _own_origin(request: Request) -> str:
    return f"{request.url.scheme}://{request.headers.get('host', request.url.netloc)}"


def visitor(request: Request, sg: App, signer: Signer, kind: SessionKind) -> Visitor:
    """The live session behind the request's cookie, or :class:`SignInRequired`."""
    cookie = PAGE_COOKIE if kind is SessionKind.CARDHOLDER else CONSOLE_COOKIE
    area = "page" if kind is SessionKind.CARDHOLDER else "console"
    token = signer.unsign(request.cookies.get(cookie))
    if token is None:
        raise SignInRequired(area)

    def job(uow: UnitOfWork) -> tuple[WebSession | None, Cardholder | None]:
        found = sessions.current_session(uow, sg.ctx, token, kind)
        if found is None or kind is not SessionKind.CARDHOLDER:
            return found, None
        return found, uow.cardholders.get(found.subject)

    session, holder = sg.read(job)
    if session is None or (kind is SessionKind.CARDHOLDER and holder is None):
        raise SignInRequired(area)
    if sessions.needs_touch(sg.ctx, session):
        sg.write(lambda uow: sessions.touch_session(uow, sg.ctx, token))
    return Visitor(token, session, signer.csrf(token), holder)
