"""The SQLite writer caches card state; the cache must never answer with stale data."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.domain.controls import values as s
from smartguard.domain.errors import InvalidInput
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    Posting,
    TerminalType,
)
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, postings, protections
from smartguard.service_layer.context import Actor
from tests.conftest import Clock, card_locked_elsewhere

PAN = with_check_digit("622202100000000001")
ACTOR = Actor("test", "test")


@pytest.fixture
def pair(tmp_path: Path, clock: Clock) -> Iterator[tuple[App, App]]:
    """Two SmartGuards (as two processes would be) on one SQLite file."""
    settings = load(None, data_dir=tmp_path / "data")
    first, second = bootstrap(settings, clock=clock), bootstrap(settings, clock=clock)
    yield first, second
    first.close()
    second.close()


def enrol(sg: App) -> tuple[str, str]:
    def job(uow: az.UnitOfWork) -> tuple[str, str]:
        h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
        a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 100_000)
        return cards.enrol_card(uow, sg.ctx, ACTOR, PAN, a.id).card.id, a.id

    return sg.write(job)


_stan = iter(range(1, 10_000))


def purchase(sg: App, amount: int, region: str = "CN-BJ") -> az.AuthorizationResult:
    req = AuthorizationRequest(MessageKind.PURCHASE, amount, "CNY", amount, TerminalType.POS,
                               True, EntryMode.CHIP, "CN", region, merchant_id="M",
                               acquirer_id="A", stan=f"{next(_stan):06d}",
                               transmission_time="T")
    ref = az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))
    return sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, req))


def test_a_lock_set_by_another_process_applies_to_the_next_authorization(
    pair: tuple[App, App]
) -> None:
    first, second = pair
    card_id, _ = enrol(first)
    assert purchase(first, 100).record.outcome == "approve"  # card now cached in first
    lock = s.region_lock(True, ["CN-HA"])
    second.write(lambda uow: protections.set_protection(
        uow, second.ctx, ACTOR, card_id, s.ProtectionChange(s.Protection.REGION_LOCK, lock)))
    assert purchase(first, 100).record.verdicts[0].reason == "region_lock"


def test_a_posting_by_another_process_moves_the_cached_balance(
    pair: tuple[App, App]
) -> None:
    first, second = pair
    _, account_id = enrol(first)
    purchase(first, 100_000)  # balance 0, cached
    assert purchase(first, 1).record.verdicts[0].reason == "insufficient_funds"
    second.write(lambda uow: postings.post(
        uow, second.ctx, Posting("salary-1", account_id, 50_000)))
    result = purchase(first, 1)
    assert result.record.outcome == "approve"
    assert result.record.balance_after == 49_999


def test_a_failed_job_leaves_nothing_stale_in_the_cache(sg: App) -> None:
    _, account_id = enrol(sg)
    purchase(sg, 100)

    def half_done(uow: az.UnitOfWork) -> None:
        uow.accounts.adjust_balance(account_id, -99_900)
        raise InvalidInput("amount", "changed my mind")

    with pytest.raises(InvalidInput):
        sg.write(half_done)
    result = purchase(sg, 50_000)
    assert result.record.outcome == "approve"
    assert result.record.balance_after == 100_000 - 100 - 50_000


def test_after_a_phone_change_alerts_go_to_the_new_number(sg: App) -> None:
    from smartguard.service_layer import alert_preferences

    card_id, _ = enrol(sg)
    purchase(sg, 100)  # the card, with its holder's phone, is now cached
    holder = sg.read(lambda uow: uow.cards.get(card_id)).cardholder.id
    sg.write(lambda uow: alert_preferences.change_phone(
        uow, sg.ctx, ACTOR, holder, "+8613900000009"))
    purchase(sg, 200)
    sms = sg.read(lambda uow: uow.outbox.list(None, "sms", card_id, 50))
    newest = max(sms, key=lambda m: m.created_at.isoformat() + m.id)
    assert newest.recipient == "+8613900000009"


def test_the_cache_rebuilds_card_records_field_by_field() -> None:
    """CachedAccounts.adjust_balance builds the new record directly (not with
    dataclasses.replace): a field added to either class must be carried there too."""
    from dataclasses import fields

    from smartguard.domain.cards import Account
    from smartguard.service_layer.records import CardRecord

    assert [f.name for f in fields(Account)] == ["id", "cardholder_id", "currency", "balance"]
    assert [f.name for f in fields(CardRecord)] == ["card", "cardholder", "account", "controls"]


def test_a_card_read_without_its_lock_is_locked_when_a_later_read_asks_for_it(
    pg_url: str, tmp_path: Path, clock: Clock
) -> None:
    """On PostgreSQL the cache lives for one transaction: a card read there without its
    row lock must still be locked (FOR UPDATE) when a later read in the same transaction
    asks for the lock, or another node could change it under the batch."""
    sg = bootstrap(load(None, data_dir=tmp_path / "data", database_url=pg_url), clock=clock)
    try:
        card_id, _ = enrol(sg)
        refused: list[str] = []

        def job(uow: az.UnitOfWork) -> None:
            assert uow.cards.get(card_id) is not None  # cached, not locked
            assert uow.cards.get(card_id, lock=True) is not None
            if card_locked_elsewhere(pg_url, card_id):
                refused.append("card")

        sg.write(job)
        assert refused == ["card"]
    finally:
        sg.close()



def test_counters_stay_exact_across_days_and_a_reversal_of_yesterday(
    pair: tuple[App, App], clock: Clock
) -> None:
    """The counters a card's first authorization reads are kept for that day and every
    later one (read once per card, not per card and day): what another process counted is
    read, a new day starts at zero, and a reversal of yesterday's purchase gives the month
    its amount back."""
    from smartguard.domain.transactions import Channel, ReversalRequest
    from smartguard.service_layer.reverse import reverse

    first, second = pair
    card_id, _ = enrol(first)
    limits = s.ChannelLimits(daily_count=2, monthly_amount=1_000)
    first.write(lambda uow: protections.set_limits(uow, first.ctx, ACTOR, card_id,
                                                   Channel.POS, limits))
    clock.set_local("2026-03-02T10:00:00")
    bought = purchase(first, 100)
    assert purchase(second, 100).record.outcome == "approve"  # another process counts
    assert purchase(first, 100).record.verdicts[0].reason == "frequency_limit"  # 2 a day
    clock.set_local("2026-03-03T10:00:00")
    q = bought.record.request
    first.write(lambda uow: reverse(uow, first.ctx, ReversalRequest(
        "A", "R00001", "T", q.acquirer_id, q.stan, q.transmission_time)))
    assert purchase(first, 850).record.outcome == "approve"  # a new day; month 100 + 850
    over = purchase(first, 100).record
    assert over.outcome == "decline" and over.verdicts[0].reason == "amount_limit"
