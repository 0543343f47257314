"""Crash test for the monitoring rules' features: with the starter pack in shadow (so the
writer keeps every card's activity in memory), ``smartguard serve`` is killed with SIGKILL
under ISO 8583 load. After a restart the features rebuilt for each card are exactly those
of the decisions recorded (nothing lost with the memory, nothing of an uncommitted batch),
and the places written durably (``card_places``) are exactly those the recorded approvals
used."""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from smartguard.bench.population import build
from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.activity import window_features
from smartguard.domain.rules import RuleStatus
from smartguard.service_layer import starter_pack
from smartguard.service_layer.context import Actor
from tests.e2e.test_iso8583_crash import free_port, load_then_kill, rows, serve

DEBITS = "('purchase', 'cash_withdrawal', 'transfer')"


def install_pack(data: Path) -> None:
    sg = bootstrap(load(None, data_dir=data))
    try:
        sg.write(lambda uow: starter_pack.install(uow, sg.ctx, Actor("ops", "test"),
                                                  RuleStatus.SHADOW))
    finally:
        sg.close()


@pytest.mark.slow
def test_features_after_sigkill_are_those_of_the_recorded_decisions(tmp_path: Path) -> None:
    data = tmp_path / "data"
    pans = build(data, 30).pans
    install_pack(data)
    port = free_port()
    proc = serve(data, port)
    try:
        _, answers, sent = asyncio.run(load_then_kill(port, pans, proc, seconds=2.0))
    finally:
        proc.kill()
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert sum(len(a) for a in answers.values()) > 200 and len(sent) > 200
    restarted = serve(data, port)
    restarted.send_signal(signal.SIGTERM)
    assert restarted.wait(30) == 0

    db = data / "smartguard.db"
    counted = Counter(str(card) for (card,) in rows(
        db, "SELECT card_id FROM authorizations WHERE outcome = 'approve' AND reversed_at "
            f"IS NULL AND json_extract(request, '$.kind') IN {DEBITS}"))
    attempts = Counter(str(card) for (card,) in rows(
        db, f"SELECT card_id FROM authorizations WHERE json_extract(request, '$.kind') IN "
            f"{DEBITS}"))
    used: dict[str, set[str]] = {}
    for card, region, country in rows(
            db, "SELECT card_id, json_extract(request, '$.region'), json_extract(request, "
                "'$.country') FROM authorizations WHERE outcome = 'approve' AND "
                f"json_extract(request, '$.kind') IN {DEBITS}"):
        used.setdefault(str(card), set()).update(p for p in (region, country) if p)
    places: dict[str, set[str]] = {}
    for card, place in rows(db, "SELECT card_id, place FROM card_places"):
        places.setdefault(str(card), set()).add(str(place))
    assert sum(counted.values()) > 100 and sum(attempts.values()) > sum(counted.values())
    assert places == used

    sg = bootstrap(load(None, data_dir=data))
    now = datetime.now(UTC)
    try:
        with sg.store.reader() as uow:  # a fresh process: rebuilt from the rows
            for card in attempts:
                f = window_features(uow.activity.get(card, "", "Asia/Shanghai", now), now)
                assert (f["count_24h"], f["attempts_1h"]) == (counted[card], attempts[card])
    finally:
        sg.close()
