"""``log_format = "json"``: ``serve`` writes one JSON object a line; an HTTP request's lines
carry its request id, ISO 8583 lines their peer, MTI and STAN, and each decision one info
line (interface, outcome, reason, latency) without the PAN."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests.e2e.test_iso8583_crash import free_port
from tests.iso_client import PAN, Client, enrol, network, purchase


def prepared(data: Path) -> str:
    sg = bootstrap(load(None, data_dir=data))
    try:
        enrol(sg)
        token: str = sg.write(lambda uow: keys.create_key(uow, sg.ctx, Role.PROCESSOR)[1])
        return token
    finally:
        sg.close()


def authorize(port: int, token: str) -> dict[str, Any]:
    body = {"pan": PAN, "kind": "purchase", "amount": 10_000, "terminal": "pos",
            "card_present": True, "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
            "acquirer_id": "10000001", "stan": "000321", "transmission_time": "1202120000"}
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/v1/authorizations", data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-42",
                 "Content-Type": "application/json"})
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as r:
                assert r.headers["X-Request-ID"] == "req-42"
                answer: dict[str, Any] = json.loads(r.read())
                return answer
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def test_serve_writes_json_lines(tmp_path: Path) -> None:
    data = tmp_path / "data"
    token = prepared(data)
    config = tmp_path / "smartguard.toml"
    config.write_text('log_format = "json"\nlog_level = "info"\n')
    port, iso_port = free_port(), free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--config", str(config),
         "--data-dir", str(data), "--port", str(port), "--iso-port", str(iso_port)],
        stderr=subprocess.PIPE, text=True)
    try:
        assert authorize(port, token)["outcome"] == "approve"
        client = Client(iso_port)
        assert client.request(network(5))["39"] == "00"
        assert client.request(purchase(6))["39"] == "00"
        client.close()
    finally:
        server.send_signal(signal.SIGTERM)
        _, err = server.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.strip()]
    assert PAN not in err
    assert all({"event", "level", "timestamp"} <= set(x) for x in lines)
    decisions = [x for x in lines if x["event"] == "decision"]
    assert [(x["interface"], x["outcome"], x["reason"]) for x in decisions] == [
        ("http", "approve", "none"), ("iso8583", "approve", "none")]
    assert decisions[0]["request_id"] == "req-42"
    assert all(x["level"] == "info" and x["latency_ms"] > 0 for x in decisions)
    [nm] = [x for x in lines if x["event"] == "network_management"]
    assert nm["mti"] == "0800" and nm["stan"] == "000005" and nm["network_code"] == "301"
    assert nm["peer"].startswith("127.0.0.1:")
    [started] = [x for x in lines if x["event"] == "notifier_started"]
    # no SMS centre configured: SMS alerts are queued, and the line says so
    assert started["sending"] == [] and started["queued_only"] == ["sms"]
