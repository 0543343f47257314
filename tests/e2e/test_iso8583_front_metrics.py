"""Each ISO 8583 front process serves its own /metrics (``[iso8583] front_metrics_port``):
``smartguard serve --iso-workers 2`` with traffic on several connections, both fronts
scraped and parsed with prometheus-client's own parser; the core's /metrics counts the
decisions and the front restarts, and no ISO latency it does not measure; a port in use
stops ``serve`` from starting, with the setting's name."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from tests.e2e.test_iso8583_bad_input import corrupt_field_32, frame
from tests.iso_client import Client, enrol, network, purchase

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive ports free now."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = int(s.getsockname()[1])
        if first + count <= 65535 and all(_free(first + i) for i in range(count)):
            return first
    raise AssertionError("no consecutive free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start(data: Path, iso: int, http: int, metrics: int, fronts: int = 2
          ) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--data-dir", str(data),
         "--port", str(http), "--iso-port", str(iso), "--iso-workers", str(fronts),
         "--front-metrics-port", str(metrics), "--log-level", "error"],
        stderr=subprocess.PIPE)


def wait_for(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            assert proc.poll() is None, "serve exited"
            assert time.time() < deadline, "serve did not start"
            time.sleep(0.05)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    sg = bootstrap(load(None, data_dir=data))
    enrol(sg, balance=1_000_000)
    sg.close()
    return data


@pytest.fixture
def served(data: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, int, int]]:
    """serve with 2 fronts: (process, ISO port, HTTP port, first metrics port)."""
    iso, http, metrics = free_ports(1), free_ports(1), free_ports(2)
    proc = start(data, iso, http, metrics)
    for port in (iso, http, metrics, metrics + 1):
        wait_for(port, proc)
    yield proc, iso, http, metrics
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def scrape(port: int) -> Samples:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as r:
        assert r.status == 200
        assert r.headers["Content-Type"].startswith("text/plain")
        text = r.read().decode()
    found: Samples = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def total(samples: list[Samples], name: str, **labels: str) -> float:
    """``name`` summed over the fronts (and over labels not given)."""
    return sum(v for front in samples for (n, ls), v in front.items()
               if n == name and labels.items() <= dict(ls).items())


def traffic(iso: int) -> dict[str, Any]:
    """12 connections, each: a network check, two purchases (one approved, one declined),
    and on two of them a format error. Returns what was sent."""
    clients = [Client(iso) for _ in range(12)]
    stan = 100
    for i, c in enumerate(clients):
        assert c.request(network(stan))["39"] == "00"
        assert c.request(purchase(stan + 1, amount=100))["39"] == "00"
        assert c.request(purchase(stan + 2, amount=999_999_999))["39"] == "61"
        if i < 2:
            c.send_raw(corrupt_field_32(purchase(stan + 3)))
            assert c.recv()["39"] == "30"
            assert c.request(purchase(stan + 4, **{"49": "999"}))["39"] == "30"
        stan += 10
    return {"clients": clients, "0800": 12, "0100": 12 * 2 + 2 * 2, "undecodable": 2,
            "field_refused": 2, "forwarded": 12 * 2}


def test_both_fronts_count_what_they_served_and_the_core_what_it_decided(
    served: tuple[subprocess.Popen[bytes], int, int, int]
) -> None:
    _, iso, http, metrics = served
    before = [scrape(metrics), scrape(metrics + 1)]
    assert {dict(ls).get("front") for front in before for (n, ls) in front
            if n == "smartguard_iso8583_requests_total"} == {"0", "1"}
    sent = traffic(iso)
    after = [scrape(metrics), scrape(metrics + 1)]
    core = scrape(http)
    for c in sent["clients"]:
        c.close()

    messages = sent["0800"] + sent["0100"]
    assert total(after, "smartguard_iso8583_requests_total") == messages
    assert total(after, "smartguard_iso8583_requests_total", mti="0100") == sent["0100"]
    assert total(after, "smartguard_iso8583_requests_total", mti="0800") == sent["0800"]
    assert total(after, "smartguard_iso8583_answers_total", mti="0110") == sent["0100"]
    assert total(after, "smartguard_iso8583_answers_total", mti="0810") == sent["0800"]
    assert total(after, "smartguard_request_seconds_count", interface="iso8583") == messages
    assert total(after, "smartguard_request_seconds_bucket", le="+Inf") == messages
    assert total(after, "smartguard_request_seconds_sum") > 0
    assert total(after, "smartguard_iso8583_format_errors_total", reason="undecodable",
                 field="32") == sent["undecodable"]
    assert total(after, "smartguard_iso8583_format_errors_total", reason="field_refused",
                 field="49") == sent["field_refused"]
    assert total(after, "smartguard_iso8583_open_connections") == 12
    assert total(after, "smartguard_iso8583_connections_accepted_total") >= 12
    assert total(after, "smartguard_iso8583_core_link_up") == 2
    assert total(after, "smartguard_iso8583_core_link_in_flight") == 0
    forwarded = sent["forwarded"]
    assert total(after, "smartguard_iso8583_core_link_messages_total",
                 direction="sent") == forwarded
    assert total(after, "smartguard_iso8583_core_link_messages_total",
                 direction="answered") == forwarded
    assert total(after, "process_cpu_seconds_total") > 0  # each front's own CPU

    # the core: the decisions are its own; the ISO latency and connections are the fronts'
    assert total([core], "smartguard_decisions_total", interface="iso8583") == forwarded
    assert total([core], "smartguard_decisions_total", interface="iso8583",
                 outcome="decline", reason="amount_limit") == 12
    assert total([core], "smartguard_request_seconds_count", interface="iso8583") == 0
    assert ("smartguard_request_seconds_count", (("interface", "iso8583"),)) not in core
    assert total([core], "smartguard_iso8583_open_connections") == 0
    assert total([core], "smartguard_iso8583_fronts") == 2
    assert total([core], "smartguard_iso8583_front_restarts_total") == 0


def children(core: int) -> list[int]:
    text = Path(f"/proc/{core}/task/{core}/children").read_text()
    return [int(pid) for pid in text.split()]


def test_a_front_started_again_serves_its_metrics_on_the_same_port(
    served: tuple[subprocess.Popen[bytes], int, int, int]
) -> None:
    proc, iso, http, metrics = served
    client = Client(iso)
    assert client.request(network(1))["39"] == "00"
    client.close()
    fronts = children(proc.pid)
    assert len(fronts) == 2
    os.kill(fronts[0], signal.SIGKILL)
    deadline = time.time() + 30
    while total([scrape(http)], "smartguard_iso8583_front_restarts_total") < 1:
        assert time.time() < deadline, "the front was not started again"
        time.sleep(0.1)
    while len(set(children(proc.pid)) - set(fronts)) < 1:
        assert time.time() < deadline, "no new front"
        time.sleep(0.05)
    for port in (metrics, metrics + 1):  # both answer (the new one once it serves)
        while True:
            try:
                up = total([scrape(port)], "smartguard_iso8583_core_link_up")
                break
            except OSError:
                assert time.time() < deadline, f"no metrics on {port}"
                time.sleep(0.05)
        assert up == 1
    assert total([scrape(http)], "smartguard_iso8583_front_restarts_total") == 1
    assert proc.poll() is None


def test_a_metrics_port_in_use_stops_serve_from_starting_with_the_settings_name(
    data: Path
) -> None:
    iso, http, metrics = free_ports(1), free_ports(1), free_ports(2)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", metrics + 1))
        taken.listen()
        proc = start(data, iso, http, metrics)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    text = err.decode()
    assert "iso8583.front_metrics_port" in text
    assert f"front 1 cannot serve its metrics on 127.0.0.1:{metrics + 1}" in text
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", iso), timeout=0.5).close()


def test_an_unreadable_mti_is_counted_as_a_request_of_another_mti_and_a_closed_answer(
    served: tuple[subprocess.Popen[bytes], int, int, int]
) -> None:
    _, iso, _, metrics = served
    c = Client(iso)
    c.send_raw(frame(b"9X9Z" + codec_tail()))
    assert c.closed_by_server()
    c.close()
    deadline = time.time() + 10
    while True:
        after = [scrape(metrics), scrape(metrics + 1)]
        if total(after, "smartguard_iso8583_answers_total", mti="closed") == 1 or \
                time.time() > deadline:
            break
        time.sleep(0.05)
    assert total(after, "smartguard_iso8583_requests_total", mti="other") == 1
    assert total(after, "smartguard_iso8583_answers_total", mti="closed") == 1
    assert total(after, "smartguard_iso8583_format_errors_total",
                 reason="mti_unreadable") == 1


def codec_tail() -> bytes:
    from smartguard.adapters.iso8583 import codec

    return codec.encode(network(5))[2 + 4:]
