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


def test_docs_pages_name_no_external_host_and_their_assets_are_served(api: Api) -> None:
    import re

    for page in ("/docs", "/redoc"):
        html = api.client.get(page).text
        urls = re.findall(r"""(?:src|href|url)\s*[=:]\s*['"]([^'"]+)['"]""", html)
        assert urls, page
        assert not [u for u in urls if "//" in u], (page, urls)
        for url in urls:
            if url.startswith("/docs/assets/"):
                assert api.client.get(url).status_code == 200, url


def test_operations_declare_the_key_and_the_error_envelope(api: Api) -> None:
    spec = api.client.get("/openapi.json").json()
    assert set(spec["components"]["securitySchemes"]) == {"bearer", "apiKey"}
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    envelope = {"$ref": "#/components/schemas/ErrorEnvelope"}
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            keyed = path.startswith("/v1/") and path != "/v1/sms/inbound"  # signed
            assert ("security" in op) == keyed, (method, path)
            errors = {s: r for s, r in op["responses"].items() if s[0] in "45"}
            assert {"500", "503"} <= set(errors), (method, path)
            if keyed:
                assert {"401", "403"} <= set(errors), (method, path)
            for status, r in errors.items():
                content = r["content"]["application/json"]
                if (path, status) == ("/readyz", "503"):  # not ready: the checks, said
                    assert content["schema"]["$ref"].endswith("/Readiness")
                    continue
                assert content["schema"] == envelope, (method, path, status)
                assert content["example"]["error"]["code"], (method, path, status)
    authorize = spec["paths"]["/v1/authorizations"]["post"]["responses"]
    assert {"400", "413", "422"} <= set(authorize)


def _model(schema: dict[str, Any]) -> str | None:
    """The component a JSON answer's schema names (itself or as its items)."""
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref")
    return ref.rsplit("/", 1)[1] if isinstance(ref, str) else None


def test_every_operation_has_a_response_model_and_valid_examples(api: Api) -> None:
    import jsonschema_rs

    spec = api.client.get("/openapi.json").json()
    components = spec["components"]
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            where = (method, path)
            answers = op["responses"]
            ok = [s for s in answers if s.startswith("2")]
            assert ok, where
            for status, r in answers.items():
                content = r.get("content", {})
                if path == "/metrics" and status == "200":  # Prometheus text, not JSON
                    assert "# TYPE" in content["text/plain; version=0.0.4; charset=utf-8"][
                        "example"], where
                    continue
                body = content["application/json"]
                schema = body["schema"]
                if status in ok:
                    model = _model(schema)
                    assert model is not None, where
                    props = components["schemas"][model].get("properties", {})
                    assert props, (where, model)  # a model with fields, not a bare dict
                assert "example" in body, (where, status)
                check = jsonschema_rs.validator_for({**schema, "components": components})
                errors = [e.message for e in check.iter_errors(body["example"])]
                assert not errors, (where, status, errors)
