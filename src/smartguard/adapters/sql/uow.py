"""The SQL unit of work: one transaction, repositories over one connection, savepoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, suppress
from itertools import count
from types import TracebackType
from typing import Any, Self

from smartguard.adapters.sql.activity import CachedActivity, CachedAudit, SqlActivity
from smartguard.adapters.sql.cache import (
    CachedAccounts,
    CachedAlertPreferences,
    CachedAuthorizations,
    CachedCardholders,
    CachedCards,
    CachedCeilings,
    CachedReversals,
    CachedUsage,
    WriterCache,
)
from smartguard.adapters.sql.cards import SqlAccounts, SqlCardholders, SqlCards, SqlUsage
from smartguard.adapters.sql.challenges import CachedChallenges
from smartguard.adapters.sql.db import Db
from smartguard.adapters.sql.idempotency import SqlIdempotency
from smartguard.adapters.sql.ledger import SqlAuthorizations, SqlPostings, SqlReversals
from smartguard.adapters.sql.locks import lock_rows
from smartguard.adapters.sql.misc import (
    SqlAgreements,
    SqlAudit,
    SqlCeilings,
    SqlChallenges,
    SqlKeys,
)
from smartguard.adapters.sql.outbox import SqlAlertPreferences, SqlInboundSms, SqlOutbox
from smartguard.adapters.sql.rules import CachedRules, SqlRules
from smartguard.adapters.sql.travel import CachedTravel, SqlTravel
from smartguard.adapters.sql.unlocks import SqlUnlocks
from smartguard.adapters.sql.web import SqlAttempts, SqlSessions, SqlSignIns
from smartguard.errors import StoreUnavailable
from smartguard.service_layer import ports


class SqlUnitOfWork:
    """Begins a transaction on enter; :meth:`commit` ends it; leaving without commit rolls
    back. ``begin`` is the statement that opens the transaction (``BEGIN IMMEDIATE`` for
    SQLite, so the write lock is taken up front).

    The repositories hold nothing of a transaction (their connection, the writer's cache),
    so a connection's set is built once and handed to each of its units of work: building
    the 24 of them cost about 25-50 µs per unit of work, a tenth of a lone authorization's
    CPU in the core (docs/performance.md)."""

    cards: ports.CardRepository
    cardholders: ports.CardholderRepository
    accounts: ports.AccountRepository
    usage: ports.UsageRepository
    authorizations: ports.AuthorizationRepository
    reversals: ports.ReversalRepository
    postings: ports.PostingRepository
    challenges: ports.ChallengeRepository
    agreements: ports.AgreementRepository
    travel: ports.TravelRepository
    unlocks: ports.UnlockRepository
    audit: ports.AuditRepository
    keys: ports.KeyRepository
    ceilings: ports.CeilingRepository
    outbox: ports.OutboxRepository
    alert_preferences: ports.AlertPreferenceRepository
    inbound_sms: ports.InboundSmsRepository
    signins: ports.SignInRepository
    sessions: ports.SessionRepository
    attempts: ports.AttemptRepository
    activity: ports.ActivityRepository
    rules: ports.RuleRepository
    idempotency: ports.IdempotencyRepository

    def __init__(self, db: Db, begin: str = "BEGIN", cache: WriterCache | None = None,
                 nowait: tuple[str, str] | None = None) -> None:
        self.db = db
        self._begin = begin
        self._nowait = nowait  # statements to stop and resume waiting for a busy database
        self._open = False
        self._savepoints = count()
        self._cache = cache
        found = db.repositories
        if found is None or found[0] is not cache:  # a connection serves one cache (or none)
            found = db.repositories = (cache, repositories(db, cache))
        self.__dict__.update(found[1])
        self._outbox: SqlOutbox = found[1]["outbox"]

    def __enter__(self) -> Self:
        self.begin()
        return self

    def begin(self) -> None:
        self.db.defer(self._begin)  # PostgreSQL: sent with the first statement (db.py)
        self._open = True
        self._outbox.added = 0
        if self._cache is not None:
            self._cache.check(self.db)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open:
            self.rollback()

    def changes(self) -> int | None:
        """Moves whenever this transaction wrote (see :meth:`Db.changes`)."""
        return self.db.changes()

    def try_begin(self) -> bool:
        """Begin without waiting for another process's write lock: False, with nothing
        begun, when it is held (then :meth:`__enter__` waits for it)."""
        if self._nowait is None:
            self.begin()
            return True
        self.db.execute(self._nowait[0])
        try:
            self.begin()
            return True
        except StoreUnavailable:  # "database is locked"
            return False
        finally:
            self.db.execute(self._nowait[1])

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self._open = False

    def rollback(self) -> None:
        self._open = False
        self.db.discard()
        if self._cache is not None:
            self._cache.clear()
        with suppress(Exception):
            self.db.execute("ROLLBACK")

    def abort(self) -> None:
        if self._open:
            self.rollback()

    def outbox_added(self) -> int:
        return self._outbox.added

    def lock_rows(self, locks: list[ports.RowLock]) -> None:
        """Row locks in one canonical order (see ``BatchUnitOfWork.lock_rows``): every card
        the locks name, by id, then their accounts and the accounts named, by id. Nothing
        on a store without row locks (SQLite: ``BEGIN IMMEDIATE`` excludes every other
        writer)."""
        if not self.db.for_update:
            return
        lock_rows(self.db, locks, self._cache)

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        name = f"sp{next(self._savepoints)}"
        self.db.execute(f"SAVEPOINT {name}")
        try:
            yield
            self.db.flush()  # a deferred write refused is this scope's failure
        except BaseException:
            if self._cache is not None:
                self._cache.clear()
            self.db.discard()
            self.db.execute(f"ROLLBACK TO SAVEPOINT {name}")
            self.db.execute(f"RELEASE SAVEPOINT {name}")
            raise
        self.db.execute(f"RELEASE SAVEPOINT {name}")


def repositories(db: Db, cache: WriterCache | None) -> dict[str, Any]:
    """Every repository over ``db``; those the writer's cache serves when it has one."""
    found: dict[str, Any] = {
        "cards": SqlCards(db), "cardholders": SqlCardholders(db),
        "accounts": SqlAccounts(db), "usage": SqlUsage(db),
        "authorizations": SqlAuthorizations(db), "reversals": SqlReversals(db),
        "postings": SqlPostings(db), "challenges": SqlChallenges(db),
        "agreements": SqlAgreements(db), "travel": SqlTravel(db), "unlocks": SqlUnlocks(db),
        "audit": SqlAudit(db), "keys": SqlKeys(db), "ceilings": SqlCeilings(db),
        "outbox": SqlOutbox(db), "alert_preferences": SqlAlertPreferences(db),
        "inbound_sms": SqlInboundSms(db), "signins": SqlSignIns(db),
        "sessions": SqlSessions(db), "attempts": SqlAttempts(db),
        "activity": SqlActivity(db), "rules": SqlRules(db),
        "idempotency": SqlIdempotency(db),
    }
    if cache is not None:
        found.update(
            cards=CachedCards(db, cache), cardholders=CachedCardholders(db, cache),
            accounts=CachedAccounts(db, cache), usage=CachedUsage(db, cache),
            reversals=CachedReversals(db, cache),
            authorizations=CachedAuthorizations(db, cache),
            ceilings=CachedCeilings(db, cache),
            alert_preferences=CachedAlertPreferences(db, cache),
            activity=CachedActivity(db, cache.activity),
            audit=CachedAudit(db, cache.activity), rules=CachedRules(db, cache),
            challenges=CachedChallenges(db, cache.challenges),
            travel=CachedTravel(db, cache.travel))
    return found
