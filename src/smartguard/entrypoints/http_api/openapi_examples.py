"""An example for every answer of the OpenAPI document: a model's own example (its
``examples``) when it has one, else one put together from its fields' examples (docs read
it in Swagger UI and ReDoc; tests/e2e/test_openapi.py checks each against its schema)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import BaseModel

REF = "#/components/schemas/"
#: for a field with no example of its own, by JSON type (and string format)
PLAIN: dict[str, Any] = {"string": "text", "integer": 0, "number": 0.0, "boolean": True,
                         "null": None, "date-time": "2026-12-02T08:00:00+00:00"}


def add_examples(op: dict[str, Any], schemas: dict[str, Any]) -> None:
    """Give each JSON answer of ``op`` that has no example one built from its schema."""
    for response in op.get("responses", {}).values():
        content = response.get("content", {}).get("application/json")
        if content is None or "example" in content or "examples" in content:
            continue
        schema = content.get("schema")
        if schema:
            content["example"] = example_of(schema, schemas)


def restore_examples(schemas: dict[str, Any]) -> None:
    """Put back the models' own examples whole: FastAPI writes the document without the
    keys whose value is None, and an example without its ``null`` fields does not match
    its schema (those fields are required)."""
    for model in _models(BaseModel):
        extra = model.model_config.get("json_schema_extra")
        if isinstance(extra, dict) and "examples" in extra and model.__name__ in schemas:
            schemas[model.__name__]["examples"] = extra["examples"]


def _models(base: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for model in base.__subclasses__():
        if model.__module__.startswith("smartguard.entrypoints.http_api"):
            yield model
        yield from _models(model)


def example_of(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> Any:
    if depth > 12:  # a recursive model: stop with an empty value of its type
        return {} if schema.get("type") == "object" or "$ref" in schema else None
    if "$ref" in schema:
        return example_of(schemas[schema["$ref"].removeprefix(REF)], schemas, depth + 1)
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if "default" in schema:
        return schema["default"]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:  # the first choice that is not null; null for a plain value
            options = [o for o in schema[key] if o.get("type") != "null"] or schema[key]
            plain = not {"$ref", "examples", "properties", "items"} & set(options[0])
            if plain and len(options) < len(schema[key]):
                return None
            return example_of(options[0], schemas, depth + 1)
    kind = schema.get("type", "object")
    if kind == "object":
        props = schema.get("properties", {})
        return {name: example_of(p, schemas, depth + 1) for name, p in props.items()}
    if kind == "array":
        return [example_of(schema.get("items", {}), schemas, depth + 1)]
    if "enum" in schema:
        return schema["enum"][0]
    return PLAIN.get(schema.get("format", ""), PLAIN.get(kind))
