"""Challenges, agreements, the audit trail, API keys and bank ceilings in SQL."""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime

from smartguard.adapters.sql.codec import ceilings_json, ceilings_load, dt, dt_req, dumps, ts
from smartguard.adapters.sql.db import Db, Row
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.controls.values import Ceilings
from smartguard.domain.state import AgreementStatus
from smartguard.service_layer.records import AgreementRecord, ApiKey, AuditEntry, Role

CHL_COLUMNS = (
    "id, card_id, authorization_id, reason, merchant_id, merchant_name, amount, currency, "
    "code_hash, created_at, expires_at, status, resolved_at"
)


def challenge_record(row: Row) -> Challenge:
    return Challenge(
        id=row[0], card_id=row[1], authorization_id=row[2], reason=row[3], merchant_id=row[4],
        merchant_name=row[5], amount=row[6], currency=row[7], code_hash=row[8],
        created_at=dt_req(row[9]), expires_at=dt_req(row[10]),
        status=ChallengeStatus(row[11]), resolved_at=dt(row[12]),
    )


class SqlChallenges:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, c: Challenge) -> None:  # no answer needed: sent with the next statement
        self.db.defer(
            f"INSERT INTO challenges ({CHL_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (c.id, c.card_id, c.authorization_id, c.reason, c.merchant_id, c.merchant_name,
             c.amount, c.currency, c.code_hash, ts(c.created_at), ts(c.expires_at),
             c.status.value, ts(c.resolved_at)))

    def get(self, challenge_id: str) -> Challenge | None:
        row = self.db.one(f"SELECT {CHL_COLUMNS} FROM challenges WHERE id = ?",
                          (challenge_id,))
        return challenge_record(row) if row else None

    def set_status(self, challenge_id: str, status: ChallengeStatus, at: datetime) -> None:
        self.db.defer("UPDATE challenges SET status = ?, resolved_at = ? WHERE id = ?",
                      (status.value, ts(at), challenge_id))  # sent with the next statement

    def for_card(self, card_id: str,
                 statuses: Iterable[ChallengeStatus] | None = None) -> list[Challenge]:
        sql = f"SELECT {CHL_COLUMNS} FROM challenges WHERE card_id = ?"
        params: list[str] = [card_id]
        if statuses is not None:
            wanted = [s.value for s in statuses]
            sql += f" AND status IN ({','.join('?' * len(wanted))})"
            params += wanted
        rows = self.db.all(sql + " ORDER BY created_at DESC LIMIT 100", params)
        return [challenge_record(r) for r in rows]


_AGR_COLUMNS = (
    "id, card_id, payee, status, created_at, per_txn_limit, daily_limit, last_used_at"
)


def _agreement(row: Row) -> AgreementRecord:
    return AgreementRecord(row[0], row[1], row[2], AgreementStatus(row[3]), dt_req(row[4]),
                           row[5], row[6], dt(row[7]))


class SqlAgreements:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, r: AgreementRecord) -> None:
        self.db.execute(
            f"INSERT INTO agreements ({_AGR_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
            (r.id, r.card_id, r.payee, r.status.value, ts(r.created_at), r.per_txn_limit,
             r.daily_limit, ts(r.last_used_at)))

    def get(self, agreement_id: str) -> AgreementRecord | None:
        row = self.db.one(f"SELECT {_AGR_COLUMNS} FROM agreements WHERE id = ?",
                          (agreement_id,))
        return _agreement(row) if row else None

    def update(self, r: AgreementRecord) -> None:
        self.db.execute(
            "UPDATE agreements SET payee = ?, status = ?, per_txn_limit = ?, daily_limit = ?, "
            "last_used_at = ? WHERE id = ?",
            (r.payee, r.status.value, r.per_txn_limit, r.daily_limit, ts(r.last_used_at),
             r.id))

    def for_card(self, card_id: str) -> list[AgreementRecord]:
        rows = self.db.all(f"SELECT {_AGR_COLUMNS} FROM agreements WHERE card_id = ? "
                           "ORDER BY created_at", (card_id,))
        return [_agreement(r) for r in rows]

    def mark_used(self, agreement_id: str, at: datetime) -> None:
        self.db.execute("UPDATE agreements SET last_used_at = ? WHERE id = ?",
                        (ts(at), agreement_id))


class SqlAudit:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, e: AuditEntry) -> None:
        self.db.execute(
            "INSERT INTO audit (at, actor, channel, action, card_id, cardholder_id, old, new) "
            "VALUES (?,?,?,?,?,?,?,?)",
            (ts(e.at), e.actor, e.channel, e.action, e.card_id, e.cardholder_id,
             dumps(e.old), dumps(e.new)))

    def for_card(self, card_id: str, limit: int, before: int | None = None
                 ) -> list[AuditEntry]:
        rows = self.db.all(
            "SELECT at, actor, channel, action, card_id, cardholder_id, old, new, id "
            "FROM audit WHERE card_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
            (card_id, 2**62 if before is None else before, limit))
        return [_entry(r) for r in rows]

    def last(self, card_id: str, action: str) -> AuditEntry | None:
        row = self.db.one(
            "SELECT at, actor, channel, action, card_id, cardholder_id, old, new, id "
            "FROM audit WHERE card_id = ? AND action = ? ORDER BY id DESC LIMIT 1",
            (card_id, action))
        return _entry(row) if row else None


def _entry(r: Row) -> AuditEntry:
    return AuditEntry(dt_req(r[0]), r[1], r[2], r[3], r[4], r[5], json.loads(r[6]),
                      json.loads(r[7]), r[8])


class SqlKeys:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, k: ApiKey) -> None:
        self.db.execute(
            "INSERT INTO api_keys (id, secret_hash, role, label, created_at, cardholder_id, "
            "revoked_at) VALUES (?,?,?,?,?,?,?)",
            (k.id, k.secret_hash, k.role.value, k.label, ts(k.created_at), k.cardholder_id,
             ts(k.revoked_at)))

    def get(self, key_id: str) -> ApiKey | None:
        row = self.db.one(
            "SELECT id, secret_hash, role, label, created_at, cardholder_id, revoked_at "
            "FROM api_keys WHERE id = ?", (key_id,))
        return None if row is None else _key(row)

    def list(self) -> list[ApiKey]:
        rows = self.db.all(
            "SELECT id, secret_hash, role, label, created_at, cardholder_id, revoked_at "
            "FROM api_keys ORDER BY created_at, id")
        return [_key(r) for r in rows]

    def revoke(self, key_id: str, at: datetime) -> bool:
        self.db.execute("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS "
                        "NULL", (ts(at), key_id))
        return self.db.changes() == 1


def _key(row: Row) -> ApiKey:
    return ApiKey(row[0], row[1], Role(row[2]), row[3], dt_req(row[4]), row[5], dt(row[6]))


class SqlCeilings:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, product: str) -> Ceilings | None:
        row = self.db.one("SELECT ceilings FROM ceilings WHERE product = ?", (product,))
        return ceilings_load(row[0]) if row else None

    def put(self, product: str, ceilings: Ceilings, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO ceilings (product, ceilings, updated_at) VALUES (?,?,?) "
            "ON CONFLICT (product) DO UPDATE SET ceilings = excluded.ceilings, "
            "updated_at = excluded.updated_at", (product, ceilings_json(ceilings), ts(at)))
