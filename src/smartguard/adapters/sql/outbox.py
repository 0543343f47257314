"""The outbox, alert preferences and the inbound-SMS log in SQL (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime

from smartguard.adapters.sql.codec import dt, dt_req, dumps
from smartguard.adapters.sql.db import Db, Row
from smartguard.domain.alerts import AlertPreferences, preferences, preferences_to_dict
from smartguard.service_layer.messages import (
    InboundRecord,
    OutboxMessage,
    OutboxStatus,
    worded,
)

_COLUMNS = (
    "id, created_at, channel, kind, event, recipient, language, body, payload, card_id, "
    "cardholder_id, sealed, status, attempts, next_attempt_at, last_error, sent_at, "
    "provider_ref, receipt, receipt_at, claimed_by, lease_until, timezone"
)


_NEW_COLUMNS = ("id, created_at, channel, kind, event, recipient, language, body, payload, "
                "card_id, cardholder_id, timezone")
_NEW = 12
_INSERT_NEW = f"INSERT INTO outbox ({_NEW_COLUMNS}, status) VALUES ({'?,' * _NEW}'pending')"
_INSERT_SEALED = (f"INSERT INTO outbox ({_NEW_COLUMNS}, sealed, status) "
                  f"VALUES ({'?,' * (_NEW + 1)}'pending')")


def utc(value: datetime | None) -> str | None:
    """Times compared in SQL are UTC ISO text, so text order is time order."""
    return None if value is None else value.astimezone(UTC).isoformat()


def _message(r: Row) -> OutboxMessage:
    return worded(OutboxMessage(
        id=r[0], created_at=dt_req(r[1]), channel=r[2], kind=r[3], event=r[4],
        recipient=r[5], language=r[6], text=r[7] or None, payload=json.loads(r[8]), card_id=r[9],
        cardholder_id=r[10], sealed=r[11], status=OutboxStatus(r[12]), attempts=r[13],
        next_attempt_at=dt(r[14]), last_error=r[15], sent_at=dt(r[16]), provider_ref=r[17],
        receipt=r[18], receipt_at=dt(r[19]), claimed_by=r[20], lease_until=dt(r[21]),
        timezone=r[22],
    ))


class SqlOutbox:
    def __init__(self, db: Db) -> None:
        self.db = db
        self.added = 0  # rows added since the unit of work began (it resets this)

    def add(self, m: OutboxMessage) -> None:
        self.add_all([m])

    def add_all(self, messages: list[OutboxMessage]) -> None:
        """Write new messages (their delivery state the initial one: pending, never tried).
        Only the columns a new message fills are named: an INSERT costs SQLite about half
        a microsecond more for each NULL it is given (performance.md)."""
        payloads: dict[int, str] = {}  # one alert's channels share one payload
        rows = []
        for m in messages:
            if m.status is not OutboxStatus.PENDING or m.attempts or m.claimed_by or \
                    m.sent_at or m.provider_ref or m.receipt or m.next_attempt_at or \
                    m.last_error or m.lease_until or m.receipt_at:
                raise ValueError(f"outbox message {m.id} is not new")
            payload = payloads.get(id(m.payload))
            if payload is None:
                payload = payloads[id(m.payload)] = dumps(m.payload)
            row = (m.id, utc(m.created_at), m.channel, m.kind, m.event, m.recipient,
                   m.language, m.text or "", payload, m.card_id, m.cardholder_id, m.timezone)
            rows.append(row if m.sealed is None else (*row, m.sealed))
        self.added += len(rows)
        plain = [r for r in rows if len(r) == _NEW]
        if plain:
            self.db.defer_many(_INSERT_NEW, plain)
        if len(plain) < len(rows):
            self.db.defer_many(_INSERT_SEALED, [r for r in rows if len(r) > _NEW])

    def get(self, message_id: str) -> OutboxMessage | None:
        row = self.db.one(f"SELECT {_COLUMNS} FROM outbox WHERE id = ?", (message_id,))
        return _message(row) if row else None

    def claim(self, worker: str, channels: Iterable[str], now: datetime,
              lease_until: datetime, limit: int) -> list[OutboxMessage]:
        wanted = list(channels)
        if not wanted:
            return []
        lock = self.db.for_update + " SKIP LOCKED" if self.db.for_update else ""
        marks = ",".join("?" * len(wanted))
        at = utc(now)
        rows = self.db.all(
            f"UPDATE outbox SET claimed_by = ?, lease_until = ? WHERE id IN ("
            f"SELECT id FROM outbox WHERE status = 'pending' AND channel IN ({marks}) "
            "AND (next_attempt_at IS NULL OR next_attempt_at <= ?) "
            f"AND (lease_until IS NULL OR lease_until < ?) ORDER BY id LIMIT ?{lock}) "
            f"RETURNING {_COLUMNS}",
            (worker, utc(lease_until), *wanted, at, at, limit))
        return sorted((_message(r) for r in rows), key=lambda m: m.id)

    def sent(self, message_id: str, worker: str, at: datetime,
             provider_ref: str | None) -> bool:
        row = self.db.one(
            "UPDATE outbox SET status = 'sent', sent_at = ?, provider_ref = ?, sealed = NULL, "
            "attempts = attempts + 1, last_error = NULL, claimed_by = NULL, "
            "lease_until = NULL WHERE id = ? AND claimed_by = ? AND status = 'pending' "
            "RETURNING id", (utc(at), provider_ref, message_id, worker))
        return row is not None

    def failed(self, message_id: str, worker: str, error: str,
               retry_at: datetime | None, counted: bool = True,
               provider_ref: str | None = None) -> bool:
        status = "pending" if retry_at is not None else "dead"
        row = self.db.one(
            "UPDATE outbox SET status = ?, attempts = attempts + ?, last_error = ?, "
            "next_attempt_at = ?, provider_ref = ?, claimed_by = NULL, lease_until = NULL "
            "WHERE id = ? AND claimed_by = ? AND status = 'pending' RETURNING id",
            (status, int(counted), error[:500], utc(retry_at), provider_ref, message_id,
             worker))
        return row is not None

    def receipt(self, message_id: str | None, provider_ref: str, state: str,
                at: datetime) -> bool:
        if message_id:
            row = self.db.one("UPDATE outbox SET receipt = ?, receipt_at = ? WHERE id = ? "
                              "RETURNING id", (state, utc(at), message_id))
        else:
            row = self.db.one("UPDATE outbox SET receipt = ?, receipt_at = ? "
                              "WHERE provider_ref = ? RETURNING id",
                              (state, utc(at), provider_ref))
        return row is not None

    def requeue(self, message_id: str) -> bool:
        row = self.db.one(
            "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = NULL, "
            "claimed_by = NULL, lease_until = NULL WHERE id = ? AND status = 'dead' "
            "RETURNING id", (message_id,))
        return row is not None

    def list(self, status: OutboxStatus | None, channel: str | None, card_id: str | None,
             limit: int, before: str | None = None) -> list[OutboxMessage]:
        where: list[str] = []
        params: list[str] = []
        if before is not None:
            where.append("id < ?")
            params.append(before)
        for column, value in (("status", status.value if status else None),
                              ("channel", channel), ("card_id", card_id)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"SELECT {_COLUMNS} FROM outbox" + (" WHERE " + " AND ".join(where)
                                                  if where else "")
        rows = self.db.all(sql + " ORDER BY id DESC LIMIT ?", (*params, limit))
        return [_message(r) for r in rows]

    def counts(self) -> dict[tuple[str, str], int]:
        rows = self.db.all("SELECT channel, status, count(*) FROM outbox "
                           "GROUP BY channel, status")
        return {(r[0], r[1]): int(r[2]) for r in rows}

    def waiting(self) -> dict[str, tuple[int, datetime]]:
        rows = self.db.all("SELECT channel, count(*), min(created_at) FROM outbox "
                           "WHERE status = 'pending' GROUP BY channel")
        return {r[0]: (int(r[1]), dt_req(r[2])) for r in rows}


def preferences_load(text: str) -> AlertPreferences:
    d = json.loads(text)
    return preferences(d["channels"], d["balance_threshold"])


class SqlAlertPreferences:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, card_id: str) -> AlertPreferences | None:
        row = self.db.one("SELECT preferences FROM alert_preferences WHERE card_id = ?",
                          (card_id,))
        return preferences_load(row[0]) if row else None

    def put(self, card_id: str, p: AlertPreferences, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO alert_preferences (card_id, preferences, updated_at) VALUES (?,?,?) "
            "ON CONFLICT (card_id) DO UPDATE SET preferences = excluded.preferences, "
            "updated_at = excluded.updated_at",
            (card_id, dumps(preferences_to_dict(p)), utc(at)))


class SqlInboundSms:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, key: str) -> InboundRecord | None:
        row = self.db.one("SELECT key, phone, received_at, command, outcome FROM inbound_sms "
                          "WHERE key = ?", (key,))
        return InboundRecord(row[0], row[1], dt_req(row[2]), row[3], row[4]) if row else None

    def add(self, r: InboundRecord) -> None:
        self.db.execute("INSERT INTO inbound_sms (key, phone, received_at, command, outcome) "
                        "VALUES (?,?,?,?,?)",
                        (r.key, r.phone, utc(r.received_at), r.command, r.outcome))

    def count_since(self, phone: str, since: datetime) -> int:
        row = self.db.one("SELECT count(*) FROM inbound_sms WHERE phone = ? "
                          "AND received_at >= ?", (phone, utc(since)))
        return int(row[0]) if row else 0
