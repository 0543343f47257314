"""The SMS centre peer (npm ``smpp``) and a SmartGuard whose notifier talks to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from smartguard.alerts_config import AlertSettings, NotifierSettings, SmppSettings
from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings
from tests.conftest import Clock
from tests.peers.smsc_peer import PASSWORD, SYSTEM_ID, Smsc, unavailable


@pytest.fixture(scope="session")
def peer_ready() -> None:
    reason = unavailable()
    if reason:
        pytest.skip(reason)


@pytest.fixture
def smsc(peer_ready: None, tmp_path: Path) -> Iterator[Smsc]:
    peer = Smsc(tmp_path / "received.jsonl")
    peer.start()
    yield peer
    peer.stop()


@pytest.fixture
def app(store_settings: Settings, smsc: Smsc, clock: Clock,
        request: pytest.FixtureRequest) -> Iterator[App]:
    """SmartGuard sending SMS to ``smsc``; a test may change settings with
    ``@pytest.mark.smpp(smpp={...}, notifier={...})``."""
    marker = request.node.get_closest_marker("smpp")
    tuned: dict[str, dict[str, object]] = marker.kwargs if marker else {}
    smpp = dict(send_timeout_seconds=5.0, enquire_link_seconds=0.3,
                reconnect_min_seconds=0.1, reconnect_max_seconds=0.4) | tuned.get("smpp", {})
    notifier = dict(channels=("sms",), base_delay_seconds=0.1, max_delay_seconds=0.5,
                    poll_seconds=0.05) | tuned.get("notifier", {})
    alerts = AlertSettings(
        smpp=SmppSettings("127.0.0.1", smsc.port, SYSTEM_ID, PASSWORD, "95588",
                          **smpp),  # type: ignore[arg-type]
        notifier=NotifierSettings(**notifier))  # type: ignore[arg-type]
    sg = bootstrap(replace(store_settings, alerts=alerts), clock=clock)
    yield sg
    sg.close()
