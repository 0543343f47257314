"""The outbox relay (SPEC 5): at-least-once with backoff and jitter, dead letters after N
attempts, leases so two relays never hold one message at once, channels that are down
keep their messages waiting without using up attempts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from smartguard.domain.controls import values as s
from smartguard.service_layer.messages import OutboxMessage, OutboxStatus
from smartguard.service_layer.relay import DeliveryFailed, Relay, RetryPolicy
from tests.builders import cny, large_purchase, pos_purchase
from tests.unit.alerts.conftest import outbox


class FakeSender:
    def __init__(self, channel: str = "sms", fail: int = 0, permanent: bool = False) -> None:
        self.channel, self.fail, self.permanent = channel, fail, permanent
        self.available = True
        self.sent: list[tuple[str, str]] = []

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        if self.fail:
            self.fail -= 1
            raise DeliveryFailed("SMS centre said no", self.permanent)
        self.sent.append((message.id, text))
        return f"ref-{len(self.sent)}"


class RelayClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


THREE_TRIES = RetryPolicy(3, 2.0, 60.0)


def relay(world, *senders, policy=THREE_TRIES, clock=None, worker=None):
    async def write(job):
        with world.store.uow() as uow:
            result = job(uow)
            uow.commit()
        return result

    return Relay(write, world.ctx, {x.channel: x for x in senders}, policy,
                 now=clock or RelayClock(), worker=worker)


def run(coro):
    return asyncio.run(coro)


def status(world, message_id):
    return world.view().outbox.get(message_id)


def test_a_pending_sms_is_sent_once_and_marked_sent(world, card):
    world.authorize(card, pos_purchase())
    sender = FakeSender()
    r = relay(world, sender)
    assert run(r.run_once()) == 1
    assert run(r.run_once()) == 0
    m = outbox(world)[0]
    assert (m.status, m.provider_ref, m.attempts) == (OutboxStatus.SENT, "ref-1", 1)
    assert [i for i, _ in sender.sent] == [m.id]


def test_the_verification_code_is_unsealed_only_for_sending_then_wiped(world):
    card = world.enrol(controls=s.Controls(verification=large_purchase(cny(5_000))))
    code = world.authorize(card, pos_purchase(cny(6_000))).challenge.code
    sender = FakeSender()
    run(relay(world, sender).run_once())
    assert f"Y {code}" in sender.sent[0][1]
    assert outbox(world)[0].sealed is None


def test_a_failure_is_retried_after_a_jittered_exponential_delay(world, card):
    world.authorize(card, pos_purchase())
    clock = RelayClock()
    r = relay(world, FakeSender(fail=1), clock=clock)
    run(r.run_once())
    m = outbox(world)[0]
    assert (m.status, m.attempts, m.last_error) == (OutboxStatus.PENDING, 1, "SMS centre said no")
    delay = (m.next_attempt_at - clock.now).total_seconds()
    assert 1.0 <= delay <= 2.0
    assert run(r.run_once()) == 0  # not due yet
    clock.now += timedelta(seconds=2)
    assert run(r.run_once()) == 1
    assert outbox(world)[0].status is OutboxStatus.SENT


def test_backoff_doubles_up_to_the_cap_with_half_of_it_random():
    p = RetryPolicy(10, 2.0, 60.0)
    assert [p.delay(n, lambda: 0.0) for n in (1, 2, 3, 6, 9)] == [1.0, 2.0, 4.0, 30.0, 30.0]
    assert [p.delay(n, lambda: 1.0) for n in (1, 2, 3, 6, 9)] == [2.0, 4.0, 8.0, 60.0, 60.0]


def test_after_max_attempts_the_message_is_dead_lettered(world, card):
    world.authorize(card, pos_purchase())
    clock = RelayClock()
    r = relay(world, FakeSender(fail=10), clock=clock)
    for _ in range(3):
        run(r.run_once())
        clock.now += timedelta(minutes=5)
    m = outbox(world)[0]
    assert (m.status, m.attempts) == (OutboxStatus.DEAD, 3)
    assert world.view().outbox.list(OutboxStatus.DEAD, None, None, 10) == [m]


def test_a_permanent_failure_is_dead_lettered_at_once(world, card):
    world.authorize(card, pos_purchase())
    run(relay(world, FakeSender(fail=1, permanent=True)).run_once())
    assert outbox(world)[0].status is OutboxStatus.DEAD


def test_a_requeued_dead_letter_is_sent_again(world, card):
    world.authorize(card, pos_purchase())
    run(relay(world, FakeSender(fail=1, permanent=True)).run_once())
    m = outbox(world)[0]
    with world.store.uow() as uow:
        assert uow.outbox.requeue(m.id)
        uow.commit()
    run(relay(world, FakeSender()).run_once())
    assert status(world, m.id).status is OutboxStatus.SENT


def test_an_unavailable_channel_keeps_its_messages_waiting_without_attempts(world, card):
    world.authorize(card, pos_purchase())
    sender = FakeSender()
    sender.available = False
    assert run(relay(world, sender).run_once()) == 0
    m = outbox(world)[0]
    assert (m.status, m.attempts) == (OutboxStatus.PENDING, 0)


def test_two_relays_never_claim_the_same_message_while_its_lease_runs(world, card):
    for _ in range(4):
        world.authorize(card, pos_purchase())
    clock = RelayClock()
    first, second = relay(world, FakeSender(), clock=clock), relay(world, FakeSender(),
                                                                   clock=clock)
    now = clock.now

    async def claim(r):
        return await r._write(lambda uow: uow.outbox.claim(r.worker, ["sms"], now,
                                                           now + r.lease, 3))

    a, b = run(claim(first)), run(claim(second))
    assert len(a) == 3 and len(b) == 1
    assert not {m.id for m in a} & {m.id for m in b}


def test_a_relay_that_lost_its_lease_cannot_mark_the_message(world, card):
    world.authorize(card, pos_purchase())
    clock = RelayClock()
    slow = relay(world, FakeSender(), clock=clock, worker="slow")
    claimed = run(slow._write(lambda uow: uow.outbox.claim(
        "slow", ["sms"], clock.now, clock.now + timedelta(seconds=60), 10)))
    clock.now += timedelta(seconds=61)
    fast = relay(world, FakeSender(), clock=clock, worker="fast")
    assert run(fast.run_once()) == 1
    took = run(slow._write(lambda uow: uow.outbox.sent(claimed[0].id, "slow", clock.now, "x")))
    assert took is False
    assert status(world, claimed[0].id).provider_ref == "ref-1"


def test_webhook_messages_wait_when_only_sms_is_configured(world, card):
    world.authorize(card, pos_purchase())
    run(relay(world, FakeSender("sms")).run_once())
    assert outbox(world, "webhook")[0].status is OutboxStatus.PENDING


class LinkLostSender(FakeSender):
    """Loses its link (retry_now) the first ``fail`` times, with parts accepted so far."""

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        if self.fail:
            self.fail -= 1
            raise DeliveryFailed("the link was lost", retry_now=True, ref="parts 1:smsc-1")
        return await super().send(message, text)


def test_a_message_whose_link_was_lost_is_retried_at_once_without_using_an_attempt(
        world, card):
    world.authorize(card, pos_purchase())
    r = relay(world, LinkLostSender(fail=5))
    for _ in range(5):
        run(r.run_once())
        m = outbox(world)[0]
        assert (m.status, m.attempts, m.provider_ref) == (OutboxStatus.PENDING, 0,
                                                          "parts 1:smsc-1")
    run(r.run_once())  # due at once: no backoff
    assert outbox(world)[0].status is OutboxStatus.SENT


class SlowSender(FakeSender):
    """Sits on the first message until released; sends the others at once."""

    def __init__(self) -> None:
        super().__init__()
        self.release = asyncio.Event()
        self.first: str | None = None

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        if self.first is None or self.first == message.id:
            self.first = message.id
            await self.release.wait()
        return await super().send(message, text)


def test_a_message_in_flight_holds_up_no_other(world, card):
    """While one message waits for its channel, the relay claims and sends the rest."""
    world.authorize(card, pos_purchase())
    sender = SlowSender()
    r = relay(world, sender)

    async def scenario() -> list[OutboxStatus]:
        await r.start()
        await asyncio.sleep(0.05)  # the first is in flight
        for amount in (101, 102, 103):
            world.authorize(card, pos_purchase(cny(amount)))
        r.wake()
        for _ in range(100):
            if len(sender.sent) == 3:
                break
            await asyncio.sleep(0.01)
        statuses = [m.status for m in outbox(world)]
        sender.release.set()
        await r.stop()
        return statuses

    statuses = run(scenario())
    assert sorted(s.value for s in statuses) == ["pending", "sent", "sent", "sent"]
    assert len(sender.sent) == 4
