"""The OpenAPI description is served, complete, and every reference in it resolves."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Api


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in refs(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs(v)]
    return []


def test_openapi_is_served_and_every_ref_resolves(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for ref in refs(spec):
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.rsplit("/", 1)[1] in schemas, ref


def test_authorize_body_is_documented(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    body = spec["paths"]["/v1/authorizations"]["post"]["requestBody"]
    ref = body["content"]["application/json"]["schema"]["$ref"]
    model = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert {"pan", "kind", "amount", "stan", "transmission_time"} <= set(model["properties"])


def test_interactive_docs_page_is_served(api: Api) -> None:
    r = api.client.get("/docs")
    assert r.status_code == 200
    assert "swagger" in r.text.lower()
