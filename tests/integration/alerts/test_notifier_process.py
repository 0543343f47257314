"""``smartguard notifier`` as its own process: it relays what ``serve`` (here, the test's
SmartGuard) wrote to the outbox, to a real webhook receiver that checks the signature, and
stops cleanly on SIGTERM."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.service_layer import authorize as az
from smartguard.service_layer.messages import OutboxStatus
from tests.integration.alerts.test_smpp_peer import PAN, enrol, purchase
from tests.integration.alerts.test_webhooks import Receiver


def test_notifier_process_delivers_the_outbox_to_a_webhook(tmp_path: Path) -> None:
    receiver = Receiver(["rotation-secret-1"])
    config = tmp_path / "smartguard.toml"
    config.write_text(
        f'data_dir = "{tmp_path / "data"}"\n\n'
        f'[webhooks]\nurls = ["{receiver.url}"]\nsecrets = ["rotation-secret-1"]\n\n'
        "[notifier]\npoll_seconds = 0.05\n", encoding="utf-8")
    sg = bootstrap(load(config))
    try:
        enrol(sg)
        ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
        request = purchase(12_345)
        sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, request))
        written = sg.read(lambda uow: uow.outbox.list(None, "webhook", None, 50))
        assert written, "the purchase should have written a webhook alert"
        proc = subprocess.Popen([sys.executable, "-m", "smartguard.entrypoints.cli",
                                 "notifier", "--config", str(config), "--log-level", "error"])
        try:
            deadline = time.time() + 30
            while len(receiver.accepted) < len(written) and time.time() < deadline:
                time.sleep(0.05)
        finally:
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(30) == 0
        assert {m["id"] for m in receiver.accepted} == {m.id for m in written}
        assert receiver.refused == 0
        sent = sg.read(lambda uow: uow.outbox.list(OutboxStatus.SENT, "webhook", None, 50))
        assert len(sent) == len(written)
    finally:
        sg.close()
        receiver.server.shutdown()
