"""The storage protocol the service layer depends on. SQLite and PostgreSQL adapters
implement it; unit tests use in-memory fakes. Only :meth:`UnitOfWork.commit` commits."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from types import TracebackType
from typing import Protocol, Self

from smartguard.domain.alerts import AlertPreferences
from smartguard.domain.cards import Account, Card, Cardholder, CardStatus
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.controls.values import Ceilings, Controls
from smartguard.domain.state import Usage
from smartguard.service_layer.messages import InboundRecord, OutboxMessage, OutboxStatus
from smartguard.service_layer.monitoring_ports import ActivityRepository as ActivityRepository
from smartguard.service_layer.monitoring_ports import RuleRepository as RuleRepository
from smartguard.service_layer.records import (
    AgreementRecord,
    ApiKey,
    AuditEntry,
    AuthorizationRecord,
    CardRecord,
    PostingRecord,
    ReversalRecord,
    ReversalStatus,
    StoredAnswer,
    TravelRecord,
    UnlockRecord,
)
from smartguard.service_layer.web_records import DecisionCount, SignInCode, WebSession

Key = tuple[str, str, str]
#: A row a job will lock, named before it runs: ("pan", pan hash), ("card", card id) or
#: ("account", account id). The writer takes a batch's row locks in one canonical order
#: before any of its jobs runs, so that two writers' batches cannot deadlock (writer.py).
#: A card's may carry a third element: the decision key the job looks up first (an
#: authorization's idempotency key), which PostgreSQL reads with the batch's locks. A
#: reversal sent without its PAN names ("original", "", original decision's key): the
#: card of the decision recorded under that key (service_layer/reverse.py: lock_for).
RowLock = tuple[str, str] | tuple[str, str, Key]


class CardRepository(Protocol):
    def add(self, card: Card, pan_hash: str, controls: Controls, at: datetime) -> None: ...
    def get(self, card_id: str, lock: bool = False) -> CardRecord | None:
        """``lock``: hold the card's row until the transaction ends (PostgreSQL row lock),
        so concurrent writers of one card run one after the other."""
        ...

    def by_pan_hash(self, pan_hash: str, lock: bool = False) -> CardRecord | None: ...
    def set_status(self, card_id: str, status: CardStatus, at: datetime) -> None: ...
    def set_controls(self, card_id: str, controls: Controls, at: datetime) -> None: ...
    def search(self, last4: str | None, phone: str | None, limit: int,
               after: str | None = None) -> list[CardRecord]:
        """Cards by last 4 digits and/or phone, by id (those after ``after``)."""
        ...
    def for_cardholder(self, cardholder_id: str) -> list[CardRecord]: ...


class CardholderRepository(Protocol):
    def add(self, cardholder: Cardholder, at: datetime) -> None: ...
    def get(self, cardholder_id: str) -> Cardholder | None: ...
    def set_phone(self, cardholder_id: str, phone: str) -> None: ...


class AccountRepository(Protocol):
    def add(self, account: Account, at: datetime) -> None: ...
    def get(self, account_id: str) -> Account | None: ...
    def adjust_balance(self, account_id: str, delta: int) -> int:
        """Add ``delta`` to the balance and return the new balance."""
        ...


class UsageRepository(Protocol):
    def get(self, card_id: str, keys: Iterable[str], day: str, month: str) -> dict[str, Usage]: ...
    def add(
        self, card_id: str, keys: Iterable[str], day: str, month: str, amount: int, count: int
    ) -> None: ...


class AuthorizationRepository(Protocol):
    def by_key(self, key: Key, lock: bool = False) -> AuthorizationRecord | None: ...
    def add(self, record: AuthorizationRecord) -> None: ...
    def mark_reversed(self, authorization_id: str, at: datetime) -> None: ...
    def for_card(
        self, card_id: str, limit: int, since: datetime | None = None,
        before: tuple[datetime, str] | None = None,
    ) -> list[AuthorizationRecord]:
        """Newest first (received at, then id), those before ``before`` (received at, id)."""
        ...
    def decision_counts(self, since: datetime) -> list[DecisionCount]:
        """Decisions received at or after ``since``, counted by UTC hour, outcome and
        primary reason (the console's chart)."""
        ...


class ReversalRepository(Protocol):
    def by_original(self, original_key: Key) -> ReversalRecord | None: ...
    def pending(self, original_key: Key) -> ReversalRecord | None:
        """The reversal waiting for an authorization with this key, if one is."""
        ...

    def add(self, record: ReversalRecord) -> None: ...
    def applied_to(self, authorization_ids: Sequence[str]) -> dict[str, ReversalRecord]:
        """The applied reversals of these authorizations, by authorization id."""
        ...

    def partial_for_card(self, card_id: str) -> dict[str, ReversalRecord]:
        """The card's applied partial reversals, by authorization id."""
        ...

    def resolve(
        self, reversal_id: str, status: ReversalStatus, authorization_id: str, at: datetime,
        amount: int | None,
    ) -> None:
        """A pending reversal met its original: applied (``amount`` given back), or no
        effect if it was declined."""
        ...


class PostingRepository(Protocol):
    def get(self, posting_id: str) -> PostingRecord | None: ...
    def add(self, record: PostingRecord) -> None: ...


class ChallengeRepository(Protocol):
    def add(self, challenge: Challenge) -> None: ...
    def get(self, challenge_id: str) -> Challenge | None: ...
    def set_status(
        self, challenge_id: str, status: ChallengeStatus, at: datetime
    ) -> None: ...
    def for_card(
        self, card_id: str, statuses: Iterable[ChallengeStatus] | None = None
    ) -> list[Challenge]: ...


class AgreementRepository(Protocol):
    def add(self, record: AgreementRecord) -> None: ...
    def get(self, agreement_id: str) -> AgreementRecord | None: ...
    def update(self, record: AgreementRecord) -> None: ...
    def for_card(self, card_id: str) -> list[AgreementRecord]: ...
    def mark_used(self, agreement_id: str, at: datetime) -> None: ...


class TravelRepository(Protocol):
    def add(self, record: TravelRecord) -> None: ...
    def get(self, travel_id: str) -> TravelRecord | None: ...
    def update(self, record: TravelRecord) -> None: ...
    def for_card(self, card_id: str, ending_after: datetime | None = None
                 ) -> list[TravelRecord]:
        """The card's travel exceptions (those ending after ``ending_after``), by start."""
        ...

    def due(self, now: datetime, limit: int) -> list[TravelRecord]:
        """Exceptions whose start or end has come and not been announced yet."""
        ...


class UnlockRepository(Protocol):
    def add(self, record: UnlockRecord) -> None: ...
    def update(self, record: UnlockRecord) -> None: ...
    def open_for(self, card_id: str, target: str) -> list[UnlockRecord]:
        """The card's unlocks of ``target`` whose end is not announced yet."""
        ...

    def due(self, now: datetime, limit: int) -> list[UnlockRecord]:
        """Unlocks that have ended and whose end is not announced yet."""
        ...


class AuditRepository(Protocol):
    def add(self, entry: AuditEntry) -> None: ...
    def for_card(self, card_id: str, limit: int, before: int | None = None
                 ) -> list[AuditEntry]:
        """Newest first, those before the entry whose ``seq`` is ``before``."""
        ...
    def last(self, card_id: str, action: str) -> AuditEntry | None:
        """The card's latest entry for ``action``."""
        ...


class KeyRepository(Protocol):
    def add(self, key: ApiKey) -> None: ...
    def get(self, key_id: str) -> ApiKey | None: ...
    def list(self) -> list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        ...
    def revoke(self, key_id: str, at: datetime) -> bool:
        """Revoke a key not yet revoked; False when there is no such key to revoke."""
        ...


class CeilingRepository(Protocol):
    def get(self, product: str) -> Ceilings | None: ...
    def put(self, product: str, ceilings: Ceilings, at: datetime) -> None: ...


class OutboxRepository(Protocol):
    """Messages waiting to be sent. Relays claim due messages with a lease, so several
    relays never hold the same message at the same moment."""

    def add(self, message: OutboxMessage) -> None: ...
    def add_all(self, messages: list[OutboxMessage]) -> None:
        """Several messages in one statement (an alert to several channels)."""
        ...

    def get(self, message_id: str) -> OutboxMessage | None: ...
    def claim(
        self, worker: str, channels: Iterable[str], now: datetime, lease_until: datetime,
        limit: int,
    ) -> list[OutboxMessage]:
        """Lease up to ``limit`` due pending messages of ``channels`` to ``worker``."""
        ...

    def sent(self, message_id: str, worker: str, at: datetime, provider_ref: str | None
             ) -> bool:
        """Mark sent (and wipe its sealed code) if ``worker`` still holds the lease."""
        ...

    def failed(self, message_id: str, worker: str, error: str, retry_at: datetime | None,
               counted: bool = True, provider_ref: str | None = None) -> bool:
        """Count a failed attempt; retry at ``retry_at``, or dead-letter it when None.
        ``counted=False``: the attempt was cut short by the channel (its link went down),
        the message is released without using up an attempt. ``provider_ref``: what the
        channel accepted of it so far (the parts of a long SMS), for the next attempt."""
        ...

    def receipt(self, message_id: str | None, provider_ref: str, state: str, at: datetime
                ) -> bool: ...
    def requeue(self, message_id: str) -> bool: ...
    def list(self, status: OutboxStatus | None, channel: str | None, card_id: str | None,
             limit: int, before: str | None = None) -> list[OutboxMessage]:
        """Newest first (by id), those whose id is below ``before``."""
        ...
    def counts(self) -> dict[tuple[str, str], int]:
        """(channel, status) -> number of messages."""
        ...
    def waiting(self) -> dict[str, tuple[int, datetime]]:
        """channel -> (pending messages, when the oldest of them was written)."""
        ...


class AlertPreferenceRepository(Protocol):
    def get(self, card_id: str) -> AlertPreferences | None: ...
    def put(self, card_id: str, preferences: AlertPreferences, at: datetime) -> None: ...


class InboundSmsRepository(Protocol):
    def get(self, key: str) -> InboundRecord | None: ...
    def add(self, record: InboundRecord) -> None: ...
    def count_since(self, phone: str, since: datetime) -> int: ...


class SignInRepository(Protocol):
    def add(self, code: SignInCode) -> None: ...
    def get(self, code_id: str) -> SignInCode | None: ...
    def failed_attempt(self, code_id: str) -> None: ...
    def use(self, code_id: str, at: datetime) -> None: ...


class SessionRepository(Protocol):
    def add(self, session: WebSession) -> None: ...
    def get(self, token_hash: str) -> WebSession | None: ...
    def touch(self, token_hash: str, at: datetime) -> None: ...
    def end(self, token_hash: str, at: datetime) -> None: ...


class AttemptRepository(Protocol):
    def record(self, scope: str, subject: str, at: datetime, since: datetime) -> int:
        """Record one attempt and return how many ``subject`` made since ``since`` (this
        one included); older attempts of the subject are forgotten."""
        ...


class IdempotencyRepository(Protocol):
    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              expires_at: datetime) -> StoredAnswer | None:
        """Take ``key`` for a request not answered yet (None), or return the answer stored
        for it. Keys of ``scope`` past their expiry are forgotten first. On PostgreSQL a
        claim waits for another transaction holding the same key to end."""
        ...
    def answer(self, scope: str, key: str, status: int, body: str) -> None: ...
    def get(self, scope: str, key: str, now: datetime) -> StoredAnswer | None:
        """The answer stored for ``key``, unless it expired."""
        ...
    def forget_expired(self, now: datetime, limit: int) -> int:
        """Delete up to ``limit`` keys of any scope expired at ``now``; how many were."""
        ...


class UnitOfWork(Protocol):
    cards: CardRepository
    cardholders: CardholderRepository
    accounts: AccountRepository
    usage: UsageRepository
    authorizations: AuthorizationRepository
    reversals: ReversalRepository
    postings: PostingRepository
    challenges: ChallengeRepository
    agreements: AgreementRepository
    travel: TravelRepository
    unlocks: UnlockRepository
    audit: AuditRepository
    keys: KeyRepository
    ceilings: CeilingRepository
    outbox: OutboxRepository
    alert_preferences: AlertPreferenceRepository
    inbound_sms: InboundSmsRepository
    signins: SignInRepository
    sessions: SessionRepository
    attempts: AttemptRepository
    activity: ActivityRepository
    rules: RuleRepository
    idempotency: IdempotencyRepository

    def __enter__(self) -> Self: ...
    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Leaving without :meth:`commit` rolls back."""
        ...

    def commit(self) -> None: ...
    def rollback(self) -> None: ...
    def savepoint(self) -> AbstractContextManager[None]:
        """A nested scope: an exception inside undoes only its own writes."""
        ...


class BatchUnitOfWork(UnitOfWork, Protocol):
    """What the writer's batch runner needs of a unit of work beyond :class:`UnitOfWork`
    (``service_layer/writer.py``)."""

    def begin(self) -> None:
        """Open the transaction, waiting for another process's write lock if need be."""
        ...

    def try_begin(self) -> bool:
        """Open it only if that needs no wait: False, with nothing begun, otherwise."""
        ...

    def changes(self) -> int | None:
        """A number that moves whenever the transaction's state changed (a row written, or
        on PostgreSQL a statement that failed, which aborts the transaction); None when
        the store cannot tell, and every job then runs in a savepoint."""
        ...

    def abort(self) -> None:
        """End the transaction without committing, whatever state it is in; never
        raises."""
        ...

    def outbox_added(self) -> int:
        """How many outbox rows this transaction added so far (after its COMMIT the
        writer wakes the relay, see ``Writer.on_outbox_commit``)."""
        ...

    def lock_rows(self, locks: list[RowLock]) -> None:
        """Lock these rows until the transaction ends, in one canonical order (every card,
        by id, then every account, by id). A store whose transactions already exclude
        each other (SQLite's write lock) does nothing."""
        ...


class Store(Protocol):
    """Where units of work come from: the one writer's, and a reader's per thread."""

    def writer(self) -> BatchUnitOfWork: ...
    def reader(self) -> UnitOfWork: ...
    def close(self) -> None: ...


