"""The gateway split over processes (``smartguard serve --iso-workers 1``): the front
process answers network management itself and forwards authorizations and reversals to
the core; answers and effects are the same as in one process; SIGTERM answers what was
accepted before the processes exit."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.pan import with_check_digit
from tests.iso_client import Client, enrol, network, purchase, reversal


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    data = tmp_path / "data"
    sg = bootstrap(load(None, data_dir=data))
    enrol(sg, balance=100_000)
    sg.close()
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--data-dir", str(data),
         "--port", str(free_port()), "--iso-port", str(port), "--iso-workers", "1",
         "--log-level", "error"])
    deadline = time.time() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.time() < deadline, "serve did not start"
            time.sleep(0.05)
    yield proc, port
    if proc.poll() is None:
        proc.kill()
        proc.wait(10)


def test_front_process_answers_like_the_single_process_gateway(
    served: tuple[subprocess.Popen[bytes], int]
) -> None:
    _, port = served
    client = Client(port)
    try:
        assert client.request(network(1))["39"] == "00"
        approved = client.request(purchase(2, amount=30_000))
        assert approved["39"] == "00"
        assert approved["54"].endswith(f"{70_000:012d}")
        assert client.request(purchase(2, amount=30_000)) == approved  # duplicate
        assert client.request(purchase(3, amount=80_000))["39"] == "51"
        assert client.request(reversal(4, purchase(2, amount=30_000)))["39"] == "00"
        again = client.request(purchase(5, amount=80_000))
        assert again["39"] == "00"
        assert again["54"].endswith(f"{20_000:012d}")
    finally:
        client.close()


def test_front_answers_what_it_cannot_map_and_the_core_what_it_cannot_find(
    served: tuple[subprocess.Popen[bytes], int]
) -> None:
    """The front maps requests itself (with the secret that keys PAN hashes, given on its
    standard input): a field the profile refuses is answered there, a PAN hashed there
    finds the card in the core, an unknown PAN does not."""
    _, port = served
    client = Client(port)
    try:
        assert client.request(purchase(20, **{"3": "990000"}))["39"] == "12"
        assert client.request(purchase(21, **{"4": "00000000001X"}))["39"] == "13"
        assert client.request(purchase(22, **{"43": "Shop".ljust(36) + "ZZCN"}))["39"] == "30"
        assert client.request(purchase(23, pan=with_check_digit("621226000000000")))[
            "39"] == "14"
        assert client.request(purchase(24, amount=1_000))["39"] == "00"
    finally:
        client.close()


def fronts(core: int) -> list[int]:
    text = Path(f"/proc/{core}/task/{core}/children").read_text()
    return [int(pid) for pid in text.split()]


def test_a_front_that_dies_is_started_again_with_the_secret(
    served: tuple[subprocess.Popen[bytes], int]
) -> None:
    """The supervisor starts a new front, which gets the secret again on its standard
    input: the card is still found by its PAN hash."""
    proc, port = served
    [front] = fronts(proc.pid)
    os.kill(front, signal.SIGKILL)
    deadline = time.time() + 30
    while fronts(proc.pid) in ([], [front]):
        assert time.time() < deadline, "no new front"
        time.sleep(0.05)
    client = None
    while client is None:
        try:
            client = Client(port)
        except OSError:
            assert time.time() < deadline, "the new front does not accept"
            time.sleep(0.05)
    try:
        answer = client.request(purchase(30, amount=1_000))
        assert answer["39"] == "00"
        assert answer["54"].endswith(f"{99_000:012d}")
    finally:
        client.close()
    assert proc.poll() is None


def test_sigterm_answers_every_accepted_request_then_exits(
    served: tuple[subprocess.Popen[bytes], int]
) -> None:
    proc, port = served
    client = Client(port)
    try:
        for stan in range(10, 60):
            client.send(purchase(stan, amount=100))
        proc.send_signal(signal.SIGTERM)
        answers = [client.recv() for _ in range(50)]
        assert {a["39"] for a in answers} == {"00"}
        assert sorted(int(a["11"]) for a in answers) == list(range(10, 60))
    finally:
        client.close()
    assert proc.wait(30) == 0
