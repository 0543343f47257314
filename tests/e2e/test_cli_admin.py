"""``smartguard keys list|revoke`` and ``smartguard cards list|show``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.entrypoints.cli import main
from smartguard.errors import Unauthenticated
from smartguard.service_layer import keys
from tests.e2e.conftest import PAN


def cli(data: Path, *args: str, given: str | None = None) -> str:
    result = CliRunner().invoke(main, [*args, "--data-dir", str(data)], input=given)
    assert result.exit_code == 0, result.output
    return result.output


def test_keys_are_listed_without_secrets_and_revoked(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = cli(data, "keys", "create", "--role", "operator", "--label", "alice")
    token = made.strip().splitlines()[-1]
    key_id = keys.parse_token(token)[0]
    listed = cli(data, "keys", "list")
    assert key_id in listed and "operator" in listed and "alice" in listed
    assert "active" in listed and token.split("_", 2)[2] not in listed
    assert f"key {key_id} revoked" in cli(data, "keys", "revoke", key_id)
    assert "revoked" in cli(data, "keys", "list")
    sg = bootstrap(load(None, data_dir=data))
    try:
        with pytest.raises(Unauthenticated):
            keys.verify(sg.read(lambda uow: uow.keys.get(key_id)), keys.parse_token(token)[1])
    finally:
        sg.close()
    again = CliRunner().invoke(main, ["keys", "revoke", key_id, "--data-dir", str(data)])
    assert again.exit_code != 0 and "already revoked" in again.output
    unknown = CliRunner().invoke(main, ["keys", "revoke", "nope", "--data-dir", str(data)])
    assert unknown.exit_code != 0 and "no API key nope" in unknown.output


def test_cards_are_listed_and_shown_without_their_number(tmp_path: Path) -> None:
    data = tmp_path / "data"
    enrolled = cli(data, "cards", "enrol", "--name", "Wang Fang", "--phone",
                   "+8613800000001", "--balance", "123456", given=PAN + "\n")
    card_id = re.search(r"card (card_\w+)", enrolled).group(1)  # type: ignore[union-attr]
    listed = cli(data, "cards", "list", "--last4", PAN[-4:])
    assert card_id in listed and "622202******" in listed and "¥1,234.56" in listed
    assert PAN not in listed
    shown = json.loads(cli(data, "cards", "show", card_id))
    assert shown["id"] == card_id and shown["account"]["balance"] == 123456
    assert PAN not in json.dumps(shown)
    assert cli(data, "cards", "list", "--last4", "9999").strip() == ""
    missing = CliRunner().invoke(main, ["cards", "show", "card_x", "--data-dir", str(data)])
    assert missing.exit_code != 0
