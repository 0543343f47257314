"""Settings from the environment: every setting from SMARTGUARD_<NAME>, every secret from
a file named by SMARTGUARD_<NAME>_FILE, bad values refused with their name, and
``smartguard config show`` with each value's source, secrets masked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from smartguard.config import load, load_with_sources, settable
from smartguard.config_sources import SECRETS, effective, env_name
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.cli import main

#: a value each setting accepts that differs from its default (text, as the environment has it)
SPECIAL = {"log_level": ("warning", "warning"), "log_format": ("json", "json"),
           "notifier.channels": ("sms,webhook", ("sms", "webhook")),
           "database_url": ("postgresql://sg@db/sg", "postgresql://sg@db/sg"),
           "iso8583.enabled": ("false", False), "notifier.enabled": ("off", False),
           "rules_four_eyes": ("true", True), "commit_overlap": ("false", False),
           "secret_file": ("{tmp}/other.key", "{tmp}/other.key"),
           "data_dir": ("{tmp}/data", Path("{tmp}/data")), "environment": ("uat", "uat"),
           "test_clock": ("2026-12-02T23:30:00+08:00", "2026-12-02T23:30:00+08:00")}


def sample(dotted: str, kind: Any, tmp: Path) -> tuple[str, Any]:
    if dotted in SPECIAL:
        text, value = SPECIAL[dotted]
        text = text.replace("{tmp}", str(tmp))
        value = type(value)(str(value).replace("{tmp}", str(tmp))) \
            if isinstance(value, str | Path) else value
        return text, value
    if kind is int:
        return "7", 7
    if kind is float:
        return "1.5", 1.5
    if kind is str:
        return "x.example", "x.example"
    return "a, b", ("a", "b")  # tuple[str, ...]


@pytest.mark.parametrize("dotted", sorted(settable()))
def test_every_setting_can_come_from_the_environment(dotted: str, tmp_path: Path) -> None:
    text, value = sample(dotted, settable()[dotted], tmp_path)
    env = {env_name(dotted): text}
    if dotted == "test_clock":  # refused in production
        env["SMARTGUARD_ENVIRONMENT"] = "test"
    settings, sources = load_with_sources(None, env, data_dir=None if dotted == "data_dir"
                                          else tmp_path)
    named = text if dotted == "secret_file" else None
    assert effective(settings, settable(), named)[dotted] == value
    assert sources[dotted] == f"env {env_name(dotted)}"


def test_the_secret_file_named_by_the_environment_is_used(tmp_path: Path) -> None:
    key = tmp_path / "secret.hex"
    key.write_text("ab" * 32)
    settings = load(None, {"SMARTGUARD_SECRET_FILE": str(key)}, data_dir=tmp_path)
    assert settings.secret == bytes.fromhex("ab" * 32)


@pytest.mark.parametrize("dotted", sorted(SECRETS))
def test_every_secret_can_come_from_a_file(dotted: str, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    text, value = sample(dotted, settable()[dotted], tmp_path)
    secret.write_text(text + "\n")
    settings, sources = load_with_sources(None, {env_name(dotted) + "_FILE": str(secret)},
                                          data_dir=tmp_path)
    assert effective(settings, settable())[dotted] == value
    assert sources[dotted] == f"env {env_name(dotted)}_FILE"


def test_the_environment_wins_over_the_file_and_the_command_line_over_both(
        tmp_path: Path) -> None:
    path = tmp_path / "smartguard.toml"
    path.write_text("http_port = 8100\n[iso8583]\nport = 9100\n")
    env = {"SMARTGUARD_HTTP_PORT": "8200", "SMARTGUARD_ISO8583_PORT": "9200"}
    settings, sources = load_with_sources(path, env, data_dir=tmp_path, iso_port=9300)
    assert (settings.http_port, settings.iso.port) == (8200, 9300)
    assert sources["http_port"] == "env SMARTGUARD_HTTP_PORT"
    assert sources["iso8583.port"] == "command line"


@pytest.mark.parametrize(("variable", "text"), [
    ("SMARTGUARD_HTTP_PORT", "eighty"), ("SMARTGUARD_ISO8583_ENABLED", "maybe"),
    ("SMARTGUARD_NOTIFIER_MAX_ATTEMPTS", "1.5"), ("SMARTGUARD_LOG_FORMAT", "xml"),
    ("SMARTGUARD_WEBHOOKS_URLS", "[1, 2"), ("SMARTGUARD_HTTP_PROT", "8000"),
    ("SMARTGUARD_SMPP_PASSWORD_FILE", "/no/such/file"),
])
def test_a_bad_variable_is_refused_with_its_name(variable: str, text: str,
                                                 tmp_path: Path) -> None:
    name = "log_format" if variable == "SMARTGUARD_LOG_FORMAT" else variable
    with pytest.raises(InvalidInput) as refused:
        load(None, {variable: text}, data_dir=tmp_path)
    assert refused.value.field == name


def test_a_badly_typed_value_in_the_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "smartguard.toml"
    path.write_text('[iso8583]\nmax_in_flight = "many"\n')
    with pytest.raises(InvalidInput) as refused:
        load(path, data_dir=tmp_path)
    assert refused.value.field == "iso8583.max_in_flight"


def test_config_show_prints_values_sources_and_masks_secrets(tmp_path: Path) -> None:
    path = tmp_path / "smartguard.toml"
    path.write_text('log_level = "debug"\n[smpp]\npassword = "hunter2"\n')
    env = {"SMARTGUARD_HTTP_PORT": "8123",
           "SMARTGUARD_DATABASE_URL": "postgresql://sg:pw@db.bank:5432/sg"}
    result = CliRunner(env=env).invoke(main, ["config", "show", "--config", str(path),
                                              "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = {line.split(" = ")[0]: line for line in result.output.splitlines()}
    assert lines["http_port"].startswith("http_port = 8123  # env SMARTGUARD_HTTP_PORT")
    assert f"# file {path}" in lines["log_level"]
    assert "# default" in lines["iso8583.port"]
    assert "hunter2" not in result.output and "pw@" not in result.output
    assert lines["smpp.password"].startswith("smpp.password = ***")
    assert "postgresql://***@db.bank:5432/sg" in lines["database_url"]
    assert len(lines) == len(settable())
