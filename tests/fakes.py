"""In-memory fakes for the service layer's ports, and a clock a test can move.

:class:`FakeStore` holds the committed tables; each :class:`FakeUnitOfWork` works on its
own copy of them (copy-on-write: the stored values are frozen, so copying the dicts is
enough). ``commit`` publishes the copy, leaving without it throws the copy away, and a
savepoint that sees an exception puts back the copy it took on entry. Uniqueness rules of
the SQL schema (card PAN hash, authorization key, reversal original key, posting id) are
kept: a duplicate insert raises :class:`Conflict`, as the SQL adapter does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from smartguard.domain.activity import CardActivity, change_kind
from smartguard.domain.alerts import AlertPreferences
from smartguard.domain.cards import Account, Card, Cardholder, CardStatus
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.controls.values import Ceilings, Controls
from smartguard.domain.decisions import Outcome
from smartguard.domain.rules import LIVE, MonitoringRule, latest
from smartguard.domain.state import Usage
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.errors import Conflict, StoreUnavailable
from smartguard.service_layer.activity import rebuild
from smartguard.service_layer.messages import (
    InboundRecord,
    OutboxMessage,
    OutboxStatus,
    worded,
)
from smartguard.service_layer.ports import Key
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
from smartguard.service_layer.rule_records import HitCount, RuleHitRecord
from smartguard.service_layer.web_records import (
    DecisionCount,
    SignInCode,
    WebSession,
)


class FakeClock:
    """The guard's clock in a test: returns ``now`` until told to move."""

    def __init__(self, now: datetime) -> None:
        assert now.tzinfo is not None, "the guard's clock is always aware"
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now

    def set(self, now: datetime) -> None:
        assert now.tzinfo is not None
        self.now = now


@dataclass
class Tables:
    cards: dict[str, tuple[Card, str, Controls]] = field(default_factory=dict)
    cardholders: dict[str, Cardholder] = field(default_factory=dict)
    accounts: dict[str, Account] = field(default_factory=dict)
    usage: dict[tuple[str, str, str], tuple[int, int]] = field(default_factory=dict)
    authorizations: dict[str, AuthorizationRecord] = field(default_factory=dict)
    reversals: dict[str, ReversalRecord] = field(default_factory=dict)
    postings: dict[str, PostingRecord] = field(default_factory=dict)
    challenges: dict[str, Challenge] = field(default_factory=dict)
    agreements: dict[str, AgreementRecord] = field(default_factory=dict)
    travel: dict[str, TravelRecord] = field(default_factory=dict)
    unlocks: dict[str, UnlockRecord] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    keys: dict[str, ApiKey] = field(default_factory=dict)
    ceilings: dict[str, Ceilings] = field(default_factory=dict)
    outbox: dict[str, OutboxMessage] = field(default_factory=dict)
    alert_preferences: dict[str, AlertPreferences] = field(default_factory=dict)
    inbound_sms: dict[str, InboundRecord] = field(default_factory=dict)
    signins: dict[str, SignInCode] = field(default_factory=dict)
    sessions: dict[str, WebSession] = field(default_factory=dict)
    attempts: list[tuple[str, str, datetime]] = field(default_factory=list)
    card_places: dict[str, set[str]] = field(default_factory=dict)
    rules: dict[tuple[str, int], MonitoringRule] = field(default_factory=dict)
    rule_hits: list[RuleHitRecord] = field(default_factory=list)
    #: (scope, key) -> (answer, expires at)
    idempotency: dict[tuple[str, str], tuple[StoredAnswer, datetime]] = field(
        default_factory=dict)

    def copy(self) -> Tables:
        """A copy whose containers are new and whose (frozen) values are shared."""
        return Tables(**{f.name: copy.copy(getattr(self, f.name)) for f in fields(self)})


class FakeStore:
    """The committed state, shared by every unit of work made from it."""

    def __init__(self) -> None:
        self.committed = Tables()
        self.commits = 0
        self.fail_on_enter = False  # simulate a store that cannot open a transaction
        self.fail_on_commit = False  # simulate a commit that fails (disk full, ...)

    def uow(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self)

    __call__ = uow  # a FakeStore makes units of work as a store's writer does


class _Repo:
    def __init__(self, uow: FakeUnitOfWork) -> None:
        self._uow = uow

    @property
    def t(self) -> Tables:
        return self._uow.tables


class FakeCards(_Repo):
    def add(self, card: Card, pan_hash: str, controls: Controls, at: datetime) -> None:
        if card.id in self.t.cards or any(h == pan_hash for _, h, _ in self.t.cards.values()):
            raise Conflict("the store refused a duplicate: card")
        self.t.cards[card.id] = (card, pan_hash, controls)

    def _record(self, card: Card, controls: Controls) -> CardRecord:
        return CardRecord(card, self.t.cardholders[card.cardholder_id],
                          self.t.accounts[card.account_id], controls)

    def get(self, card_id: str, lock: bool = False) -> CardRecord | None:
        row = self.t.cards.get(card_id)
        return self._record(row[0], row[2]) if row else None

    def by_pan_hash(self, pan_hash: str, lock: bool = False) -> CardRecord | None:
        for card, h, controls in self.t.cards.values():
            if h == pan_hash:
                return self._record(card, controls)
        return None

    def set_status(self, card_id: str, status: CardStatus, at: datetime) -> None:
        card, h, controls = self.t.cards[card_id]
        self.t.cards[card_id] = (replace(card, status=status), h, controls)

    def set_controls(self, card_id: str, controls: Controls, at: datetime) -> None:
        card, h, _ = self.t.cards[card_id]
        self.t.cards[card_id] = (card, h, controls)

    def search(self, last4: str | None, phone: str | None, limit: int,
               after: str | None = None) -> list[CardRecord]:
        found = [self._record(c, ctl) for c, _, ctl in sorted(
                     self.t.cards.values(), key=lambda v: v[0].id)
                 if (after is None or c.id > after) and (not last4 or c.last4 == last4)
                 and (not phone or self.t.cardholders[c.cardholder_id].phone == phone)]
        return found[:limit]

    def for_cardholder(self, cardholder_id: str) -> list[CardRecord]:
        return [self._record(c, ctl) for c, _, ctl in self.t.cards.values()
                if c.cardholder_id == cardholder_id]


class FakeCardholders(_Repo):
    def add(self, cardholder: Cardholder, at: datetime) -> None:
        if cardholder.id in self.t.cardholders:
            raise Conflict("the store refused a duplicate: cardholder")
        self.t.cardholders[cardholder.id] = cardholder

    def get(self, cardholder_id: str) -> Cardholder | None:
        return self.t.cardholders.get(cardholder_id)

    def set_phone(self, cardholder_id: str, phone: str) -> None:
        holder = self.t.cardholders[cardholder_id]
        self.t.cardholders[cardholder_id] = replace(holder, phone=phone, phone_verified=False)


class FakeAccounts(_Repo):
    def add(self, account: Account, at: datetime) -> None:
        if account.id in self.t.accounts:
            raise Conflict("the store refused a duplicate: account")
        self.t.accounts[account.id] = account

    def get(self, account_id: str) -> Account | None:
        return self.t.accounts.get(account_id)

    def adjust_balance(self, account_id: str, delta: int) -> int:
        account = self.t.accounts[account_id]
        self.t.accounts[account_id] = replace(account, balance=account.balance + delta)
        return account.balance + delta


class FakeUsage(_Repo):
    def get(self, card_id: str, keys: Iterable[str], day: str, month: str) -> dict[str, Usage]:
        found: dict[str, Usage] = {}
        for key in keys:
            d = self.t.usage.get((card_id, key, "D" + day))
            m = self.t.usage.get((card_id, key, "M" + month))
            if d is None and m is None:
                continue
            found[key] = Usage(d[0] if d else 0, d[1] if d else 0, m[0] if m else 0)
        return found

    def add(self, card_id: str, keys: Iterable[str], day: str, month: str, amount: int,
            count: int) -> None:
        for key in keys:
            for period in ("D" + day, "M" + month):
                a, c = self.t.usage.get((card_id, key, period), (0, 0))
                self.t.usage[(card_id, key, period)] = (a + amount, c + count)


class FakeAuthorizations(_Repo):
    def by_key(self, key: Key, lock: bool = False) -> AuthorizationRecord | None:
        for r in self.t.authorizations.values():
            if r.request.idempotency_key == key:
                return r
        return None

    def add(self, record: AuthorizationRecord) -> None:
        if record.id in self.t.authorizations or self.by_key(record.request.idempotency_key):
            raise Conflict("the store refused a duplicate: authorization")
        self.t.authorizations[record.id] = record

    def mark_reversed(self, authorization_id: str, at: datetime) -> None:
        record = self.t.authorizations[authorization_id]
        self.t.authorizations[authorization_id] = replace(record, reversed_at=at)

    def for_card(self, card_id: str, limit: int, since: datetime | None = None,
                 before: tuple[datetime, str] | None = None) -> list[AuthorizationRecord]:
        found = [r for r in self.t.authorizations.values() if r.card_id == card_id
                 and (since is None or r.received_at >= since)
                 and (before is None or (r.received_at, r.id) < before)]
        found.sort(key=lambda r: (r.received_at, r.id), reverse=True)
        return found[:limit]


    def decision_counts(self, since: datetime) -> list[DecisionCount]:
        counts: dict[tuple[datetime, str, str | None], int] = {}
        for r in self.t.authorizations.values():
            if r.received_at < since:
                continue
            hour = r.received_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            key = (hour, r.outcome.value, r.verdicts[0].reason.value if r.verdicts else None)
            counts[key] = counts.get(key, 0) + 1
        return [DecisionCount(h, Outcome(o), reason, n)
                for (h, o, reason), n in sorted(counts.items(), key=str)]


class FakeReversals(_Repo):
    def by_original(self, original_key: Key) -> ReversalRecord | None:
        for r in self.t.reversals.values():
            if r.original_key == original_key:
                return r
        return None

    def pending(self, original_key: Key) -> ReversalRecord | None:
        record = self.by_original(original_key)
        return record if record and record.status is ReversalStatus.PENDING else None

    def applied_to(self, authorization_ids: Sequence[str]) -> dict[str, ReversalRecord]:
        wanted = set(authorization_ids)
        return {r.authorization_id: r for r in self.t.reversals.values()
                if r.authorization_id in wanted and r.status is ReversalStatus.APPLIED}

    def partial_for_card(self, card_id: str) -> dict[str, ReversalRecord]:
        return {r.authorization_id: r for r in self.t.reversals.values()
                if r.card_id == card_id and r.authorization_id and r.actual_amount is not None
                and r.status is ReversalStatus.APPLIED}

    def add(self, record: ReversalRecord) -> None:
        if record.id in self.t.reversals or self.by_original(record.original_key):
            raise Conflict("the store refused a duplicate: reversal")
        self.t.reversals[record.id] = record

    def resolve(self, reversal_id: str, status: ReversalStatus, authorization_id: str,
                at: datetime, amount: int | None) -> None:
        record = self.t.reversals[reversal_id]
        self.t.reversals[reversal_id] = replace(
            record, status=status, authorization_id=authorization_id, applied_at=at,
            amount=amount)


class FakePostings(_Repo):
    def get(self, posting_id: str) -> PostingRecord | None:
        return self.t.postings.get(posting_id)

    def add(self, record: PostingRecord) -> None:
        if record.posting_id in self.t.postings:
            raise Conflict("the store refused a duplicate: posting")
        self.t.postings[record.posting_id] = record


class FakeChallenges(_Repo):
    def add(self, challenge: Challenge) -> None:
        if challenge.id in self.t.challenges:
            raise Conflict("the store refused a duplicate: challenge")
        self.t.challenges[challenge.id] = challenge

    def get(self, challenge_id: str) -> Challenge | None:
        return self.t.challenges.get(challenge_id)

    def set_status(self, challenge_id: str, status: ChallengeStatus, at: datetime) -> None:
        c = self.t.challenges[challenge_id]
        self.t.challenges[challenge_id] = replace(c, status=status, resolved_at=at)

    def for_card(self, card_id: str,
                 statuses: Iterable[ChallengeStatus] | None = None) -> list[Challenge]:
        wanted = None if statuses is None else set(statuses)
        found = [c for c in self.t.challenges.values()
                 if c.card_id == card_id and (wanted is None or c.status in wanted)]
        found.sort(key=lambda c: c.created_at, reverse=True)
        return found[:100]


class FakeAgreements(_Repo):
    def add(self, record: AgreementRecord) -> None:
        if record.id in self.t.agreements:
            raise Conflict("the store refused a duplicate: agreement")
        self.t.agreements[record.id] = record

    def get(self, agreement_id: str) -> AgreementRecord | None:
        return self.t.agreements.get(agreement_id)

    def update(self, record: AgreementRecord) -> None:
        self.t.agreements[record.id] = record

    def for_card(self, card_id: str) -> list[AgreementRecord]:
        found = [r for r in self.t.agreements.values() if r.card_id == card_id]
        return sorted(found, key=lambda r: r.created_at)

    def mark_used(self, agreement_id: str, at: datetime) -> None:
        record = self.t.agreements[agreement_id]
        self.t.agreements[agreement_id] = replace(record, last_used_at=at)


class FakeTravel(_Repo):
    def add(self, record: TravelRecord) -> None:
        if record.id in self.t.travel:
            raise Conflict("the store refused a duplicate: travel exception")
        self.t.travel[record.id] = record

    def get(self, travel_id: str) -> TravelRecord | None:
        return self.t.travel.get(travel_id)

    def update(self, record: TravelRecord) -> None:
        self.t.travel[record.id] = record

    def for_card(self, card_id: str, ending_after: datetime | None = None
                 ) -> list[TravelRecord]:
        found = [r for r in self.t.travel.values() if r.card_id == card_id
                 and (ending_after is None or r.ends_at > ending_after)]
        return sorted(found, key=lambda r: (r.starts_at, r.id))

    def due(self, now: datetime, limit: int) -> list[TravelRecord]:
        found = [r for r in self.t.travel.values()
                 if (r.start_announced_at is None and r.starts_at <= now)
                 or (r.end_announced_at is None and r.ends_at <= now)]
        return sorted(found, key=lambda r: (r.starts_at, r.id))[:limit]


class FakeUnlocks(_Repo):
    def add(self, record: UnlockRecord) -> None:
        if record.id in self.t.unlocks:
            raise Conflict("the store refused a duplicate: unlock")
        self.t.unlocks[record.id] = record

    def update(self, record: UnlockRecord) -> None:
        self.t.unlocks[record.id] = record

    def open_for(self, card_id: str, target: str) -> list[UnlockRecord]:
        found = [r for r in self.t.unlocks.values() if r.card_id == card_id
                 and r.target == target and r.end_announced_at is None]
        return sorted(found, key=lambda r: (r.starts_at, r.id))

    def due(self, now: datetime, limit: int) -> list[UnlockRecord]:
        found = [r for r in self.t.unlocks.values()
                 if r.end_announced_at is None and r.ends_at <= now]
        return sorted(found, key=lambda r: (r.ends_at, r.id))[:limit]


class FakeAudit(_Repo):
    def add(self, entry: AuditEntry) -> None:
        self.t.audit.append(replace(entry, seq=len(self.t.audit) + 1))

    def for_card(self, card_id: str, limit: int, before: int | None = None
                 ) -> list[AuditEntry]:
        return [e for e in reversed(self.t.audit) if e.card_id == card_id
                and (before is None or (e.seq or 0) < before)][:limit]

    def last(self, card_id: str, action: str) -> AuditEntry | None:
        return next((e for e in reversed(self.t.audit)
                     if e.card_id == card_id and e.action == action), None)


class FakeKeys(_Repo):
    def add(self, key: ApiKey) -> None:
        if key.id in self.t.keys:
            raise Conflict("the store refused a duplicate: api key")
        self.t.keys[key.id] = key

    def get(self, key_id: str) -> ApiKey | None:
        return self.t.keys.get(key_id)

    def list(self) -> list[ApiKey]:
        return sorted(self.t.keys.values(), key=lambda k: (k.created_at, k.id))

    def revoke(self, key_id: str, at: datetime) -> bool:
        key = self.t.keys.get(key_id)
        if key is None or key.revoked_at is not None:
            return False
        self.t.keys[key_id] = replace(key, revoked_at=at)
        return True


class FakeCeilings(_Repo):
    def get(self, product: str) -> Ceilings | None:
        return self.t.ceilings.get(product)

    def put(self, product: str, ceilings: Ceilings, at: datetime) -> None:
        self.t.ceilings[product] = ceilings


class FakeOutbox(_Repo):
    def add(self, message: OutboxMessage) -> None:
        if message.id in self.t.outbox:
            raise Conflict("the store refused a duplicate: outbox message")
        self.t.outbox[message.id] = worded(message)  # as the SQL adapter reads it back

    def add_all(self, messages: list[OutboxMessage]) -> None:
        for message in messages:
            self.add(message)

    def get(self, message_id: str) -> OutboxMessage | None:
        return self.t.outbox.get(message_id)

    def claim(self, worker: str, channels: Iterable[str], now: datetime,
              lease_until: datetime, limit: int) -> list[OutboxMessage]:
        wanted = set(channels)
        due = [m for m in sorted(self.t.outbox.values(), key=lambda m: m.id)
               if m.status is OutboxStatus.PENDING and m.channel in wanted
               and (m.next_attempt_at is None or m.next_attempt_at <= now)
               and (m.lease_until is None or m.lease_until < now)][:limit]
        for m in due:
            self.t.outbox[m.id] = replace(m, claimed_by=worker, lease_until=lease_until)
        return [self.t.outbox[m.id] for m in due]

    def _held(self, message_id: str, worker: str) -> OutboxMessage | None:
        m = self.t.outbox.get(message_id)
        ok = m is not None and m.claimed_by == worker and m.status is OutboxStatus.PENDING
        return m if ok else None

    def sent(self, message_id: str, worker: str, at: datetime,
             provider_ref: str | None) -> bool:
        m = self._held(message_id, worker)
        if m is None:
            return False
        self.t.outbox[message_id] = replace(
            m, status=OutboxStatus.SENT, sent_at=at, provider_ref=provider_ref, sealed=None,
            attempts=m.attempts + 1, last_error=None, claimed_by=None, lease_until=None)
        return True

    def failed(self, message_id: str, worker: str, error: str,
               retry_at: datetime | None, counted: bool = True,
               provider_ref: str | None = None) -> bool:
        m = self._held(message_id, worker)
        if m is None:
            return False
        status = OutboxStatus.PENDING if retry_at is not None else OutboxStatus.DEAD
        self.t.outbox[message_id] = replace(
            m, status=status, attempts=m.attempts + counted, last_error=error,
            provider_ref=provider_ref,
            next_attempt_at=retry_at, claimed_by=None, lease_until=None)
        return True

    def receipt(self, message_id: str | None, provider_ref: str, state: str,
                at: datetime) -> bool:
        for m in self.t.outbox.values():
            if (message_id and m.id == message_id) or (
                    not message_id and m.provider_ref == provider_ref):
                self.t.outbox[m.id] = replace(m, receipt=state, receipt_at=at)
                return True
        return False

    def requeue(self, message_id: str) -> bool:
        m = self.t.outbox.get(message_id)
        if m is None or m.status is not OutboxStatus.DEAD:
            return False
        self.t.outbox[message_id] = replace(m, status=OutboxStatus.PENDING, attempts=0,
                                            next_attempt_at=None)
        return True

    def list(self, status: OutboxStatus | None, channel: str | None, card_id: str | None,
             limit: int, before: str | None = None) -> list[OutboxMessage]:
        found = [m for m in sorted(self.t.outbox.values(), key=lambda m: m.id, reverse=True)
                 if (before is None or m.id < before) and (status is None or m.status is status)
                 and (channel is None or m.channel == channel)
                 and (card_id is None or m.card_id == card_id)]
        return found[:limit]

    def counts(self) -> dict[tuple[str, str], int]:
        found: dict[tuple[str, str], int] = {}
        for m in self.t.outbox.values():
            found[(m.channel, m.status.value)] = found.get((m.channel, m.status.value), 0) + 1
        return found

    def waiting(self) -> dict[str, tuple[int, datetime]]:
        found: dict[str, tuple[int, datetime]] = {}
        for m in self.t.outbox.values():
            if m.status is OutboxStatus.PENDING:
                n, oldest = found.get(m.channel, (0, m.created_at))
                found[m.channel] = (n + 1, min(oldest, m.created_at))
        return found


class FakeAlertPreferences(_Repo):
    def get(self, card_id: str) -> AlertPreferences | None:
        return self.t.alert_preferences.get(card_id)

    def put(self, card_id: str, preferences: AlertPreferences, at: datetime) -> None:
        self.t.alert_preferences[card_id] = preferences


class FakeInboundSms(_Repo):
    def get(self, key: str) -> InboundRecord | None:
        return self.t.inbound_sms.get(key)

    def add(self, record: InboundRecord) -> None:
        if record.key in self.t.inbound_sms:
            raise Conflict("the store refused a duplicate: inbound sms")
        self.t.inbound_sms[record.key] = record

    def count_since(self, phone: str, since: datetime) -> int:
        return sum(1 for r in self.t.inbound_sms.values()
                   if r.phone == phone and r.received_at >= since)
class FakeSignIns(_Repo):
    def add(self, code: SignInCode) -> None:
        if code.id in self.t.signins:
            raise Conflict("the store refused a duplicate: sign-in code")
        self.t.signins[code.id] = code

    def get(self, code_id: str) -> SignInCode | None:
        return self.t.signins.get(code_id)

    def failed_attempt(self, code_id: str) -> None:
        code = self.t.signins[code_id]
        self.t.signins[code_id] = replace(code, attempts=code.attempts + 1)

    def use(self, code_id: str, at: datetime) -> None:
        self.t.signins[code_id] = replace(self.t.signins[code_id], used_at=at)


class FakeSessions(_Repo):
    def add(self, session: WebSession) -> None:
        if session.token_hash in self.t.sessions:
            raise Conflict("the store refused a duplicate: session")
        self.t.sessions[session.token_hash] = session

    def get(self, token_hash: str) -> WebSession | None:
        return self.t.sessions.get(token_hash)

    def touch(self, token_hash: str, at: datetime) -> None:
        if token_hash in self.t.sessions:
            s = self.t.sessions[token_hash]
            self.t.sessions[token_hash] = replace(s, last_seen_at=at)

    def end(self, token_hash: str, at: datetime) -> None:
        s = self.t.sessions.get(token_hash)
        if s is not None and s.ended_at is None:
            self.t.sessions[token_hash] = replace(s, ended_at=at)


class FakeAttempts(_Repo):
    def record(self, scope: str, subject: str, at: datetime, since: datetime) -> int:
        self.t.attempts[:] = [a for a in self.t.attempts
                              if not (a[0] == scope and a[1] == subject and a[2] < since)]
        self.t.attempts.append((scope, subject, at))
        return sum(1 for a in self.t.attempts if a[0] == scope and a[1] == subject)


class FakeActivity(_Repo):
    """Rebuilt from the tables at every get, as a store's reader does."""

    def get(self, card_id: str, cardholder_id: str, timezone: str,
            now: datetime) -> CardActivity:
        decisions = [a for a in self.t.authorizations.values() if a.card_id == card_id]
        partial = {r.authorization_id: r for r in self.t.reversals.values()
                   if r.card_id == card_id and r.actual_amount is not None
                   and r.authorization_id}
        changes: dict[str, datetime] = {}
        for e in self.t.audit:
            kind = change_kind(e.action)
            if kind and (e.card_id == card_id or (e.card_id is None
                                                  and e.cardholder_id == cardholder_id)):
                changes[kind] = max(changes.get(kind, e.at), e.at)
        return rebuild(timezone, decisions, partial, self.t.card_places.get(card_id, ()),
                       changes)

    def cached(self, card_id: str) -> CardActivity | None:
        return None

    def new_places(self, card_id: str, request: AuthorizationRequest) -> tuple[str, ...]:
        known = self.t.card_places.get(card_id, set())
        return tuple(p for p in (request.region, request.country) if p and p not in known)

    def add_places(self, card_id: str, places: Iterable[str], at: datetime) -> None:
        self.t.card_places[card_id] = self.t.card_places.get(card_id, set()) | set(places)

    def known_places(self, card_id: str, before: datetime) -> set[str]:
        return set(self.t.card_places.get(card_id, ()))  # (the fake keeps no first use)

    def cards_with_decisions(self, since: datetime) -> list[str]:
        return sorted({a.card_id for a in self.t.authorizations.values()
                       if a.received_at >= since})


class FakeRules(_Repo):
    def add(self, rule: MonitoringRule) -> None:
        self.t.rules[(rule.id, rule.version)] = rule

    update = add

    def versions(self, rule_id: str) -> list[MonitoringRule]:
        return sorted((r for r in self.t.rules.values() if r.id == rule_id),
                      key=lambda r: r.version)

    def all(self) -> list[MonitoringRule]:
        return latest(self.t.rules.values())

    def live(self) -> tuple[MonitoringRule, ...]:
        return tuple(latest(r for r in self.t.rules.values() if r.status in LIVE))

    def add_hits(self, hits: Iterable[RuleHitRecord]) -> None:
        self.t.rule_hits.extend(hits)

    def hit_counts(self, rule_id: str, since: datetime) -> list[HitCount]:
        counts: dict[tuple[str, int, str, bool], list[int]] = {}
        for h in self.t.rule_hits:
            if h.rule_id == rule_id and h.at >= since:
                key = (h.at.astimezone(UTC).strftime("%Y-%m-%dT%H"), h.version, h.result,
                       h.enforced)
                entry = counts.setdefault(key, [0, 0])
                entry[0] += 1
                entry[1] += h.amount
        return [HitCount(*k, *v) for k, v in sorted(counts.items())]


class FakeIdempotency(_Repo):
    def claim(self, scope: str, key: str, fingerprint: str, now: datetime,
              expires_at: datetime) -> StoredAnswer | None:
        for k in [k for k, (_, until) in self.t.idempotency.items()
                  if k[0] == scope and until <= now]:
            del self.t.idempotency[k]
        found = self.t.idempotency.get((scope, key))
        if found is not None:
            return found[0]
        self.t.idempotency[(scope, key)] = (StoredAnswer(fingerprint, 0, ""), expires_at)
        return None

    def answer(self, scope: str, key: str, status: int, body: str) -> None:
        stored, until = self.t.idempotency[(scope, key)]
        self.t.idempotency[(scope, key)] = (replace(stored, status=status, body=body), until)

    def get(self, scope: str, key: str, now: datetime) -> StoredAnswer | None:
        found = self.t.idempotency.get((scope, key))
        return found[0] if found is not None and found[1] > now else None

    def forget_expired(self, now: datetime, limit: int) -> int:
        gone = [k for k, (_, until) in self.t.idempotency.items() if until <= now][:limit]
        for k in gone:
            del self.t.idempotency[k]
        return len(gone)


class FakeUnitOfWork:
    """Implements :class:`smartguard.service_layer.ports.BatchUnitOfWork` in memory."""

    def __init__(self, store: FakeStore) -> None:
        self.store = store
        self.tables = store.committed.copy()
        self._open = False
        self._outbox_at_begin = len(self.tables.outbox)
        self.cards = FakeCards(self)
        self.cardholders = FakeCardholders(self)
        self.accounts = FakeAccounts(self)
        self.usage = FakeUsage(self)
        self.authorizations = FakeAuthorizations(self)
        self.reversals = FakeReversals(self)
        self.postings = FakePostings(self)
        self.challenges = FakeChallenges(self)
        self.agreements = FakeAgreements(self)
        self.travel = FakeTravel(self)
        self.unlocks = FakeUnlocks(self)
        self.audit = FakeAudit(self)
        self.keys = FakeKeys(self)
        self.ceilings = FakeCeilings(self)
        self.outbox = FakeOutbox(self)
        self.alert_preferences = FakeAlertPreferences(self)
        self.inbound_sms = FakeInboundSms(self)
        self.signins = FakeSignIns(self)
        self.sessions = FakeSessions(self)
        self.attempts = FakeAttempts(self)
        self.activity = FakeActivity(self)
        self.rules = FakeRules(self)
        self.idempotency = FakeIdempotency(self)

    def __enter__(self) -> Self:
        self.begin()
        return self

    def begin(self) -> None:
        if self.store.fail_on_enter:
            raise StoreUnavailable("fake store: cannot begin a transaction")
        self.tables = self.store.committed.copy()
        self._open = True
        self._outbox_at_begin = len(self.tables.outbox)

    def try_begin(self) -> bool:
        self.begin()
        return True

    def changes(self) -> int | None:
        """A digest of every table: it moves whenever a write changed one."""
        return hash(repr(self.tables))

    def abort(self) -> None:
        if self._open:
            self.rollback()

    def outbox_added(self) -> int:
        return len(self.tables.outbox) - self._outbox_at_begin

    def lock_rows(self, locks: list[tuple[str, str]]) -> None:
        """One unit of work at a time writes the fake store: nothing to lock."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._open:
            self.rollback()

    def commit(self) -> None:
        if self.store.fail_on_commit:
            raise StoreUnavailable("fake store: commit failed")
        self.store.committed = self.tables.copy()
        self.store.commits += 1
        self._open = False

    def rollback(self) -> None:
        self.tables = self.store.committed.copy()
        self._open = False

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        saved = self.tables.copy()
        try:
            yield
        except BaseException:
            self.tables = saved
            raise


def committed(store: FakeStore) -> FakeUnitOfWork:
    """A fresh unit of work that sees exactly what has been committed (for assertions)."""
    return store.uow()


def everything_stored(store: FakeStore) -> str:
    """Every committed value as text, to check that a secret (a PAN, a code) is absent."""
    parts: list[Any] = [getattr(store.committed, f.name) for f in fields(store.committed)]
    return repr(parts)
