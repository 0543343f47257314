"""Sign-in codes, web sessions and attempt counters in SQL."""

from __future__ import annotations

from datetime import datetime

from smartguard.adapters.sql.codec import dt, dt_req, ts
from smartguard.adapters.sql.db import Db, Row
from smartguard.service_layer.web_records import SessionKind, SignInCode, WebSession

_CODE_COLUMNS = "id, cardholder_id, card_id, code_hash, created_at, expires_at, attempts, used_at"
_SESSION_COLUMNS = (
    "token_hash, kind, subject, label, created_at, last_seen_at, expires_at, ended_at"
)


def _code(row: Row) -> SignInCode:
    return SignInCode(row[0], row[1], row[2], row[3], dt_req(row[4]), dt_req(row[5]),
                      row[6], dt(row[7]))


def _session(row: Row) -> WebSession:
    return WebSession(row[0], SessionKind(row[1]), row[2], row[3], dt_req(row[4]),
                      dt_req(row[5]), dt_req(row[6]), dt(row[7]))


class SqlSignIns:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, c: SignInCode) -> None:
        self.db.execute(
            f"INSERT INTO signin_codes ({_CODE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
            (c.id, c.cardholder_id, c.card_id, c.code_hash, ts(c.created_at),
             ts(c.expires_at), c.attempts, ts(c.used_at)))

    def get(self, code_id: str) -> SignInCode | None:
        row = self.db.one(f"SELECT {_CODE_COLUMNS} FROM signin_codes WHERE id = ?",
                          (code_id,))
        return _code(row) if row else None

    def failed_attempt(self, code_id: str) -> None:
        self.db.execute("UPDATE signin_codes SET attempts = attempts + 1 WHERE id = ?",
                        (code_id,))

    def use(self, code_id: str, at: datetime) -> None:
        self.db.execute("UPDATE signin_codes SET used_at = ? WHERE id = ?", (ts(at), code_id))


class SqlSessions:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, s: WebSession) -> None:
        self.db.execute(
            f"INSERT INTO web_sessions ({_SESSION_COLUMNS}) VALUES (?,?,?,?,?,?,?,?)",
            (s.token_hash, s.kind.value, s.subject, s.label, ts(s.created_at),
             ts(s.last_seen_at), ts(s.expires_at), ts(s.ended_at)))

    def get(self, token_hash: str) -> WebSession | None:
        row = self.db.one(f"SELECT {_SESSION_COLUMNS} FROM web_sessions WHERE token_hash = ?",
                          (token_hash,))
        return _session(row) if row else None

    def touch(self, token_hash: str, at: datetime) -> None:
        self.db.execute("UPDATE web_sessions SET last_seen_at = ? WHERE token_hash = ?",
                        (ts(at), token_hash))

    def end(self, token_hash: str, at: datetime) -> None:
        self.db.execute("UPDATE web_sessions SET ended_at = ? WHERE token_hash = ? "
                        "AND ended_at IS NULL", (ts(at), token_hash))


class SqlAttempts:
    def __init__(self, db: Db) -> None:
        self.db = db

    def record(self, scope: str, subject: str, at: datetime, since: datetime) -> int:
        self.db.execute("DELETE FROM attempts WHERE scope = ? AND subject = ? AND at < ?",
                        (scope, subject, ts(since)))
        self.db.execute("INSERT INTO attempts (scope, subject, at) VALUES (?,?,?)",
                        (scope, subject, ts(at)))
        row = self.db.one("SELECT COUNT(*) FROM attempts WHERE scope = ? AND subject = ?",
                          (scope, subject))
        return int(row[0]) if row else 0
