"""``smartguard serve`` SIGKILLed while it sends SMS (to the npm ``smpp`` peer), twice, and
started again: every alert still reaches the SMS centre; only those in flight at a kill (at
most a window each time) may reach it twice."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.service_layer import authorize as az
from tests.integration.alerts.test_smpp_peer import PAN, enrol, purchase
from tests.integration.alerts.test_smpp_recovery import all_sent, delivery
from tests.peers.smsc_peer import PASSWORD, SYSTEM_ID, Smsc, free_port, wait_for

WINDOW = 20


def config(tmp_path: Path, smsc: Smsc) -> Path:
    path = tmp_path / "smartguard.toml"
    path.write_text(
        f'data_dir = "{tmp_path / "data"}"\n\n'
        f'[smpp]\nhost = "127.0.0.1"\nport = {smsc.port}\nsystem_id = "{SYSTEM_ID}"\n'
        f'password = "{PASSWORD}"\nsource_addr = "95588"\nsend_timeout_seconds = 5\n\n'
        f'[notifier]\nchannels = ["sms"]\nbatch = {WINDOW}\nlease_seconds = 2\n'
        "poll_seconds = 0.05\nbase_delay_seconds = 0.1\nmax_delay_seconds = 0.5\n",
        encoding="utf-8")
    return path


def serve(path: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--config", str(path),
         "--port", str(free_port()), "--no-iso", "--log-level", "error"])


def write_alerts(sg: App, count: int) -> None:
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    for amount in range(1, count + 1):
        request = purchase(amount)
        sg.write(lambda uow, r=request: az.authorize(uow, sg.ctx, ref, r))  # type: ignore[misc]


def test_serve_killed_while_sending_sms_loses_none(tmp_path: Path, smsc: Smsc) -> None:
    path = config(tmp_path, smsc)
    sg = bootstrap(load(path))
    rng = random.Random(1919)
    proc: subprocess.Popen[bytes] | None = None
    try:
        enrol(sg)
        write_alerts(sg, 300)
        for _ in range(2):
            proc = serve(path)
            target = smsc.stats()["submits"] + rng.randint(20, 80)
            wait_for(lambda t=target: smsc.stats()["submits"] >= t, timeout=60, step=0.01)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        proc = serve(path)
        wait_for(lambda: all_sent(sg), timeout=120, step=0.2)
        time.sleep(0.5)
        missing, duplicates = delivery(sg, smsc)
        assert missing == []
        assert duplicates <= 2 * WINDOW * 2  # a window of (up to two-part) messages a kill
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            proc.wait(30)
        sg.close()
