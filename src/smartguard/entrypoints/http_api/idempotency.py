"""The ``Idempotency-Key`` header of the POSTs that are not idempotent by keys of their own
(freeze, enrolment, travel, check-up fixes, API keys, challenge answers...): a dependency
that routes write through (service_layer/idempotency.py; docs/api.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import Depends, Header, Request, Response

from smartguard.bootstrap import App
from smartguard.entrypoints.http_api.auth import Principal, principal
from smartguard.service_layer import idempotency
from smartguard.service_layer.ports import UnitOfWork

Body = dict[str, Any]
REPLAYED = "Idempotent-Replayed"


class Idempotent:
    """How a route writes: once per idempotency key when the request has one."""

    __slots__ = ("_app", "_request", "_response")

    def __init__(self, app: App, request: idempotency.Request | None,
                 response: Response) -> None:
        self._app = app
        self._request = request
        self._response = response

    def previous(self) -> Body | None:
        """The stored first answer of this key (409 if it was another request), before a
        route reads anything that the first request may have changed."""
        req, ctx = self._request, self._app.ctx
        if req is None:
            return None
        now = ctx.clock()
        stored = self._app.read(lambda uow: uow.idempotency.get(req.scope, req.key, now))
        if stored is None:
            return None
        return self._replayed(idempotency.replay(ctx, stored, req.fingerprint(ctx)))

    async def write(self, job: Callable[[UnitOfWork], Body]) -> Body:
        """Run ``job`` through the writer, once per key."""
        req, ctx = self._request, self._app.ctx
        if req is None:
            return await self._app.awrite(job)
        answer = await self._app.awrite(lambda uow: idempotency.once(uow, ctx, req, job))
        return self._replayed(answer) if answer.replayed else answer.body

    def _replayed(self, answer: idempotency.Answer) -> Body:
        self._response.headers[REPLAYED] = "true"
        self._response.status_code = answer.status
        return answer.body


async def idempotent(
    request: Request, response: Response, p: Annotated[Principal, Depends(principal)],
    key: Annotated[str | None, Header(
        alias="Idempotency-Key", min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$",
        description="Send the request again with the same key (within 24 hours) and get "
                    "the first answer, with nothing changed; another request with the same "
                    "key is 409 idempotency_conflict.")] = None,
) -> Idempotent:
    app: App = request.app.state.smartguard
    if key is None:
        return Idempotent(app, None, response)
    route = request.scope.get("route")
    status = getattr(route, "status_code", None) or 200
    content = idempotency.canonical(request.method, request.url.path, request.url.query,
                                    await request.body())
    return Idempotent(app, idempotency.Request(f"key:{p.key.id}", key, content, status),
                      response)


Once = Annotated[Idempotent, Depends(idempotent)]
