"""Many concurrent authorizations on one card never exceed the daily limit or the balance."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from itertools import count

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
        req = withdrawal(amount)
        return sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, req))

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
