"""Crash test: ``smartguard serve`` is killed with SIGKILL while ISO 8583 load runs. After a
restart, every answered authorization is in the database with its effects, and balances
and usage counters are exactly what the recorded decisions imply (nothing unanswered was
half-applied)."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from smartguard.adapters.iso8583 import codec
from smartguard.bench.iso8583_traffic import Message, Traffic
from smartguard.bench.population import build

OPENING = 100_000_000  # every bench card's opening balance
DEBITS = ("purchase", "cash_withdrawal", "transfer")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def serve(data: Path, iso_port: int, workers: int = 0) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "smartguard.entrypoints.cli", "serve", "--data-dir", str(data),
         "--port", str(free_port()), "--iso-port", str(iso_port), "--log-level", "error",
         "--iso-workers", str(workers)])
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", iso_port), timeout=0.2).close()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise AssertionError("serve did not start")


class Load(asyncio.Protocol):
    """One connection keeping a window of requests in flight; records every answer."""

    def __init__(self, traffic: Traffic, answers: dict[bytes, list[codec.Fields]],
                 sent: list[Message]) -> None:
        self.traffic, self.answers, self.sent = traffic, answers, sent
        self.buffer = b""
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        for _ in range(16):
            self.send()

    def send(self) -> None:
        assert self.transport is not None
        if not self.transport.is_closing():
            message = self.traffic.next()
            self.sent.append(message)
            self.transport.write(message.raw)

    def data_received(self, data: bytes) -> None:
        frames = codec.split(self.buffer + data, codec.MAX_FRAME)
        self.buffer = frames.rest
        for raw in frames.messages:
            answer = codec.decode(raw)
            self.answers.setdefault((answer["11"] + answer["7"]).encode(), []).append(answer)
            self.send()


async def load_then_kill(port: int, pans: list[str], proc: subprocess.Popen[bytes],
                         seconds: float) -> tuple[Traffic, dict[bytes, list[codec.Fields]],
                                                  list[Message]]:
    loop = asyncio.get_running_loop()
    traffic, answers, sent = Traffic(pans, seed=7, templates=300), {}, []  # type: ignore[var-annotated]
    for _ in range(4):
        await loop.create_connection(lambda: Load(traffic, answers, sent), "127.0.0.1", port)
    await asyncio.sleep(seconds)
    os.kill(proc.pid, signal.SIGKILL)  # with requests in flight
    await asyncio.sleep(0.3)
    return traffic, answers, sent


def rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def check_answered_are_recorded(db: Path, acquirer: str, answers: dict[bytes, list[codec.Fields]]
                                ) -> int:
    auths = {(s, t): (code, approval) for s, t, code, approval in rows(
        db, f"SELECT stan, transmission_time, response_code, approval_code FROM authorizations "
            f"WHERE acquirer_id = '{acquirer}'")}
    reversals = {(s, t) for s, t in rows(
        db, f"SELECT stan, transmission_time FROM reversals WHERE acquirer_id = '{acquirer}'")}
    checked = 0
    for key, given in answers.items():
        stan, sent = key[:6].decode(), key[6:].decode()
        for answer in given:
            if answer["t"] == "0410":
                assert (stan, sent) in reversals
            else:
                assert auths[(stan, sent)] == (answer["39"], answer.get("38")), answer
            checked += 1
    return checked


def check_effects_match_decisions(db: Path) -> None:
    effective = rows(db, "SELECT a.card_id, c.account_id, json_extract(a.request, '$.kind'), "
                         "json_extract(a.request, '$.billing_amount'), a.counters, a.day, a.month "
                         "FROM authorizations a JOIN cards c ON c.id = a.card_id "
                         "WHERE a.outcome = 'approve' AND a.reversed_at IS NULL")
    balance: Counter[str] = Counter()
    usage: Counter[tuple[str, str, str, str]] = Counter()
    for card, account, kind, amount, counters, day, month in effective:
        if kind in DEBITS or kind == "refund":
            balance[str(account)] += -int(amount) if kind in DEBITS else int(amount)  # type: ignore[call-overload]
        for counter in json.loads(str(counters)):
            for period in ("D" + str(day), "M" + str(month)):
                usage[(str(card), counter, period, "amount")] += int(amount)  # type: ignore[call-overload]
                usage[(str(card), counter, period, "count")] += 1
    for account, amount in rows(db, "SELECT account_id, SUM(amount) FROM postings "
                                    "GROUP BY account_id"):
        balance[str(account)] += int(amount)  # type: ignore[call-overload]
    for account, stored in rows(db, "SELECT id, balance FROM accounts"):
        assert stored == OPENING + balance[str(account)], account
    stored_usage: Counter[tuple[str, str, str, str]] = Counter()
    for card, counter, period, amount, count in rows(
            db, "SELECT card_id, counter, period, amount, count FROM usage_counters"):
        stored_usage[(str(card), str(counter), str(period), "amount")] = int(amount)  # type: ignore[call-overload]
        stored_usage[(str(card), str(counter), str(period), "count")] = int(count)  # type: ignore[call-overload]
    assert +stored_usage == +usage


@pytest.mark.slow
@pytest.mark.parametrize("workers", [0, 1], ids=["one-process", "front-process"])
def test_sigkill_under_load_loses_no_answered_authorization_and_half_applies_nothing(
    tmp_path: Path, workers: int
) -> None:
    """With a front process, killing the core must also end the front (its connections
    close unanswered) so that a restart can take the port again."""
    data = tmp_path / "data"
    pans = build(data, 40).pans
    port = free_port()
    proc = serve(data, port, workers)
    try:
        traffic, answers, sent = asyncio.run(load_then_kill(port, pans, proc, seconds=2.0))
    finally:
        proc.kill()
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    answered = sum(len(a) for a in answers.values())
    assert answered > 200, "the load should have been answered for a while"
    assert len(sent) > answered, "requests should have been in flight at the kill"
    restarted = serve(data, port, workers)  # recovery: the WAL is replayed on open
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(30) == 0
    db = data / "smartguard.db"
    acquirer = traffic.acquirer.lstrip("0")  # acquirer ids are numbers (field 32)
    assert check_answered_are_recorded(db, acquirer, answers) == answered
    check_effects_match_decisions(db)
