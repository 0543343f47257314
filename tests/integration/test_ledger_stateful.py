"""A stateful property test (hypothesis): random sequences of authorizations, duplicates,
reversals (full or partial, repeated, or before their original), postings and limit
changes on a few cards, through the real service and SQLite, across day boundaries. After
every step the books must balance against a simple model built only from the answers
SmartGuard gave:

- each card's balance = opening + postings + approved refunds - approved debits, with each
  reversed authorization taken out exactly once (a partially reversed one counts for the
  amount that took place);
- each usage counter (amount and count) = the approved, unreversed debits of its channel
  in its period;
- a duplicate gets the original answer; an approved debit never takes the balance below 0.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.controls.values import ChannelLimits
from smartguard.domain.decisions import Outcome
from smartguard.domain.pan import with_check_digit
from smartguard.domain.periods import counter_keys
from smartguard.domain.transactions import (
    AuthorizationRequest,
    Channel,
    EntryMode,
    MessageKind,
    Posting,
    ReversalRequest,
    TerminalType,
    given_back,
)
from smartguard.service_layer import authorize as az
from smartguard.service_layer import cards, postings, protections, reverse
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import AuthorizationRecord

ACTOR = Actor("test", "test")
OPENING = 300_000
ACTUAL = st.none() | st.integers(1, 60_000)  # a full reversal, or a partial one
KINDS = {
    "atm": (MessageKind.CASH_WITHDRAWAL, TerminalType.ATM, True, EntryMode.CHIP),
    "pos": (MessageKind.PURCHASE, TerminalType.POS, True, EntryMode.CHIP),
    "online": (MessageKind.PURCHASE, TerminalType.NONE, False, EntryMode.ECOMMERCE),
    "refund": (MessageKind.REFUND, TerminalType.POS, True, EntryMode.CHIP),
    "inquiry": (MessageKind.BALANCE_INQUIRY, TerminalType.ATM, True, EntryMode.CHIP),
}


class Ledger(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="sg-ledger-"))
        self.now = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 23:00 in Beijing
        self.sg = bootstrap(load(None, data_dir=self.dir), clock=lambda: self.now)
        self.pans = [with_check_digit(f"62220288{i:010d}") for i in range(3)]
        self.card_ids = [self._enrol(pan) for pan in self.pans]
        self.sent: list[tuple[str, AuthorizationRequest, AuthorizationRecord]] = []
        self.postings: dict[str, int] = defaultdict(int)
        self.stan = 0
        self.first_reversal: dict[tuple[str, str, str], int | None] = {}  # by original key

    def _enrol(self, pan: str) -> str:
        def job(uow: az.UnitOfWork) -> str:
            h = cards.enrol_cardholder(uow, self.sg.ctx, ACTOR, "H", "+8613800000001")
            a = cards.open_account(uow, self.sg.ctx, ACTOR, h.id, "CNY", OPENING)
            return cards.enrol_card(uow, self.sg.ctx, ACTOR, pan, a.id).card.id

        return self.sg.write(job)

    def teardown(self) -> None:
        self.sg.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @rule(card=st.integers(0, 2), kind=st.sampled_from(sorted(KINDS)),
          amount=st.integers(1, 120_000))
    def authorize(self, card: int, kind: str, amount: int) -> None:
        k, terminal, present, mode = KINDS[kind]
        amount = 0 if k is MessageKind.BALANCE_INQUIRY else amount
        self.stan += 1
        req = AuthorizationRequest(k, amount, "CNY", amount, terminal, present, mode, "CN",
                                   "CN-BJ", merchant_id="M1", acquirer_id="A",
                                   stan=f"{self.stan:06d}", transmission_time="T")
        rec = self._send(card, req).record
        if rec.outcome is Outcome.APPROVE and req.is_debit:
            assert rec.balance_after >= 0
        self.sent.append((self.card_ids[card], req, rec))

    def _send(self, card: int, req: AuthorizationRequest) -> az.AuthorizationResult:
        ref = az.CardRef(pan_hash=self.sg.ctx.hash_pan(self.pans[card]))
        return self.sg.write(lambda uow: az.authorize(uow, self.sg.ctx, ref, req))

    @precondition(lambda self: self.sent)
    @rule(pick=st.integers(0, 10_000))
    def duplicate(self, pick: int) -> None:
        card_id, req, rec = self.sent[pick % len(self.sent)]
        again = self._send(self.card_ids.index(card_id), req)
        assert again.duplicate
        assert again.record.id == rec.id

    @precondition(lambda self: self.sent)
    @rule(pick=st.integers(0, 10_000), actual=ACTUAL)
    def reverse_sent(self, pick: int, actual: int | None) -> None:
        _, req, _ = self.sent[pick % len(self.sent)]
        self.stan += 1
        rev = ReversalRequest("A", f"{self.stan:06d}", "T", *req.idempotency_key,
                              actual_amount=actual)
        self.sg.write(lambda uow: reverse.reverse(uow, self.sg.ctx, rev))
        self.first_reversal.setdefault(req.idempotency_key, actual)

    @rule(card=st.integers(0, 2), amount=st.integers(1, 50_000), actual=ACTUAL)
    def reverse_before_original(self, card: int, amount: int, actual: int | None) -> None:
        """The reversal arrives first; the original follows and must have no effect (a
        full reversal) or take only the actual amount (a partial one)."""
        self.stan += 2
        original = f"{self.stan - 1:06d}"
        rev = ReversalRequest("A", f"{self.stan:06d}", "T", "A", original, "T",
                              actual_amount=actual)
        self.sg.write(lambda uow: reverse.reverse(uow, self.sg.ctx, rev))
        self.first_reversal[("A", original, "T")] = actual
        req = AuthorizationRequest(MessageKind.PURCHASE, amount, "CNY", amount,
                                   TerminalType.POS, True, EntryMode.CHIP, "CN", "CN-BJ",
                                   merchant_id="M1", acquirer_id="A", stan=original,
                                   transmission_time="T")
        rec = self._send(card, req).record
        self.sent.append((self.card_ids[card], req, rec))

    @rule(card=st.integers(0, 2), amount=st.integers(-50_000, 200_000).filter(bool))
    def post(self, card: int, amount: int) -> None:
        card_id = self.card_ids[card]
        account = self.sg.read(lambda uow: uow.cards.get(card_id)).account.id
        self.stan += 1
        p = Posting(f"p{self.stan}", account, amount)
        self.sg.write(lambda uow: postings.post(uow, self.sg.ctx, p))
        self.postings[card_id] += amount

    @rule(card=st.integers(0, 2), daily=st.integers(1, 300_000))
    def set_atm_limit(self, card: int, daily: int) -> None:
        limits = ChannelLimits(daily_amount=daily)
        self.sg.write(lambda uow: protections.set_limits(
            uow, self.sg.ctx, ACTOR, self.card_ids[card], Channel.ATM_CASH, limits))

    @rule(minutes=st.integers(1, 600))
    def time_passes(self, minutes: int) -> None:
        self.now += timedelta(minutes=minutes)

    def _reversed(self) -> set[str]:
        def job(uow: az.UnitOfWork) -> set[str]:
            found = set()
            for card_id in self.card_ids:
                for r in uow.authorizations.for_card(card_id, 10_000):
                    if r.reversed_at is not None:
                        found.add(r.id)
            return found

        return self.sg.read(job)

    @invariant()
    def books_balance(self) -> None:
        reversed_ids = self._reversed()
        expected = {c: OPENING + self.postings[c] for c in self.card_ids}
        usage: dict[tuple[str, str, str], tuple[int, int]] = defaultdict(lambda: (0, 0))
        for card_id, req, rec in self.sent:
            if rec.outcome is not Outcome.APPROVE or rec.id in reversed_ids:
                continue
            # what stayed taken: all of it, or after a partial reversal what took place
            actual = self.first_reversal.get(req.idempotency_key)
            kept = req.billing_amount - (given_back(req, actual) if actual else 0)
            if req.kind is MessageKind.REFUND:
                expected[card_id] += kept
            elif req.is_debit:
                expected[card_id] -= kept
                for key in counter_keys(req):
                    for period in ("D" + rec.day, "M" + rec.month):
                        amount, count = usage[(card_id, key, period)]
                        usage[(card_id, key, period)] = (amount + kept, count + 1)
        for card_id in self.card_ids:
            actual = self.sg.read(lambda uow, c=card_id: uow.cards.get(c)).account.balance
            assert actual == expected[card_id]
        assert self._stored_usage() == {k: v for k, v in usage.items() if v != (0, 0)}

    def _stored_usage(self) -> dict[tuple[str, str, str], tuple[int, int]]:
        import sqlite3

        conn = sqlite3.connect(self.dir / "smartguard.db")
        try:
            rows = conn.execute("SELECT card_id, counter, period, amount, count "
                                "FROM usage_counters WHERE amount != 0 OR count != 0"
                                ).fetchall()
        finally:
            conn.close()
        return {(c, k, p): (a, n) for c, k, p, a, n in rows}


Ledger.TestCase.settings = settings(
    max_examples=25, stateful_step_count=30, deadline=None,
    suppress_health_check=list(HealthCheck),
)
test_books_always_balance = Ledger.TestCase
