"""Property-based fuzzing of the whole HTTP API from its own OpenAPI description
(schemathesis strategies driven by hypothesis): whatever a client sends, with a valid
admin key, the service answers without a server error (5xx) and keeps running."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role


def test_no_generated_request_makes_the_service_fail(tmp_path: Path) -> None:
    sg = bootstrap(load(None, data_dir=tmp_path / "data"))
    try:
        token = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.ADMIN)[1])
        app = create_asgi(sg)
        api = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [op.ok() for op in api.get_all_operations()]
        assert len(operations) > 20
        for operation in operations:
            fuzz(operation, token)
    finally:
        sg.close()


def fuzz(operation: Any, token: str) -> None:
    @given(case=operation.as_strategy())
    @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck),
              database=None)
    def check(case: schemathesis.Case) -> None:
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {token}"}
        case.call_and_validate(checks=[not_a_server_error])

    try:
        check()
    except Exception as exc:  # name the operation in the failure
        pytest.fail(f"{operation.method.upper()} {operation.path}: {exc}")
