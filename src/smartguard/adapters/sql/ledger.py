"""Authorizations, reversals and postings in SQL."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from smartguard.adapters.sql.codec import (
    dt,
    dt_req,
    dumps,
    request_json,
    request_load,
    ts,
    verdicts_json,
    verdicts_load,
)
from smartguard.adapters.sql.db import Db, Row
from smartguard.domain.decisions import Outcome
from smartguard.service_layer.ports import Key
from smartguard.service_layer.records import (
    AuthorizationRecord,
    PostingRecord,
    ReversalRecord,
    ReversalStatus,
)
from smartguard.service_layer.web_records import DecisionCount

AUTH_COLUMNS = (
    "id, card_id, fingerprint, received_at, request, outcome, response_code, verdicts, "
    "approval_code, balance_after, day, month, counters, challenge_id, challenge_used, "
    "reversed_at"
)


#: Decisions by idempotency key, for many keys at once (PostgreSQL: three arrays, the
#: keys' acquirer ids, STANs and transmission times), each row ending with its key.
DECISIONS_BY_KEY = (
    f"SELECT {AUTH_COLUMNS}, acquirer_id, stan, transmission_time FROM authorizations "
    "WHERE (acquirer_id, stan, transmission_time) IN "
    "(SELECT * FROM unnest(?::text[], ?::text[], ?::text[]))"
)


def auth_record(row: Row) -> AuthorizationRecord:
    verdicts, alerts = verdicts_load(row[7])
    return AuthorizationRecord(
        id=row[0], card_id=row[1], fingerprint=row[2], received_at=dt_req(row[3]),
        request=request_load(row[4]), outcome=Outcome(row[5]), response_code=row[6],
        verdicts=verdicts, approval_code=row[8], balance_after=row[9],
        day=row[10], month=row[11], counters=tuple(json.loads(row[12])),
        challenge_id=row[13], challenge_used=row[14], reversed_at=dt(row[15]), alerts=alerts,
    )


class SqlAuthorizations:
    def __init__(self, db: Db) -> None:
        self.db = db

    def by_key(self, key: Key, lock: bool = False) -> AuthorizationRecord | None:
        row = self.db.one(
            f"SELECT {AUTH_COLUMNS} FROM authorizations WHERE acquirer_id = ? AND stan = ? "
            "AND transmission_time = ?" + (self.db.for_update if lock else ""), key)
        return auth_record(row) if row else None

    def add(self, r: AuthorizationRecord) -> None:
        q = r.request
        self.db.defer(
            "INSERT INTO authorizations (id, card_id, acquirer_id, stan, transmission_time, "
            "fingerprint, received_at, request, outcome, response_code, verdicts, "
            "approval_code, balance_after, day, month, counters, challenge_id, challenge_used, "
            "reversed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.id, r.card_id, q.acquirer_id, q.stan, q.transmission_time, r.fingerprint,
             ts(r.received_at), request_json(q), r.outcome.value, r.response_code,
             verdicts_json(r.verdicts, r.alerts), r.approval_code, r.balance_after, r.day, r.month,
             dumps(list(r.counters)), r.challenge_id, r.challenge_used, ts(r.reversed_at)),
        )

    def mark_reversed(self, authorization_id: str, at: datetime) -> None:
        self.db.defer("UPDATE authorizations SET reversed_at = ? WHERE id = ?",
                      (ts(at), authorization_id))  # no answer needed: sent with the next

    def for_card(self, card_id: str, limit: int, since: datetime | None = None,
                 before: tuple[datetime, str] | None = None) -> list[AuthorizationRecord]:
        if before is None:
            rows = self.db.all(
                f"SELECT {AUTH_COLUMNS} FROM authorizations WHERE card_id = ? "
                "AND received_at >= ? ORDER BY received_at DESC, id DESC LIMIT ?",
                (card_id, ts(since) or "", limit))
        else:
            at = ts(before[0])
            rows = self.db.all(
                f"SELECT {AUTH_COLUMNS} FROM authorizations WHERE card_id = ? "
                "AND received_at >= ? AND (received_at < ? OR (received_at = ? AND id < ?)) "
                "ORDER BY received_at DESC, id DESC LIMIT ?",
                (card_id, ts(since) or "", at, at, before[1], limit))
        return [auth_record(r) for r in rows]

    def decision_counts(self, since: datetime) -> list[DecisionCount]:
        """Grouped by the stored hour prefix (times are stored in UTC) and the verdicts
        text in SQL, then by primary reason here: portable between SQLite and PostgreSQL."""
        rows = self.db.all(
            "SELECT substr(received_at, 1, 13), outcome, verdicts, COUNT(*) "
            "FROM authorizations WHERE received_at >= ? GROUP BY 1, 2, 3", (ts(since),))
        counts: dict[tuple[str, str, str | None], int] = {}
        for hour, outcome, verdicts, n in rows:
            found = json.loads(verdicts)
            key = (hour, outcome, found[0][0] if found and len(found[0]) == 2 else None)
            counts[key] = counts.get(key, 0) + int(n)
        return [DecisionCount(datetime.fromisoformat(h + ":00+00:00"), Outcome(o), r, n)
                for (h, o, r), n in sorted(counts.items(), key=lambda kv: str(kv[0]))]


REV_COLUMNS = (
    "id, acquirer_id, stan, transmission_time, original_acquirer_id, original_stan, "
    "original_transmission_time, received_at, status, card_id, authorization_id, amount, "
    "applied_at, actual_amount"
)
#: The keys of the reversals waiting for their original. The status is written in the SQL,
#: not bound, so that the partial index ``reversals_pending`` (migration 0011) serves it.
PENDING_KEYS = ("SELECT original_acquirer_id, original_stan, original_transmission_time "
                "FROM reversals WHERE status = 'pending'")


def reversal_record(row: Row) -> ReversalRecord:
    return ReversalRecord(
        id=row[0], key=(row[1], row[2], row[3]), original_key=(row[4], row[5], row[6]),
        received_at=dt_req(row[7]), status=ReversalStatus(row[8]), card_id=row[9],
        authorization_id=row[10], amount=row[11], applied_at=dt(row[12]),
        actual_amount=row[13],
    )


class SqlReversals:
    def __init__(self, db: Db) -> None:
        self.db = db

    def by_original(self, original_key: Key) -> ReversalRecord | None:
        row = self.db.one(
            f"SELECT {REV_COLUMNS} FROM reversals WHERE original_acquirer_id = ? "
            "AND original_stan = ? AND original_transmission_time = ?", original_key)
        return reversal_record(row) if row is not None else None

    def pending(self, original_key: Key) -> ReversalRecord | None:
        record = self.by_original(original_key)
        return record if record and record.status is ReversalStatus.PENDING else None

    def applied_to(self, authorization_ids: Sequence[str]) -> dict[str, ReversalRecord]:
        if not authorization_ids:
            return {}
        marks = ",".join("?" * len(authorization_ids))
        rows = self.db.all(
            f"SELECT {REV_COLUMNS} FROM reversals WHERE status = ? "
            f"AND authorization_id IN ({marks})",
            (ReversalStatus.APPLIED.value, *authorization_ids))
        found = (reversal_record(r) for r in rows)
        return {r.authorization_id: r for r in found if r.authorization_id}

    def partial_for_card(self, card_id: str) -> dict[str, ReversalRecord]:
        rows = self.db.all(
            f"SELECT {REV_COLUMNS} FROM reversals WHERE card_id = ? AND status = ? "
            "AND actual_amount IS NOT NULL", (card_id, ReversalStatus.APPLIED.value))
        found = (reversal_record(r) for r in rows)
        return {r.authorization_id: r for r in found if r.authorization_id}

    def add(self, r: ReversalRecord) -> None:
        self.db.execute(
            f"INSERT INTO reversals ({REV_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.id, *r.key, *r.original_key, ts(r.received_at), r.status.value, r.card_id,
             r.authorization_id, r.amount, ts(r.applied_at), r.actual_amount),
        )

    def resolve(self, reversal_id: str, status: ReversalStatus, authorization_id: str,
                at: datetime, amount: int | None) -> None:
        self.db.execute(
            "UPDATE reversals SET status = ?, authorization_id = ?, applied_at = ?, "
            "amount = ? WHERE id = ?",
            (status.value, authorization_id, ts(at), amount, reversal_id))


class SqlPostings:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, posting_id: str) -> PostingRecord | None:
        row = self.db.one(
            "SELECT posting_id, account_id, amount, description, balance_after, received_at "
            "FROM postings WHERE posting_id = ?", (posting_id,))
        if row is None:
            return None
        return PostingRecord(row[0], row[1], row[2], row[3], row[4], dt_req(row[5]))

    def add(self, r: PostingRecord) -> None:
        self.db.execute(
            "INSERT INTO postings (posting_id, account_id, amount, description, balance_after, "
            "received_at) VALUES (?,?,?,?,?,?)",
            (r.posting_id, r.account_id, r.amount, r.description, r.balance_after,
             ts(r.received_at)))
