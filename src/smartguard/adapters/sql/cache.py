"""The writer's cache: card state kept in memory by the one process that writes.

Reading a card (with its holder, account and controls), its usage counters, its product's
ceilings and whether a reversal waits for a request's key are most of an authorization's
reads. The writer connection's repositories are wrapped so that these come from memory,
and every write goes to the database *and* the cache (write-through). Three rules keep the
cache exact:

- only the writer connection's units of work use it (readers read the database);
- at the start of every transaction ``PRAGMA data_version`` is compared with the last
  value seen: any commit by another connection (another process, the CLI) clears it;
- when a savepoint or a transaction is rolled back, the cache is cleared (the database is
  the truth; clearing is always safe, and failures are rare).

On PostgreSQL several processes write: there the cache lives for one transaction (one
batch) only (``per_transaction``). It is filled when the batch's rows are locked
(locks.py), so that the jobs of a batch read each card, its preferences and ceilings once
(and a card that comes back in the same batch, its counters too), never across batches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from smartguard.adapters.sql.activity import ActivityCache
from smartguard.adapters.sql.cards import SqlAccounts, SqlCardholders, SqlCards, SqlUsage
from smartguard.adapters.sql.db import Db, Row
from smartguard.adapters.sql.ledger import (
    PENDING_KEYS,
    SqlAuthorizations,
    SqlReversals,
    auth_record,
)
from smartguard.adapters.sql.misc import SqlCeilings
from smartguard.adapters.sql.outbox import SqlAlertPreferences
from smartguard.adapters.sql.travel import TravelCache
from smartguard.domain.alerts import AlertPreferences
from smartguard.domain.cards import Account, CardStatus
from smartguard.domain.challenges import Challenge
from smartguard.domain.controls.values import Ceilings, Controls
from smartguard.domain.state import Usage
from smartguard.service_layer.ports import Key
from smartguard.service_layer.records import (
    AuthorizationRecord,
    CardRecord,
    ReversalRecord,
    ReversalStatus,
)

MAX_ENTRIES = 200_000  # counters kept before the cache starts again (old periods pile up)


class WriterCache:
    def __init__(self, per_transaction: bool = False) -> None:
        self.per_transaction = per_transaction
        self.cards: dict[str, CardRecord] = {}
        self.by_hash: dict[str, str] = {}
        self.by_account: dict[str, set[str]] = {}
        self.usage: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.ceilings: dict[str, Ceilings | None] = {}
        self.preferences: dict[str, AlertPreferences | None] = {}
        self.pending: set[Key] | None = None  # original keys of pending reversals
        self.activity = ActivityCache()  # cards' recent activity (monitoring rules)
        self.rules: tuple[object, ...] | None = None  # the live monitoring rules
        #: pending and confirmed challenges by card, read by the lock phase (challenges.py)
        self.challenges: dict[str, list[Challenge]] = {}
        self.travel = TravelCache()  # open travel exceptions by card, read likewise
        self.data_version: int | None = None
        #: accounts this transaction holds locked (PostgreSQL): their cached balance is
        #: exact, so a change of it needs no answer from the server (a deferred write)
        self.locked: set[str] = set()
        #: cards this transaction holds locked (PostgreSQL): a card cached by a read
        #: without its lock is read again, FOR UPDATE, when a later read asks for the lock
        self.locked_cards: set[str] = set()
        #: (card id, period) whose counters are all in ``usage`` (a missing one is zero)
        self.usage_loaded: set[tuple[str, str]] = set()
        #: card id -> (day, month) periods: its counters of these periods and every later
        #: one are all in ``usage`` (a missing one is zero; SQLite: read once per card, not
        #: once per card and day)
        self.usage_since: dict[str, tuple[str, str]] = {}
        #: decisions by idempotency key, read under the batch's locks (None: none yet)
        self.decisions: dict[Key, AuthorizationRecord | None] = {}

    def clear(self) -> None:
        self.cards.clear()
        self.by_hash.clear()
        self.by_account.clear()
        self.usage.clear()
        self.ceilings.clear()
        self.preferences.clear()
        self.pending = None
        self.locked.clear()
        self.locked_cards.clear()
        self.usage_loaded.clear()
        self.usage_since.clear()
        self.decisions.clear()
        self.activity.clear()
        self.rules = None
        self.challenges.clear()
        self.travel.clear()

    def check(self, db: Db) -> None:
        """Forget everything if another connection committed since we last looked (or,
        per transaction, always)."""
        if self.per_transaction:
            self.clear()
            return
        row = db.one("PRAGMA data_version")
        version = int(row[0]) if row else None
        if version != self.data_version:
            self.clear()
            self.data_version = version
        if len(self.usage) > MAX_ENTRIES:
            self.usage.clear()
            self.usage_loaded.clear()
            self.usage_since.clear()

    def usage_from(self, rows: Iterable[Row], loaded: Iterable[tuple[str, str]]) -> None:
        """Counters read whole for these (card, period) pairs."""
        for card_id, counter, period, amount, count in rows:
            self.usage[(card_id, counter, period)] = (amount, count)
        self.usage_loaded.update(loaded)

    def decisions_from(self, rows: Iterable[Row], keys: Iterable[Key]) -> None:
        """The decisions recorded under ``keys`` (rows from ``DECISIONS_BY_KEY``)."""
        self.decisions.update(dict.fromkeys(keys))
        for row in rows:
            self.decisions[(row[-3], row[-2], row[-1])] = auth_record(row)

    def forget_cardholder(self, cardholder_id: str) -> None:
        for card_id, record in list(self.cards.items()):
            if record.card.cardholder_id == cardholder_id:
                del self.cards[card_id]

    def remember(self, record: CardRecord, pan_hash: str | None = None) -> CardRecord:
        card = record.card
        self.cards[card.id] = record
        if pan_hash is not None:
            self.by_hash[pan_hash] = card.id
        self.by_account.setdefault(card.account_id, set()).add(card.id)
        return record


class CachedCards(SqlCards):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def get(self, card_id: str, lock: bool = False) -> CardRecord | None:
        hit = self.cache.cards.get(card_id)
        if hit is not None and not self._unlocked(card_id, lock):
            return hit
        record = super().get(card_id, lock)
        return self._remember(record, None, lock)

    def by_pan_hash(self, pan_hash: str, lock: bool = False) -> CardRecord | None:
        card_id = self.cache.by_hash.get(pan_hash)
        if card_id is not None and card_id in self.cache.cards \
                and not self._unlocked(card_id, lock):
            return self.cache.cards[card_id]
        record = super().by_pan_hash(pan_hash, lock)
        return self._remember(record, pan_hash, lock)

    def _unlocked(self, card_id: str, lock: bool) -> bool:
        """The lock is asked for and this transaction does not hold it (PostgreSQL: on
        SQLite the writer's transaction holds the whole database)."""
        return lock and self.cache.per_transaction and card_id not in self.cache.locked_cards

    def _remember(self, record: CardRecord | None, pan_hash: str | None, lock: bool
                  ) -> CardRecord | None:
        if record is None:
            return None
        if lock and self.cache.per_transaction:  # FOR UPDATE OF c, a
            self.cache.locked.add(record.card.account_id)
            self.cache.locked_cards.add(record.card.id)
        return self.cache.remember(record, pan_hash)

    def set_status(self, card_id: str, status: CardStatus, at: datetime) -> None:
        super().set_status(card_id, status, at)
        hit = self.cache.cards.get(card_id)
        if hit is not None:
            self.cache.cards[card_id] = replace(hit, card=replace(hit.card, status=status))

    def set_controls(self, card_id: str, controls: Controls, at: datetime) -> None:
        super().set_controls(card_id, controls, at)
        hit = self.cache.cards.get(card_id)
        if hit is not None:
            self.cache.cards[card_id] = replace(hit, controls=controls)


class CachedCardholders(SqlCardholders):
    """A cardholder's phone, language and zone are part of each cached card record:
    any change to a cardholder drops their cards from the cache."""

    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def set_phone(self, cardholder_id: str, phone: str) -> None:
        super().set_phone(cardholder_id, phone)
        self.cache.forget_cardholder(cardholder_id)


class CachedAccounts(SqlAccounts):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def adjust_balance(self, account_id: str, delta: int) -> int:
        """An account whose cached balance is exact changes by a write whose answer is not
        needed (its new balance is known): on SQLite any cached account (the cache is the
        one writer's, exact across transactions: the module's docstring), on PostgreSQL
        one this transaction holds locked and read under that lock (a deferred write)."""
        balance = self._locked_balance(account_id)
        if balance is None:
            balance = super().adjust_balance(account_id, delta)
        else:
            balance += delta
            self.db.defer("UPDATE accounts SET balance = balance + ? WHERE id = ?",
                          (delta, account_id))
        for card_id in self.cache.by_account.get(account_id, ()):
            hit = self.cache.cards.get(card_id)
            if hit is not None:  # (built directly: dataclasses.replace costs 3x more)
                a = hit.account
                self.cache.cards[card_id] = CardRecord(
                    hit.card, hit.cardholder, Account(a.id, a.cardholder_id, a.currency, balance),
                    hit.controls)
        return balance


    def _locked_balance(self, account_id: str) -> int | None:
        if self.cache.per_transaction and account_id not in self.cache.locked:
            return None
        for card_id in self.cache.by_account.get(account_id, ()):
            hit = self.cache.cards.get(card_id)
            if hit is not None:
                return hit.account.balance
        return None


class CachedUsage(SqlUsage):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def get(self, card_id: str, keys: Iterable[str], day: str, month: str) -> dict[str, Usage]:
        keys = tuple(keys)
        known = self.cache.usage
        d, m = "D" + day, "M" + month
        loaded = self.cache.usage_loaded
        if not self.cache.per_transaction and not self._complete(card_id, d, m) \
                and not all((card_id, k, p) in known for k in keys for p in (d, m)):
            for counter, period, amount, count in super().since(card_id, day, month):
                known[(card_id, counter, period)] = (amount, count)
            self.cache.usage_since[card_id] = (d, m)
        if self._complete(card_id, d, m) or ((card_id, d) in loaded and (card_id, m) in loaded):
            for k in keys:
                for p in (d, m):
                    known.setdefault((card_id, k, p), (0, 0))
        elif not all((card_id, k, p) in known for k in keys for p in (d, m)):
            found = super().get(card_id, keys, day, month)
            for k in keys:
                u = found.get(k, Usage())
                known[(card_id, k, d)] = (u.day_amount, u.day_count)
                known[(card_id, k, m)] = (u.month_amount, 0)  # the month's count is unused
        result = {}
        for k in keys:
            day_amount, day_count = known[(card_id, k, d)]
            month_amount = known[(card_id, k, m)][0]
            if day_amount or day_count or month_amount:
                result[k] = Usage(day_amount, day_count, month_amount)
        return result

    def add(self, card_id: str, keys: Iterable[str], day: str, month: str, amount: int,
            count: int) -> None:
        keys = tuple(keys)
        super().add(card_id, keys, day, month, amount, count)
        known, loaded = self.cache.usage, self.cache.usage_loaded
        since = self.cache.usage_since.get(card_id)
        for p in ("D" + day, "M" + month):
            complete = since is not None and p >= since[0 if p[0] == "D" else 1]
            for k in keys:
                entry = known.get((card_id, k, p))
                if entry is None and (complete or (card_id, p) in loaded):
                    entry = (0, 0)
                if entry is not None:
                    known[(card_id, k, p)] = (entry[0] + amount, entry[1] + count)

    def _complete(self, card_id: str, d: str, m: str) -> bool:
        """Are all the card's counters of the day ``d`` and the month ``m`` in memory?"""
        since = self.cache.usage_since.get(card_id)
        return since is not None and d >= since[0] and m >= since[1]


class CachedAlertPreferences(SqlAlertPreferences):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def get(self, card_id: str) -> AlertPreferences | None:
        if card_id not in self.cache.preferences:
            self.cache.preferences[card_id] = super().get(card_id)
        return self.cache.preferences[card_id]

    def put(self, card_id: str, preferences: AlertPreferences, at: datetime) -> None:
        super().put(card_id, preferences, at)
        self.cache.preferences[card_id] = preferences


class CachedCeilings(SqlCeilings):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def get(self, product: str) -> Ceilings | None:
        if product not in self.cache.ceilings:
            self.cache.ceilings[product] = super().get(product)
        return self.cache.ceilings[product]

    def put(self, product: str, ceilings: Ceilings, at: datetime) -> None:
        super().put(product, ceilings, at)
        self.cache.ceilings[product] = ceilings


class CachedAuthorizations(SqlAuthorizations):
    """Decisions looked up by key come from what the batch's lock phase read (locks.py)."""

    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def by_key(self, key: Key, lock: bool = False) -> AuthorizationRecord | None:
        if not lock and key in self.cache.decisions:
            return self.cache.decisions[key]
        return super().by_key(key, lock)

    def add(self, r: AuthorizationRecord) -> None:
        super().add(r)
        q = r.request
        key = (q.acquirer_id, q.stan, q.transmission_time)
        if key in self.cache.decisions:
            self.cache.decisions[key] = r

    def mark_reversed(self, authorization_id: str, at: datetime) -> None:
        super().mark_reversed(authorization_id, at)
        decisions = self.cache.decisions
        for key, r in decisions.items():  # (PostgreSQL: the batch's keys; clearing them
            if r is not None and r.id == authorization_id:  # cost a round trip per job)
                decisions[key] = replace(r, reversed_at=at)


class CachedReversals(SqlReversals):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def _pending_keys(self) -> set[Key]:
        if self.cache.pending is None:
            rows = self.db.all(PENDING_KEYS)
            self.cache.pending = {(r[0], r[1], r[2]) for r in rows}
        return self.cache.pending

    def pending(self, original_key: Key) -> ReversalRecord | None:
        if original_key not in self._pending_keys():
            return None
        return super().pending(original_key)

    def add(self, record: ReversalRecord) -> None:
        super().add(record)
        if record.status is ReversalStatus.PENDING:
            self._pending_keys().add(record.original_key)

    def resolve(self, reversal_id: str, status: ReversalStatus, authorization_id: str,
                at: datetime, amount: int | None) -> None:
        super().resolve(reversal_id, status, authorization_id, at, amount)
        self.cache.pending = None  # rare: reload on the next look
