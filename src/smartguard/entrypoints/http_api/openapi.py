"""The API's description: the OpenAPI document and the pages that show it, offline.

Swagger UI (``/docs``) and ReDoc (``/redoc``) are served with their assets from the
``fastapi-offline`` package (``/docs/assets``): no page names an external host, so the
docs work on a bank's closed network. The document adds to what FastAPI generates: the
authorize route's body (that route reads it itself, see fastpath.py) and the error
envelope ``{"error": {...}}`` on
every 4xx and 5xx an operation can answer, in place of FastAPI's own 422 body.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field
from starlette.staticfiles import StaticFiles

from smartguard.entrypoints.http_api import authorizations
from smartguard.entrypoints.http_api.fastpath import MAX_BODY, PATH
from smartguard.entrypoints.http_api.openapi_examples import add_examples, restore_examples

ASSETS = Path(fastapi_offline.__file__).parent / "static"
ASSETS_URL = "/docs/assets"


class ErrorField(BaseModel):
    field: str = Field(examples=["amount"])
    message: str = Field(examples=["must be at least 1"])
    line: str | None = Field(default=None, description="a monitoring rule's error: its line "
                             "(1-based)", examples=["1"])
    column: str | None = Field(default=None, description="and its column", examples=["12"])


class ErrorDetail(BaseModel):
    code: str = Field(description="stable, for programs: docs/api.md lists them",
                      examples=["invalid_amount"])
    message: str = Field(description="for people", examples=["amount: must be at least 1"])
    fields: list[ErrorField] | None = Field(default=None,
                                            description="the inputs refused, when any")


class ErrorEnvelope(BaseModel):
    """Every error SmartGuard answers (errors.py)."""

    error: ErrorDetail


ERRORS = {
    "400": ("malformed_json", "the request body is not valid JSON"),
    "401": ("unauthenticated", "an API key is required (Authorization: Bearer <key>)"),
    "403": ("forbidden", "this key's role may not do this"),
    "404": ("not_found", "no such card"),
    "409": ("conflict", "the card is closed"),
    "413": ("too_large", f"the body is larger than {MAX_BODY} bytes"),
    "422": ("validation_error", "amount: must be at least 1"),
    "500": ("internal_error", "an unexpected error occurred"),
    "503": ("store_unavailable", "the store is unavailable"),
}


def install(api: FastAPI) -> None:
    """Serve the document (``/openapi.json``), Swagger UI and ReDoc, all from here."""
    api.mount(ASSETS_URL, StaticFiles(directory=ASSETS), name="docs-assets")

    @api.get("/docs", include_in_schema=False)
    async def swagger() -> HTMLResponse:
        return _closed(get_swagger_ui_html(
            openapi_url="/openapi.json", title=f"{api.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            swagger_ui_parameters={"validatorUrl": None, "persistAuthorization": True}))

    @api.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return _closed(get_redoc_html(openapi_url="/openapi.json", title=f"{api.title} API",
                                      redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                                      redoc_favicon_url=f"{ASSETS_URL}/favicon.png",
                                      with_google_fonts=False))

    def build() -> dict[str, Any]:
        if api.openapi_schema is None:
            api.openapi_schema = document(api)
        return api.openapi_schema

    api.openapi = build  # type: ignore[method-assign]


#: The docs pages may load nothing from another host: ReDoc's bundle would fetch its
#: "powered by" logo from its vendor's CDN; the browser does not even try.
CLOSED = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
          "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; worker-src 'self' "
          "blob:; connect-src 'self'")


def _closed(page: HTMLResponse) -> HTMLResponse:
    page.headers["Content-Security-Policy"] = CLOSED
    return page


def document(api: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=api.title, version=api.version, description=api.description,
                         routes=api.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    schemas.update(authorizations.openapi_components())
    schemas.update(_model_schemas(ErrorEnvelope))
    restore_examples(schemas)
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            _errors(op, path, method, "security" in op)  # auth.py declares the schemes
            add_examples(op, schemas)
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


def _model_schemas(model: type[BaseModel]) -> dict[str, Any]:
    found = model.model_json_schema(ref_template="#/components/schemas/{model}")
    defs: dict[str, Any] = found.pop("$defs", {})
    return {**defs, model.__name__: found}


def _errors(op: dict[str, Any], path: str, method: str, keyed: bool) -> None:
    """The error answers of one operation, each with the envelope and an example."""
    wanted = {"500", "503"}
    if keyed:
        wanted |= {"401", "403"}
    if "{" in path:
        wanted.add("404")
    if method in ("post", "put", "delete"):
        wanted |= {"409", "422"}
    if "requestBody" in op:
        wanted |= {"400", "413"} if path == PATH else {"400"}
    if op.get("parameters"):
        wanted.add("422")
    responses = op.setdefault("responses", {})
    wanted |= {s for s in responses if s[0] in "45"}  # declared by the route (may_answer)
    for status in sorted(wanted):
        if _own_body(responses.get(status)):
            continue  # an answer of the operation's own (readyz's 503 is a Readiness)
        code, message = ERRORS[status]
        description = responses.get(status, {}).get("description") or code.replace("_", " ")
        responses[status] = {"description": description, "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/ErrorEnvelope"},
            "example": {"error": {"code": code, "message": message}}}}}


def _own_body(response: dict[str, Any] | None) -> bool:
    """Whether a declared error answer has a body of its own (not FastAPI's 422)."""
    schema = ((response or {}).get("content") or {}).get("application/json", {}).get("schema")
    return bool(schema) and schema.get("$ref") != "#/components/schemas/HTTPValidationError"
