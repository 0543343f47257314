"""A clock for test environments (issue 17, point 8): ``test_clock`` starts the server's
clock at a given instant; refused in production; shown on every page and log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import structlog
from fastapi.testclient import TestClient

from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings, load
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints import logs
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.service_layer import keys
from smartguard.service_layer.context import shifted_clock
from smartguard.service_layer.records import Role
from tests.e2e.conftest import Api

NIGHT = "2026-12-02T23:30:00+08:00"


def test_a_test_clock_is_refused_in_production_and_needs_an_offset(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        load(None, {"SMARTGUARD_TEST_CLOCK": NIGHT}, data_dir=tmp_path)
    assert refused.value.field == "test_clock" and "production" in refused.value.message
    with pytest.raises(InvalidInput, match="UTC offset"):
        load(None, {"SMARTGUARD_TEST_CLOCK": "2026-12-02T23:30:00",
                    "SMARTGUARD_ENVIRONMENT": "uat"}, data_dir=tmp_path)
    settings = load(None, {"SMARTGUARD_TEST_CLOCK": NIGHT, "SMARTGUARD_ENVIRONMENT": "uat"},
                    data_dir=tmp_path)
    assert settings.test_clock == NIGHT


def test_the_shifted_clock_starts_there_and_advances_with_the_wall() -> None:
    wall = [datetime.fromisoformat("2026-06-01T10:00:00+00:00")]
    clock = shifted_clock(datetime.fromisoformat(NIGHT), lambda: wall[0])
    assert clock() == datetime.fromisoformat(NIGHT)
    wall[0] += timedelta(minutes=45)
    assert clock() == datetime.fromisoformat("2026-12-03T00:15:00+08:00")


@pytest.fixture
def night(tmp_path: Path) -> Iterator[tuple[App, Api]]:
    settings: Settings = replace(load(None, data_dir=tmp_path), environment="test",
                                 test_clock=NIGHT)
    sg = bootstrap(settings)
    tokens = {r.value: sg.write(lambda uow, r=r: keys.create_key(uow, sg.ctx, r)[1])
              for r in Role}
    with TestClient(create_asgi(sg)) as client:  # type: ignore[arg-type]
        yield sg, Api(client, tokens)
    sg.close()


def test_a_night_lock_can_be_tried_in_the_afternoon(night: tuple[App, Api]) -> None:
    sg, api = night
    start = datetime.fromisoformat(NIGHT)
    assert start <= sg.ctx.clock() < start + timedelta(minutes=5)
    card = api.enrol()
    r = api.put(f"/v1/cards/{card['id']}/controls/night_lock", {"enabled": True})
    assert r.status_code == 200, r.text
    decided = api.authorize().json()
    assert decided["outcome"] == "decline" and decided["primary_reason"] == "night_lock"


def test_every_page_shows_the_test_clock(night: tuple[App, Api]) -> None:
    _, api = night
    for page in ("/signin", "/console/signin"):
        html = api.client.get(page).text
        assert "test-clock" in html and "2026-12-02 23:3" in html, page


def test_every_log_line_carries_the_test_clock() -> None:
    clock = shifted_clock(datetime.fromisoformat(NIGHT))
    sink = io.StringIO()
    try:
        logs.configure("info", "json", clock)
        structlog.configure(logger_factory=structlog.PrintLoggerFactory(sink),
                            cache_logger_on_first_use=False)
        structlog.get_logger("fresh").info("anything", x=1)
    finally:
        structlog.reset_defaults()
        logging.getLogger().handlers.clear()
    line = json.loads(sink.getvalue().splitlines()[0])
    assert line["event"] == "anything" and line["test_clock"].startswith("2026-12-0")
