"""Signed webhooks to a real local HTTP receiver that verifies the signature: delivered
with a stable id; a 500 is retried and then dead-lettered; two secrets during rotation."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from smartguard.adapters.webhook import signing
from smartguard.alerts_config import AlertSettings, NotifierSettings, WebhookSettings
from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings
from smartguard.entrypoints.notifier import NotifierService
from smartguard.service_layer.messages import OutboxStatus
from tests.conftest import Clock
from tests.integration.alerts.test_smpp_peer import authorize, enrol, purchase
from tests.peers.smsc_peer import until


class Receiver:
    """A bank's webhook endpoint: checks the signature with ``secrets`` and answers
    ``status`` (200 unless told otherwise)."""

    def __init__(self, secrets: list[str]) -> None:
        self.secrets, self.status = secrets, 200
        self.accepted: list[dict[str, Any]] = []
        self.refused = 0
        self.attempts = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.attempts += 1
                ok = signing.verify(raw, self.headers.get(signing.HEADER, ""), receiver.secrets)
                status = receiver.status if ok else 401
                if ok and status == 200:
                    receiver.accepted.append(
                        {"id": self.headers["SmartGuard-Message-Id"], **json.loads(raw)})
                receiver.refused += not ok
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/smartguard"

    def close(self) -> None:
        self.server.shutdown()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(["new-secret"])
    yield r
    r.close()


@pytest.fixture
def app(store_settings: Settings, receiver: Receiver, clock: Clock) -> Iterator[App]:
    alerts = AlertSettings(
        webhooks=WebhookSettings((receiver.url,), ("old-secret", "new-secret"), 2.0),
        notifier=NotifierSettings(channels=("webhook",), max_attempts=3,
                                  base_delay_seconds=0.05, max_delay_seconds=0.1,
                                  poll_seconds=0.05))
    sg = bootstrap(replace(store_settings, alerts=alerts), clock=clock)
    yield sg
    sg.close()


def messages(sg: App) -> list[Any]:
    return sg.read(lambda uow: uow.outbox.list(None, "webhook", None, 100))


def run_with_notifier(sg: App, body: Any) -> None:
    async def scenario() -> None:
        service = NotifierService(sg)
        await service.start()
        try:
            await body()
        finally:
            await service.stop()

    asyncio.run(scenario())


def test_alert_reaches_the_receiver_signed_during_a_secret_rotation(
    app: App, receiver: Receiver
) -> None:
    enrol(app)

    async def body() -> None:
        await authorize(app, purchase(12_345))
        got = await until(lambda: receiver.accepted)
        assert got[0]["type"] == "balance_change.debit"
        assert got[0]["data"]["amount"] == -12_345
        assert got[0]["id"] == messages(app)[0].id
        await until(lambda: messages(app)[0].status is OutboxStatus.SENT)

    run_with_notifier(app, body)
    assert receiver.refused == 0


def test_a_receiver_answering_500_is_retried_then_dead_lettered(
    app: App, receiver: Receiver
) -> None:
    enrol(app)
    receiver.status = 500

    async def body() -> None:
        await authorize(app, purchase())
        dead = await until(lambda: [m for m in messages(app) if m.status is OutboxStatus.DEAD])
        assert dead[0].attempts == 3 and "500" in (dead[0].last_error or "")

    run_with_notifier(app, body)
    assert receiver.attempts == 3 and receiver.accepted == []


def test_a_receiver_that_knows_neither_secret_refuses_the_signature() -> None:
    raw = b'{"id":"msg_1"}'
    header = signing.sign(raw, ["old-secret", "new-secret"])
    assert signing.verify(raw, header, ["new-secret"])
    assert not signing.verify(raw, header, ["someone-else"])
    assert not signing.verify(raw + b" ", header, ["new-secret"])
    assert not signing.verify(raw, header, ["new-secret"], now=10**10)  # stale
