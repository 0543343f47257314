"""Many concurrent authorizations on one card never exceed the daily limit or the balance;
repeated requests among them get the first answer and change nothing."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from itertools import count

import pytest

from smartguard.bootstrap import App, bootstrap
from smartguard.config import Settings
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    Channel,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.errors import IdempotencyConflict
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, protections
from smartguard.service_layer.context import Actor
from tests.conftest import Clock

PAN = with_check_digit("622202100000000001")
ACTOR = Actor("test", "test")
_stans = count(1)


def enrol(sg: App, balance: int) -> str:
    def job(uow: az.UnitOfWork) -> str:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", balance)
        return cards.enrol_card(uow, sg.ctx, ACTOR, PAN, a.id).card.id

    return sg.write(job)


def withdrawal(amount: int) -> AuthorizationRequest:
    return AuthorizationRequest(
        MessageKind.CASH_WITHDRAWAL, amount, "CNY", amount, TerminalType.ATM, True,
        EntryMode.CHIP, "CN", "CN-BJ", acquirer_id="1", stan=f"{next(_stans):06d}",
        transmission_time="1125120000")


def hammer(apps: list[App], n: int, amount: int) -> list[az.AuthorizationResult]:
    def one(i: int) -> az.AuthorizationResult:
        sg = apps[i % len(apps)]
        ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
        req = withdrawal(amount)  # locked and looked up first, as the gateways name it
        return sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, req), ref.lock_for(req))

    with ThreadPoolExecutor(max_workers=32) as pool:
        return list(pool.map(one, range(n)))


def test_daily_limit_is_never_exceeded_under_concurrency(sg: App) -> None:
    card_id = enrol(sg, balance=10_000_000)
    sg.write(lambda uow: protections.set_limits(
        uow, sg.ctx, ACTOR, card_id, Channel.ATM_CASH, s.ChannelLimits(daily_amount=300_000)))
    results = hammer([sg], n=200, amount=20_000)
    approved = [r for r in results if r.record.outcome == "approve"]
    assert len(approved) == 15
    assert all(r.record.verdicts[0].reason == "amount_limit"
               for r in results if r.record.outcome != "approve")
    balance = sg.read(lambda uow: uow.cards.get(card_id)).account.balance
    assert balance == 10_000_000 - 300_000


def test_balance_is_never_exceeded_under_concurrency(sg: App) -> None:
    card_id = enrol(sg, balance=95_000)
    results = hammer([sg], n=100, amount=10_000)
    assert sum(r.record.outcome == "approve" for r in results) == 9
    assert sg.read(lambda uow: uow.cards.get(card_id)).account.balance == 5_000


def test_two_writers_on_one_database_stay_exact(
    store_settings: Settings, clock: Clock
) -> None:
    """Two SmartGuard processes' worth of writers (two stores, two committers) on one
    database: SQLite's write lock, or PostgreSQL's row locks, serialise the writers of one
    card, and nothing is cached, so limits still hold."""
    settings = store_settings
    first = bootstrap(settings, clock=clock)
    second = bootstrap(settings, clock=clock)
    try:
        enrol(first, balance=10_000_000)
        results = hammer([first, second], n=120, amount=100_000)
        assert sum(r.record.outcome == "approve" for r in results) == 20  # 20,000 CNY/day
        balance = first.read(lambda uow: uow.cards.by_pan_hash(first.ctx.hash_pan(PAN)))
        assert balance is not None
        assert balance.account.balance == 10_000_000 - 2_000_000
    finally:
        first.close()
        second.close()


def test_repeats_in_one_batch_and_across_batches_get_the_first_answer(sg: App) -> None:
    """On PostgreSQL a batch reads its requests' earlier decisions with its locks
    (adapters/sql/locks.py): a repeat in the same batch, or of an earlier batch's request,
    is answered as the first was, once; a key reused for another amount is refused."""
    card_id = enrol(sg, balance=1_000_000)
    first = [withdrawal(10_000) for _ in range(20)]
    again = [r for r in first[:10] for _ in (1, 2)] + first[10:]  # ten repeated at once
    held, release = threading.Event(), threading.Event()
    hold = sg.writer.submit(lambda uow: held.set() or release.wait(5))  # type: ignore[attr-defined]
    held.wait(5)
    futures = [sg.writer.submit(  # type: ignore[attr-defined]
        lambda uow, r=r: az.authorize(uow, sg.ctx, ref(sg), r), ref(sg).lock_for(r))
        for r in again]
    release.set()  # every job queued: they run as one batch
    hold.result()
    results = [f.result() for f in futures]
    assert sg.writer.stats.largest >= len(again)
    later = [sg.write(lambda uow, r=r: az.authorize(uow, sg.ctx, ref(sg), r),
                      ref(sg).lock_for(r)) for r in first[:5]]
    by_key = {}
    for r in results + later:
        by_key.setdefault(r.record.request.idempotency_key, set()).add(r.record.id)
    assert len(by_key) == 20 and all(len(ids) == 1 for ids in by_key.values())
    assert sum(not r.duplicate for r in results) == 20
    assert all(r.duplicate for r in later)
    balance = sg.read(lambda uow: uow.cards.get(card_id)).account.balance
    assert balance == 1_000_000 - 20 * 10_000
    other = replace(first[0], amount=20_000, billing_amount=20_000)
    with pytest.raises(IdempotencyConflict):
        sg.write(lambda uow: az.authorize(uow, sg.ctx, ref(sg), other), ref(sg).lock_for(other))


def ref(sg: App) -> az.CardRef:
    return az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
