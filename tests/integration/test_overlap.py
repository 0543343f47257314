"""Overlapped batches on PostgreSQL (service_layer/overlap.py): the next batch runs while
the one before commits, and every answer stays exact, also for two cards of one account
(one batch waits for the other's row) and when a COMMIT fails while the next batch holds
its locks (the batch runs again without the process waiting for itself)."""

from __future__ import annotations

import asyncio
import time
from itertools import count
from typing import Any

import pytest

from smartguard.adapters.postgres import store as pg
from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.errors import StoreConflict
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor
from tests.conftest import Clock

ACTOR = Actor("test", "test")
PRICE = 3_000
SHARED_BALANCE = 40_000  # cards 0 and 1: one account, 13 purchases of 3,000 fit
OWN_BALANCE = 20_000  # cards 2-5: an account each, 6 purchases fit
WAVES = 10
_stans = count(1)


def pan(i: int) -> str:
    return with_check_digit(f"62220210000000{i:04d}")


def enrol(sg: App) -> list[str]:
    def job(uow: az.UnitOfWork) -> list[str]:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        shared = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", SHARED_BALANCE)
        ids = [cards.enrol_card(uow, sg.ctx, ACTOR, pan(i), shared.id).card.id
               for i in range(2)]
        for i in range(2, 6):
            own = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", OWN_BALANCE)
            ids.append(cards.enrol_card(uow, sg.ctx, ACTOR, pan(i), own.id).card.id)
        return ids

    return sg.write(job)


def purchase() -> AuthorizationRequest:
    return AuthorizationRequest(
        MessageKind.PURCHASE, PRICE, "CNY", PRICE, TerminalType.POS, True, EntryMode.CHIP,
        "CN", "CN-BJ", acquirer_id="1", stan=f"{next(_stans):06d}",
        transmission_time="1125120000")


async def buy(sg: App, i: int, req: AuthorizationRequest) -> str:
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(pan(i)))
    result = await sg.awrite(lambda uow: az.authorize(uow, sg.ctx, ref, req),
                             ref.lock_for(req))
    return str(result.record.outcome)


async def waves(sg: App) -> list[tuple[int, AuthorizationRequest, str]]:
    """A purchase on each card every few ms, while COMMITs take 20 ms: each wave's batch
    runs beside the COMMIT of the one before; every tenth request is sent twice."""
    sent: list[tuple[int, asyncio.Task[str], AuthorizationRequest]] = []
    for _ in range(WAVES):
        for i in range(6):
            req = purchase()
            sent.append((i, asyncio.ensure_future(buy(sg, i, req)), req))
            if len(sent) % 10 == 0:  # the switch's repeat, same key, while it runs
                sent.append((i, asyncio.ensure_future(buy(sg, i, req)), req))
        await asyncio.sleep(0.005)
    answers = await asyncio.wait_for(asyncio.gather(*(t for _, t, _ in sent)), 60)
    return [(i, req, a) for (i, _, req), a in zip(sent, answers, strict=True)]


def slow_commits(monkeypatch: pytest.MonkeyPatch, fail_first: bool = False) -> list[int]:
    """Every writer COMMIT takes 20 ms more (as over a network to a synchronous standby);
    with ``fail_first`` the first batch's COMMIT that follows another's is refused, as a
    serialization failure would be."""
    commits: list[int] = []
    original = pg.PgUnitOfWork.commit

    def commit(self: pg.PgUnitOfWork) -> None:
        commits.append(1)
        time.sleep(0.02)
        if fail_first and len(commits) == 3:
            self.db.execute("ROLLBACK")
            raise StoreConflict("transient conflict: could not serialize access")
        original(self)

    monkeypatch.setattr(pg.PgUnitOfWork, "commit", commit)
    return commits


def run(pg_url: str, tmp_path: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch,
        fail_first: bool = False) -> tuple[App, list[str], list[Any], int]:
    settings = load(None, data_dir=tmp_path / "data", database_url=pg_url)

    async def main() -> tuple[App, list[str], list[Any], int]:
        sg = bootstrap(settings, clock=clock, loop=asyncio.get_running_loop())
        ids = await asyncio.to_thread(enrol, sg)
        slow_commits(monkeypatch, fail_first)
        try:
            answers = await waves(sg)
            return sg, ids, answers, sg.writer.stats.overlapped
        finally:
            await sg.writer.aclose()

    return asyncio.run(main())


def check_exact(sg: App, ids: list[str], answers: list[Any]) -> None:
    by_key: dict[Any, set[str]] = {}
    for _, req, answer in answers:
        by_key.setdefault(req.idempotency_key, set()).add(answer)
    assert all(len(found) == 1 for found in by_key.values())  # a repeat: the first answer
    approved = [0] * 6
    counted: set[Any] = set()
    for i, req, answer in answers:
        if answer == "approve" and req.idempotency_key not in counted:
            approved[i] += 1
            counted.add(req.idempotency_key)
    shared = approved[0] + approved[1]
    assert shared == SHARED_BALANCE // PRICE
    assert approved[2:] == [OWN_BALANCE // PRICE] * 4
    balances = sg.read(lambda uow: [uow.cards.get(c).account.balance for c in ids])
    assert balances[0] == balances[1] == SHARED_BALANCE - shared * PRICE
    assert balances[2:] == [OWN_BALANCE - approved[2] * PRICE] * 4


def test_batches_overlap_and_every_answer_stays_exact(
        pg_url: str, tmp_path: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    sg, ids, answers, overlapped = run(pg_url, tmp_path, clock, monkeypatch)
    try:
        assert overlapped > 0
        check_exact(sg, ids, answers)
    finally:
        sg.close()


def test_a_commit_refused_beside_the_next_batch_runs_again_without_hanging(
        pg_url: str, tmp_path: Any, clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    sg, ids, answers, overlapped = run(pg_url, tmp_path, clock, monkeypatch,
                                       fail_first=True)
    try:
        assert overlapped > 0
        assert sg.writer.stats.conflicts == 1
        check_exact(sg, ids, answers)
    finally:
        sg.close()
