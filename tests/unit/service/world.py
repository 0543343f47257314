"""A small world for service-layer tests: a fake store, a clock a test moves, a context
with predictable ids, and helpers that run one use case per committed unit of work."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from smartguard.domain.controls.values import Controls
from smartguard.domain.periods import day_key, local_time, month_key
from smartguard.domain.state import Usage
from smartguard.domain.transactions import AuthorizationRequest, ReversalRequest
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.reverse import ReversalResult, reverse
from tests.builders import cny, valid_pan
from tests.fakes import FakeClock, FakeStore, FakeUnitOfWork

T = TypeVar("T")

SECRET = b"unit-test-secret-key-32-bytes!!!"
OPERATOR = Actor("operator:alice", "console")
SYSTEM = Actor("system", "system")


@dataclass(frozen=True)
class Enrolled:
    card_id: str
    account_id: str
    cardholder_id: str
    pan_hash: str

    @property
    def cardholder(self) -> Actor:
        """The cardholder acting on the card through the (authenticated) web page."""
        return Actor(f"app:{self.cardholder_id}", "web", self.cardholder_id)


class World:
    def __init__(self, now: datetime) -> None:
        self.store = FakeStore()
        self.clock = FakeClock(now)
        ids = itertools.count(1)
        self.ctx = Context(secret=SECRET, clock=self.clock,
                           new_id=lambda prefix: f"{prefix}_{next(ids):04d}")
        self._pans = itertools.count(1)

    def run(self, use_case: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``use_case(uow, ctx, ...)`` in a new unit of work and commit it."""
        with self.store.uow() as uow:
            result = use_case(uow, self.ctx, *args, **kwargs)
            uow.commit()
        return result

    def view(self) -> FakeUnitOfWork:
        """A unit of work that sees what is committed (for assertions)."""
        return self.store.uow()

    def enrol(self, balance: int = cny(10_000), timezone: str = "Asia/Shanghai",
              controls: Controls | None = None, product: str = "debit_standard") -> Enrolled:
        pan = valid_pan(f"62122600{next(self._pans):07d}")
        holder = self.run(cards.enrol_cardholder, OPERATOR, "Test Holder", "+8613800138000",
                          timezone=timezone)
        account = self.run(cards.open_account, OPERATOR, holder.id, "CNY", balance)
        card = self.run(cards.enrol_card, OPERATOR, pan, account.id, product, controls)
        return Enrolled(card.card.id, account.id, holder.id, self.ctx.hash_pan(pan))

    # --- the hot path -------------------------------------------------------------------

    def authorize(self, card: Enrolled, request: AuthorizationRequest) -> az.AuthorizationResult:
        return self.run(az.authorize, az.CardRef(pan_hash=card.pan_hash), request)

    def reverse(self, reversal: ReversalRequest, card: Enrolled | None = None) -> ReversalResult:
        return self.run(reverse, reversal,
                        az.CardRef(pan_hash=card.pan_hash) if card else None)

    # --- reading back -------------------------------------------------------------------

    def card(self, card: Enrolled) -> CardRecord:
        record = self.view().cards.get(card.card_id)
        assert record is not None
        return record

    def balance(self, card: Enrolled) -> int:
        account = self.view().accounts.get(card.account_id)
        assert account is not None
        return account.balance

    def usage(self, card: Enrolled, key: str, when: datetime | None = None,
              timezone: str = "Asia/Shanghai") -> Usage:
        """Usage of counter ``key`` in the local day and month of ``when`` (default: now)."""
        local = local_time(when or self.clock.now, timezone)
        found = self.view().usage.get(card.card_id, [key], day_key(local), month_key(local))
        return found.get(key, Usage())
