"""The outbox relay: claims due messages with a lease, sends them, records the outcome.

At-least-once: a message is marked sent only after its channel accepted it; a failure is
retried with exponential backoff and jitter, and after ``max_attempts`` failures the
message is dead-lettered (operators see it and may requeue it). Several relays may run at
once: a claim leases messages to one relay (``UPDATE ... WHERE lease expired``, and
``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so no two relays hold the same message at the
same moment. Claims and acknowledgements are tiny write jobs; sending happens outside any
transaction, so it never holds up an authorization.
"""

from __future__ import annotations

import asyncio
import random
import secrets
from asyncio import FIRST_COMPLETED
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import structlog

from smartguard.domain.alerts import CODE_MARK, EXPIRING
from smartguard.service_layer.context import Context, utc_now
from smartguard.service_layer.messages import OutboxMessage, text_of
from smartguard.service_layer.ports import UnitOfWork

T = TypeVar("T")
Write = Callable[[Callable[[UnitOfWork], T]], Awaitable[T]]
log = structlog.get_logger("smartguard.notifier")
RECORD_TRIES = 5  # an outcome the store could not take is written again, this many times


class DeliveryFailed(Exception):
    """A channel could not deliver a message; ``permanent`` ones are not retried;
    ``retry_now``: the channel lost its link before it could tell (the message waits for
    the channel again at once, without using up an attempt); ``ref``: what the channel
    accepted of the message so far (kept on it for the next attempt, in any process)."""

    def __init__(self, reason: str, permanent: bool = False, retry_now: bool = False,
                 ref: str | None = None) -> None:
        super().__init__(reason)
        self.permanent, self.retry_now, self.ref = permanent, retry_now, ref


class Sender(Protocol):
    channel: str

    @property
    def available(self) -> bool:
        """False while the channel cannot send at all (SMS centre unreachable): its
        messages then wait in the outbox without using up attempts."""
        ...

    async def send(self, message: OutboxMessage, text: str) -> str | None:
        """Deliver; returns the provider's reference, raises :class:`DeliveryFailed`."""
        ...


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 10
    base_delay: float = 2.0  # seconds before the first retry (on average 3/4 of it)
    max_delay: float = 600.0

    def delay(self, failures: int, rand: Callable[[], float] = random.random) -> float:
        """Exponential backoff with "equal jitter": half fixed, half random."""
        exp = min(self.max_delay, self.base_delay * 2.0 ** max(0, failures - 1))
        return float(exp / 2 + rand() * exp / 2)


@dataclass
class RelayStats:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    lost_lease: int = 0
    last_error: dict[str, str] = field(default_factory=dict)  # channel -> last error


@dataclass(frozen=True)
class Outcome:
    message: OutboxMessage
    ref: str | None = None
    error: str | None = None
    permanent: bool = False
    retry_now: bool = False


class Relay:
    name = "notifier"

    def __init__(self, write: Write[Any], ctx: Context, senders: Mapping[str, Sender],
                 policy: RetryPolicy = RetryPolicy(), batch: int = 50,
                 lease: timedelta = timedelta(seconds=60), interval: float = 0.5,
                 now: Callable[[], datetime] = utc_now, worker: str | None = None) -> None:
        self._write, self._ctx, self.senders = write, ctx, dict(senders)
        self.policy, self.batch, self.lease, self.interval = policy, batch, lease, interval
        self._now = now
        self.worker = worker or f"relay-{secrets.token_hex(4)}"
        self.stats = RelayStats()
        self._stop = asyncio.Event()
        self._wake = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._inflight: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._stop.clear()
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        """Stop claiming; what is in flight finishes (and is recorded) first."""
        self._stop.set()
        if self._task is not None:
            await self._task
            self._task = None
        if self._inflight:
            await asyncio.wait(self._inflight)

    def wake(self) -> None:
        """New messages or a channel back: claim now rather than at the next poll. From
        any thread (the writer calls it after a COMMIT that wrote outbox rows)."""
        loop = self._loop
        if loop is not None and not loop.is_closed():
            loop.call_soon_threadsafe(self._wake.set)

    async def _run(self) -> None:
        while not self._stop.is_set():
            try:
                started = await self._fill()
            except Exception:
                log.exception("relay_round_failed")
                started = 0
            if started == 0:
                await self._idle()

    async def _idle(self) -> None:
        """Until woken, stopped, a message in flight is done, or the poll interval."""
        waits = [asyncio.ensure_future(self._wake.wait()),
                 asyncio.ensure_future(self._stop.wait()), *self._inflight]
        try:
            await asyncio.wait(waits, timeout=self.interval, return_when=FIRST_COMPLETED)
        finally:
            for w in waits[:2]:
                w.cancel()

    async def run_once(self) -> int:
        """Claim what the window has room for, send it, record each outcome; returns how
        many were claimed."""
        claimed = await self._fill()
        if self._inflight:
            await asyncio.wait(self._inflight)
        return claimed

    async def _fill(self) -> int:
        """Claim as many due messages as the window (``batch`` in flight at most) has room
        for and start sending each; each is recorded as soon as its channel answers, so a
        slow or unanswered message holds up no other."""
        self._wake.clear()
        room = self.batch - len(self._inflight)
        channels = [c for c, s in self.senders.items() if s.available]
        if room <= 0 or not channels:
            return 0
        now = self._now()
        claimed = await self._write(lambda uow: uow.outbox.claim(
            self.worker, channels, now, now + self.lease, room))
        for m in claimed:
            task = asyncio.create_task(self._deliver(m))
            self._inflight.add(task)
            task.add_done_callback(self._inflight.discard)
        return len(claimed)

    async def _deliver(self, m: OutboxMessage) -> None:
        outcome = await self._send(m)
        for attempt in range(RECORD_TRIES):
            try:
                await self._write(lambda uow: self._record(uow, outcome))
                return
            except Exception:
                log.exception("outcome_not_recorded", message=m.id, attempt=attempt + 1)
                await asyncio.sleep(0.1 * 2 ** attempt)

    async def _send(self, m: OutboxMessage) -> Outcome:
        try:
            text = self._text(m)
            return Outcome(m, ref=await self.senders[m.channel].send(m, text))
        except DeliveryFailed as exc:
            return Outcome(m, exc.ref, str(exc), exc.permanent, exc.retry_now)
        except Exception as exc:  # a sender bug must not stop the relay
            log.exception("send_failed", message=m.id)
            return Outcome(m, error=f"{type(exc).__name__}: {exc}")

    def _text(self, m: OutboxMessage) -> str:
        if m.kind in EXPIRING and _expired(m, self._now()):
            raise DeliveryFailed("the code expired before it could be sent", permanent=True)
        if m.sealed is None:
            return text_of(m)
        try:
            return text_of(m).replace(CODE_MARK, self._ctx.unseal(m.sealed))
        except ValueError as exc:
            raise DeliveryFailed(str(exc), permanent=True) from exc

    def _record(self, uow: UnitOfWork, o: Outcome) -> None:
        now = self._now()
        if o.error is None:
            ok = uow.outbox.sent(o.message.id, self.worker, now, o.ref)
            self.stats.sent += ok
        else:
            ok = self._failed(uow, o, now)
        if not ok:  # the lease ran out and another relay took the message over
            self.stats.lost_lease += 1
            log.warning("lease_lost", message=o.message.id)

    def _failed(self, uow: UnitOfWork, o: Outcome, now: datetime) -> bool:
        if o.retry_now:  # the channel's link went down: not an attempt; it waits for it
            log.info("delivery_interrupted", message=o.message.id, error=o.error)
            return uow.outbox.failed(o.message.id, self.worker, o.error or "", now,
                                     counted=False, provider_ref=o.ref)
        failures = o.message.attempts + 1
        dead = o.permanent or failures >= self.policy.max_attempts
        retry_at = None if dead else now + timedelta(seconds=self.policy.delay(failures))
        self.stats.failed += 1
        self.stats.dead += dead
        self.stats.last_error[o.message.channel] = o.error or ""
        log.warning("delivery_failed", message=o.message.id, channel=o.message.channel,
                    attempt=failures, dead=dead, error=o.error)
        return uow.outbox.failed(o.message.id, self.worker, o.error or "", retry_at,
                                 provider_ref=o.ref)


def _expired(m: OutboxMessage, now: datetime) -> bool:
    expires = m.payload.get("expires_at")
    return bool(expires) and datetime.fromisoformat(str(expires)) <= now
