"""Cards, cardholders and accounts in SQL."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from smartguard.adapters.sql.codec import controls_json, controls_load, ts
from smartguard.adapters.sql.db import Db, Row
from smartguard.domain.cards import Account, Card, Cardholder, CardStatus, Language
from smartguard.domain.controls.values import Controls
from smartguard.domain.state import Usage
from smartguard.service_layer.records import CardRecord

_CARD_SELECT = """
SELECT c.id, c.cardholder_id, c.account_id, c.first6, c.last4, c.product, c.status,
       c.controls, h.name, h.phone, h.language, h.timezone, h.phone_verified,
       a.currency, a.balance
FROM cards c JOIN cardholders h ON h.id = c.cardholder_id JOIN accounts a ON a.id = c.account_id
"""


#: The cards of a batch read whole while their accounts are locked, with each card's alert
#: preferences and its product's ceilings (locks.py): what the batch's jobs read first.
#: The cards a batch's locks name (PAN hashes, ids): the set every lock-phase read is of
#: (locks.py); its two parameters are the lists of ``named``.
#: The cards a batch names (by PAN hash or id), once, at the head of the lock phase's one
#: statement of reads (locks.py: ``as_one``); the reads in it refer to them by these.
NAMED = ("named AS MATERIALIZED (SELECT id, cardholder_id FROM cards "
         "WHERE pan_hash = ANY(?) OR id = ANY(?))")
NAMED_CARDS = "(SELECT id FROM named)"
NAMED_HOLDERS = "(SELECT cardholder_id FROM named)"

LOCK_SELECT = """
SELECT c.id, c.cardholder_id, c.account_id, c.first6, c.last4, c.product, c.status,
       c.controls, h.name, h.phone, h.language, h.timezone, h.phone_verified,
       a.currency, a.balance, c.pan_hash, p.preferences, g.ceilings
FROM cards c JOIN cardholders h ON h.id = c.cardholder_id JOIN accounts a ON a.id = c.account_id
LEFT JOIN alert_preferences p ON p.card_id = c.id LEFT JOIN ceilings g ON g.product = c.product
WHERE c.pan_hash = ANY(?) OR c.id = ANY(?) ORDER BY a.id, c.id FOR UPDATE OF a
"""


def card_record(row: Row) -> CardRecord:
    (cid, hid, aid, first6, last4, product, status, controls, name, phone, language,
     timezone, verified, currency, balance) = row
    return CardRecord(
        card=Card(cid, hid, aid, first6, last4, product, CardStatus(status)),
        cardholder=Cardholder(hid, name, phone, Language(language), timezone, bool(verified)),
        account=Account(aid, hid, currency, balance),
        controls=controls_load(controls),
    )


class SqlCards:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, card: Card, pan_hash: str, controls: Controls, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO cards (id, pan_hash, first6, last4, cardholder_id, account_id, "
            "product, status, controls, created_at, updated_at) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (card.id, pan_hash, card.first6, card.last4, card.cardholder_id, card.account_id,
             card.product, card.status.value, controls_json(controls), ts(at), ts(at)),
        )

    def get(self, card_id: str, lock: bool = False) -> CardRecord | None:
        suffix = self.db.lock_card if lock else ""
        row = self.db.one(_CARD_SELECT + " WHERE c.id = ?" + suffix, (card_id,))
        return card_record(row) if row else None

    def by_pan_hash(self, pan_hash: str, lock: bool = False) -> CardRecord | None:
        suffix = self.db.lock_card if lock else ""
        row = self.db.one(_CARD_SELECT + " WHERE c.pan_hash = ?" + suffix, (pan_hash,))
        return card_record(row) if row else None

    def set_status(self, card_id: str, status: CardStatus, at: datetime) -> None:
        self.db.execute("UPDATE cards SET status = ?, updated_at = ? WHERE id = ?",
                        (status.value, ts(at), card_id))

    def set_controls(self, card_id: str, controls: Controls, at: datetime) -> None:
        self.db.execute("UPDATE cards SET controls = ?, updated_at = ? WHERE id = ?",
                        (controls_json(controls), ts(at), card_id))

    def search(self, last4: str | None, phone: str | None, limit: int,
               after: str | None = None) -> list[CardRecord]:
        where, params = [], []
        if after is not None:
            where.append("c.id > ?")
            params.append(after)
        if last4:
            where.append("c.last4 = ?")
            params.append(last4)
        if phone:
            where.append("h.phone = ?")
            params.append(phone)
        sql = _CARD_SELECT + (" WHERE " + " AND ".join(where) if where else "")
        rows = self.db.all(sql + " ORDER BY c.id LIMIT ?", (*params, limit))
        return [card_record(r) for r in rows]

    def for_cardholder(self, cardholder_id: str) -> list[CardRecord]:
        rows = self.db.all(_CARD_SELECT + " WHERE c.cardholder_id = ? ORDER BY c.created_at",
                           (cardholder_id,))
        return [card_record(r) for r in rows]


class SqlCardholders:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, h: Cardholder, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO cardholders (id, name, phone, language, timezone, phone_verified, "
            "created_at) VALUES (?,?,?,?,?,?,?)",
            (h.id, h.name, h.phone, h.language.value, h.timezone, int(h.phone_verified), ts(at)),
        )

    def get(self, cardholder_id: str) -> Cardholder | None:
        row = self.db.one(
            "SELECT id, name, phone, language, timezone, phone_verified FROM cardholders "
            "WHERE id = ?", (cardholder_id,))
        if row is None:
            return None
        return Cardholder(row[0], row[1], row[2], Language(row[3]), row[4], bool(row[5]))

    def set_phone(self, cardholder_id: str, phone: str) -> None:
        self.db.execute("UPDATE cardholders SET phone = ?, phone_verified = 0 WHERE id = ?",
                        (phone, cardholder_id))


class SqlAccounts:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, a: Account, at: datetime) -> None:
        self.db.execute(
            "INSERT INTO accounts (id, cardholder_id, currency, balance, created_at) "
            "VALUES (?,?,?,?,?)", (a.id, a.cardholder_id, a.currency, a.balance, ts(at)))

    def get(self, account_id: str) -> Account | None:
        row = self.db.one("SELECT id, cardholder_id, currency, balance FROM accounts "
                          "WHERE id = ?", (account_id,))
        return Account(*row) if row else None

    def adjust_balance(self, account_id: str, delta: int) -> int:
        row = self.db.one("UPDATE accounts SET balance = balance + ? WHERE id = ? "
                          "RETURNING balance", (delta, account_id))
        assert row is not None, f"account {account_id} vanished"
        return int(row[0])


class SqlUsage:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, card_id: str, keys: Iterable[str], day: str, month: str) -> dict[str, Usage]:
        keys = tuple(keys)
        marks = ",".join("?" * len(keys))
        rows = self.db.all(
            f"SELECT counter, period, amount, count FROM usage_counters WHERE card_id = ? "
            f"AND counter IN ({marks}) AND period IN (?, ?)",
            (card_id, *keys, "D" + day, "M" + month),
        )
        found: dict[str, list[int]] = {}
        for counter, period, amount, count in rows:
            u = found.setdefault(counter, [0, 0, 0])
            if period[0] == "D":
                u[0], u[1] = amount, count
            else:
                u[2] = amount
        return {k: Usage(*v) for k, v in found.items()}

    def since(self, card_id: str, day: str, month: str) -> list[Row]:
        """Every counter of the card for the day ``day`` and the month ``month`` and later
        ones: (counter, period, amount, count)."""
        return self.db.all(
            "SELECT counter, period, amount, count FROM usage_counters WHERE card_id = ? "
            "AND ((period >= ? AND period < 'E') OR (period >= ? AND period < 'N'))",
            (card_id, "D" + day, "M" + month))

    def add(self, card_id: str, keys: Iterable[str], day: str, month: str, amount: int,
            count: int) -> None:
        rows = [(card_id, k, p, amount, count) for k in keys for p in ("D" + day, "M" + month)]
        self.db.defer_many(
            "INSERT INTO usage_counters (card_id, counter, period, amount, count) "
            "VALUES (?,?,?,?,?) ON CONFLICT (card_id, counter, period) DO UPDATE SET "
            "amount = usage_counters.amount + excluded.amount, "
            "count = usage_counters.count + excluded.count",
            rows,
        )

