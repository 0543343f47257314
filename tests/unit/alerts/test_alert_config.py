"""Alert settings from the TOML file: tables, validation, secrets never shown."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartguard.config import load
from smartguard.domain.errors import InvalidInput

TOML = """
[smpp]
host = "smsc.internal"
system_id = "sg"
password = "smpp-pass"
source_addr = "95588"

[webhooks]
urls = ["https://bank.example/hooks"]
secrets = ["old-webhook-secret", "new-webhook-secret"]

[notifier]
max_attempts = 5

[sms_inbound]
secrets = ["inbound-secret"]
rate_limit = 3
"""


def test_alert_tables_are_read_and_secrets_are_masked_in_repr(tmp_path: Path) -> None:
    path = tmp_path / "sg.toml"
    path.write_text(TOML)
    settings = load(path, data_dir=tmp_path)
    a = settings.alerts
    assert (a.smpp.host, a.smpp.source_addr, a.notifier.max_attempts,
            a.sms_inbound.rate_limit) == ("smsc.internal", "95588", 5, 3)
    assert a.webhooks.secrets == ("old-webhook-secret", "new-webhook-secret")
    shown = repr(settings)
    for secret in ("smpp-pass", "old-webhook-secret", "new-webhook-secret", "inbound-secret"):
        assert secret not in shown
    assert "smsc.internal" in shown


def test_an_unknown_key_in_an_alert_table_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "sg.toml"
    path.write_text("[smpp]\nhots = 'typo'\n")
    with pytest.raises(InvalidInput) as err:
        load(path, data_dir=tmp_path)
    assert "hots" in str(err.value)


def test_without_alert_tables_no_channel_is_configured(tmp_path: Path) -> None:
    a = load(None, data_dir=tmp_path).alerts
    assert not a.smpp.configured and a.webhooks.urls == ()
    assert a.written_channels == {"sms"}


def test_webhook_alerts_are_written_once_webhook_urls_are_set(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[webhooks]\nurls = ["https://bank.example/hook"]\nsecrets = ["s"]\n')
    assert load(path, data_dir=tmp_path).alerts.written_channels == {"sms", "webhook"}


def test_explicit_channels_win(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[notifier]\nchannels = ["webhook"]\n')
    assert load(path, data_dir=tmp_path).alerts.written_channels == {"webhook"}
