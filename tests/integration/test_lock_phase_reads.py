"""What a batch that names its cards' locks reads with them (PostgreSQL: in the lock phase's
one round trip, as it stood when the batch began; SQLite reads as before): the cards'
activity while monitoring rules are live, the decisions under the batch's keys, the
pending and confirmed challenges, the open travel exceptions. Whatever the batch then does
(refunds, protections, reversals, challenges answered, trips added or cancelled, debits),
each read equals what the database gives inside the same transaction, and decisions
follow."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

from smartguard.adapters.sql.activity import SqlActivity
from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.rules import RuleAction, RuleStatus
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, protections, reverse
from smartguard.service_layer import rules as ru
from smartguard.service_layer.context import Actor
from tests.builders import atm_withdrawal, cny, pos_purchase, refund, reversal_of, valid_pan
from tests.conftest import Clock, card_locked_elsewhere

OPS = Actor("operator:alice", "console")
PAN = valid_pan("621226000000077")
SECOND_CASH = 'kind == "cash_withdrawal" && amount >= 100000 && count_1h_atm_cash >= 1'


def setup(sg: App) -> tuple[str, az.CardRef]:
    def job(uow: az.UnitOfWork) -> str:
        h = cards.enrol_cardholder(uow, sg.ctx, OPS, "Li", "+8613800000077")
        a = cards.open_account(uow, sg.ctx, OPS, h.id, "CNY", cny(50_000))
        card_id = cards.enrol_card(uow, sg.ctx, OPS, PAN, a.id).card.id
        ru.create(uow, sg.ctx, OPS, "second_cash", "Second cash within the hour",
                  SECOND_CASH, RuleAction.DECLINE, "一小时内再次大额取现",
                  "a second large withdrawal within the hour")
        ru.move(uow, sg.ctx, OPS, "second_cash", RuleStatus.SHADOW)
        ru.move(uow, sg.ctx, OPS, "second_cash", RuleStatus.ACTIVE)
        return card_id

    return sg.write(job), az.CardRef(pan_hash=sg.ctx.hash_pan(PAN))


def test_a_locked_batch_decides_on_the_activity_a_rebuild_gives(sg: App,
                                                                  clock: Clock) -> None:
    card_id, ref = setup(sg)
    clock.now -= timedelta(days=40)  # a place used before the 30 days a rebuild replays
    long_ago = pos_purchase(cny(50), region="CN-GD")
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, long_ago), ref.lock_for(long_ago))
    clock.now += timedelta(days=40)
    first = atm_withdrawal(cny(300))
    sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, first), ref.lock_for(first))
    clock.now += timedelta(minutes=5)
    big = atm_withdrawal(cny(1_500))
    bought = pos_purchase(cny(80), region="CN-SH")

    def later() -> None:  # the jobs of one batch, a second apart
        clock.now += timedelta(seconds=1)

    def batch(uow: az.UnitOfWork) -> list[str]:
        outcomes = [az.authorize(uow, sg.ctx, ref, refund(cny(20))).record.outcome]
        later()
        protections.set_protection(uow, sg.ctx, OPS, card_id, s.ProtectionChange(
            s.Protection.NIGHT_LOCK, s.night_lock(True, time(23), time(5))))
        later()
        outcomes.append(az.authorize(uow, sg.ctx, ref, bought).record.outcome)
        later()
        outcomes.append(az.authorize(uow, sg.ctx, ref, big).record.outcome)
        later()
        reverse.reverse(uow, sg.ctx, reversal_of(first))
        live = uow.activity.cached(card_id)
        rebuilt = SqlActivity.get(uow.activity, card_id, "", "Asia/Shanghai", clock.now)
        assert live is not None and live == rebuilt
        assert "protection" in live.changes and live.provinces == {"CN-GD", "CN-BJ", "CN-SH"}
        return outcomes

    assert sg.write(batch, ref.lock_for(big)) == ["approve", "approve", "decline"]
    after = atm_withdrawal(cny(1_200))  # the first withdrawal was reversed: nothing in 1 h
    result = sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, after), ref.lock_for(after))
    assert result.record.outcome == "approve"


def test_a_reversal_in_a_locked_batch_keeps_its_decisions_cached_and_exact(
        sg: App, clock: Clock) -> None:
    """A reversal marks its original in what the lock phase read, instead of dropping every
    decision read (each job after it then paid a round trip on PostgreSQL), and the marked
    record equals what the database gives."""
    from smartguard.adapters.sql.ledger import SqlAuthorizations

    _, ref = setup(sg)
    first = atm_withdrawal(cny(300))

    def batch(uow: az.UnitOfWork) -> None:
        az.authorize(uow, sg.ctx, ref, first)
        clock.now += timedelta(seconds=1)
        reverse.reverse(uow, sg.ctx, reversal_of(first))
        cached = uow.authorizations.by_key(first.idempotency_key)
        stored = SqlAuthorizations.by_key(uow.authorizations, first.idempotency_key)
        assert cached is not None and cached == stored and cached.reversed_at is not None
        decisions = getattr(getattr(uow.authorizations, "cache", None), "decisions", {})
        if sg.settings.database_url:  # the lock phase read the key: it stays read
            assert first.idempotency_key in decisions

    sg.write(batch, ref.lock_for(first))


def test_challenges_read_with_the_locks_answer_as_the_database_does(sg: App,
                                                                   clock: Clock) -> None:
    """A verification opened, reused and confirmed in one locked batch: the pending and
    confirmed challenges the batch reads are those the database holds."""
    from smartguard.adapters.sql.misc import SqlChallenges
    from smartguard.domain.challenges import ChallengeStatus as St
    from tests.builders import magstripe_purchase

    card_id, ref = setup(sg)
    swipe = magstripe_purchase(cny(300))

    def both(uow: az.UnitOfWork, status: St) -> list:
        cached = uow.challenges.for_card(card_id, (status,))
        assert cached == SqlChallenges.for_card(uow.challenges, card_id, (status,))
        return cached

    def batch(uow: az.UnitOfWork) -> None:
        if sg.settings.database_url:  # the lock phase read them: none yet
            assert uow.challenges.cache == {card_id: []}
        first = az.authorize(uow, sg.ctx, ref, swipe)
        assert first.record.outcome == "verification_required" and len(both(uow, St.PENDING)) == 1
        clock.now += timedelta(seconds=1)
        again = az.authorize(uow, sg.ctx, ref, replace(swipe, stan="777777"))
        assert again.record.challenge_id == first.record.challenge_id  # reused
        uow.challenges.set_status(first.record.challenge_id, St.CONFIRMED, clock.now)
        assert both(uow, St.PENDING) == [] and len(both(uow, St.CONFIRMED)) == 1

    sg.write(batch, ref.lock_for(swipe))


def test_travel_read_with_the_locks_answers_as_the_database_does(sg: App,
                                                                clock: Clock) -> None:
    """Open travel exceptions read by the lock phase, then one added and one cancelled in
    the same batch: each read equals the database's, and the region lock follows them."""
    from smartguard.adapters.sql.travel import SqlTravel
    from smartguard.service_layer import travel

    card_id, ref = setup(sg)
    sg.write(lambda uow: protections.set_protection(uow, sg.ctx, OPS, card_id,
             s.ProtectionChange(s.Protection.REGION_LOCK, s.region_lock(True, ["CN-BJ"]))))
    start = clock.now + timedelta(hours=1)
    trip = sg.write(lambda uow: travel.add_travel(uow, sg.ctx, OPS, card_id, "CN-SH", start,
                                                  start + timedelta(days=3)))
    clock.now = start + timedelta(hours=1)
    in_shanghai = pos_purchase(cny(90), region="CN-SH")

    def same(uow: az.UnitOfWork) -> list:
        cached = uow.travel.for_card(card_id, ending_after=clock.now)
        assert cached == SqlTravel.for_card(uow.travel, card_id, clock.now)
        return cached

    def batch(uow: az.UnitOfWork) -> list[str]:
        if sg.settings.database_url:
            assert [r.id for r in uow.travel.cache.cards[card_id]] == [trip.id]
        out = [az.authorize(uow, sg.ctx, ref, in_shanghai).record.outcome]
        assert [r.id for r in same(uow)] == [trip.id]
        travel.cancel_travel(uow, sg.ctx, OPS, card_id, trip.id)
        clock.now += timedelta(seconds=1)
        assert same(uow) == []
        travel.add_travel(uow, sg.ctx, OPS, card_id, "CN-GD", clock.now,
                          clock.now + timedelta(days=1))
        assert [r.place for r in same(uow)] == ["CN-GD"]
        out.append(az.authorize(uow, sg.ctx, ref, replace(in_shanghai, stan="888888"))
                   .record.outcome)
        return out

    assert sg.write(batch, ref.lock_for(in_shanghai)) == ["approve", "decline"]


def test_a_reversal_without_its_pan_locks_its_originals_card_with_the_others(
        pg_url: str, tmp_path, clock: Clock) -> None:
    """A reversal sent without its PAN names its original's key: the lock phase finds the
    card of the decision recorded under it and locks it in the canonical order, before
    any job runs (else the reversal locked it later, out of order: two nodes deadlocked)."""
    from smartguard.bootstrap import bootstrap
    from smartguard.config import load

    sg = bootstrap(load(None, data_dir=tmp_path / "data", database_url=pg_url), clock=clock)
    try:
        card_id, ref = setup(sg)
        first = atm_withdrawal(cny(300))
        sg.write(lambda uow: az.authorize(uow, sg.ctx, ref, first), ref.lock_for(first))
        back = reversal_of(first)
        lock = reverse.lock_for(None, back)
        assert lock == ("original", "", first.idempotency_key)
        assert reverse.lock_for(ref, back) == ref.lock
        refused: list[str] = []

        def job(uow: az.UnitOfWork) -> None:  # before the reversal touches anything
            if card_locked_elsewhere(pg_url, card_id):
                refused.append("card")
            reverse.reverse(uow, sg.ctx, back)

        sg.write(job, lock)
        assert refused == ["card"]
        result = sg.read(lambda uow: uow.authorizations.by_key(first.idempotency_key))
        assert result is not None and result.reversed_at is not None
    finally:
        sg.close()
