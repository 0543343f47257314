"""What a new user tripped over (issue 17, point 7), each fixed and kept fixed."""

from __future__ import annotations

import json
import shlex
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from smartguard import __version__
from smartguard.bootstrap import App
from smartguard.entrypoints.cli import main
from smartguard.entrypoints.demo import instructions
from tests.e2e.conftest import Api
from tests.iso_client import enrol, gateway, purchase

ROOT = Path(__file__).resolve().parents[2]


def test_the_license_file_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "Apache-2.0" and project["license-files"] == ["LICENSE"]
    text = (ROOT / "LICENSE").read_text()
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


def test_version_and_the_demos_default_directory() -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["--version"]).output.strip() == \
        f"smartguard, version {__version__}"
    help_text = " ".join(runner.invoke(main, ["demo", "--help"]).output.split())
    assert "./smartguard-demo" in help_text.replace("smartguard- demo", "smartguard-demo")
    assert "smartguard-data" not in help_text


def test_the_demos_authorize_curl_pastes_as_valid_json_with_a_current_time() -> None:
    now = datetime(2026, 12, 2, 8, 9, 10, tzinfo=UTC)
    tokens = {r: f"sg_{r}" for r in ("processor", "cardholder_app", "operator", "admin")}
    text = instructions("http://127.0.0.1:8000", 8583, tokens, "card_1", "card_2", now)
    commands = [c for c in text.split("\n  curl")[1:]]
    authorize = next(c for c in commands if "/v1/authorizations" in c)
    words = shlex.split("curl" + authorize.split("\n\n")[0])  # as a shell reads it
    body = json.loads(words[words.index("-d") + 1])
    assert body["transmission_time"] == "1202080910" and body["card_id"] == "card_1"
    for command in commands:  # every one is a single shell command
        shlex.split("curl" + command.split("\n\n")[0])


@pytest.mark.parametrize("amount", [-1, 12.5, 10**15, "100"])
def test_every_bad_amount_is_invalid_amount(api: Api, card: dict[str, Any],
                                            amount: Any) -> None:
    r = api.authorize(amount=amount)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_amount"


@pytest.mark.parametrize("currency", ["cny", " CNY", "Cny", "CNY "])
def test_a_currency_not_written_as_iso_4217_is_refused(api: Api, card: dict[str, Any],
                                                       currency: str) -> None:
    r = api.authorize(currency=currency)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "unknown_currency"


@pytest.mark.parametrize("fields", [{"kind": "balance_inquiry", "amount": 500,
                                     "terminal": "atm"},
                                    {"kind": "purchase", "terminal": "atm"}])
def test_an_inconsistent_request_is_refused_with_a_clear_code(
        api: Api, card: dict[str, Any], fields: dict[str, Any]) -> None:
    r = api.authorize(**fields)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "invalid_transaction"
    assert api.authorize(kind="balance_inquiry", amount=0, terminal="atm").status_code == 200


def test_an_iso_purchase_at_an_atm_is_answered_12(sg: App) -> None:
    enrol(sg)
    with gateway(sg) as gw:
        from tests.iso_client import Client

        client = Client(gw.port)
        assert client.request(purchase(1, **{"25": "02"}))["39"] == "12"
        assert client.request(purchase(2, **{"3": "310000", "4": "000000000500",
                                             "25": "02"}))["39"] == "12"
        client.close()


def test_ceilings_are_read_by_cardholder_apps_and_set_by_operators(
        api: Api, card: dict[str, Any]) -> None:
    seen = api.get("/v1/ceilings/debit_standard", role="cardholder_app")
    assert seen.status_code == 200
    r = api.client.put("/v1/ceilings/debit_standard", json=seen.json(),
                       headers=api.h("cardholder_app"))
    assert r.status_code == 403
    docs = (ROOT / "docs" / "api.md").read_text()
    assert "| `GET /v1/ceilings/{product}` | cardholder_app, operator |" in docs


def test_the_night_lock_is_documented_and_accepted_as_hh_mm(
        api: Api, card: dict[str, Any]) -> None:
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]["NightLockIn"]
    assert schema["properties"]["start"]["default"] == "23:00"
    path = f"/v1/cards/{card['id']}/controls/night_lock"
    for start in ("22:30", "22:30:00"):
        assert api.put(path, {"enabled": True, "start": start}).status_code == 200
    refused = api.put(path, {"enabled": True, "start": "22:30:15"})
    assert refused.status_code == 422 and refused.json()["error"]["code"] == "invalid_input"


def test_the_check_up_text_says_what_the_score_means_and_shows_money_as_money() -> None:
    from smartguard.entrypoints.advisor_text import report_lines

    view = {"score": 0, "recommendations": {"note": {"en": "from 12 months of history"}},
            "findings": [{"severity": "high", "title": {"en": "Limits far above use"},
                          "explanation": {"en": "..."},
                          "fix": {"action": "set_limits", "channel": "pos",
                                  "value": {"per_txn": 500_000, "daily_count": 5}}}]}
    lines = report_lines(view)
    assert lines[0].startswith("Score 0/100 (100 = nothing found; each finding takes")
    assert "per_txn: ¥5,000.00" in lines[-1] and "daily_count: 5" in lines[-1]


def test_after_the_scripted_day_the_demo_clock_runs_on_from_its_last_moment() -> None:
    from datetime import timedelta

    from smartguard.entrypoints.demo import DemoClock

    clock = DemoClock()
    last = datetime.now(UTC) + timedelta(hours=5)  # a scripted 16:05 while it is 11:05
    clock.fixed = last
    assert clock() == last
    clock.release()
    assert last <= clock() < last + timedelta(minutes=1)  # never the wall clock behind it
