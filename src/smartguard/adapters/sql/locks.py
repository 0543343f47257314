"""Row locks taken in one canonical order before a batch's jobs run (PostgreSQL).

Two writers whose batches lock the same rows in different orders can deadlock: PostgreSQL
then aborts one of them. The writer names, for each job, the card it will lock (by PAN hash
or id) or the account (a posting); this takes every one of a batch's locks at once, cards
by id and then accounts by id, the same order in every process, so two batches on hot
cards wait for each other instead. Locks a job takes that were not named (a reversal sent
without its PAN finds its card only through the original) may still meet in the other
order; the writer reruns a batch that deadlocks (writer.py), which is rare.
"""

from __future__ import annotations

from smartguard.adapters.sql.cache import WriterCache
from smartguard.adapters.sql.cards import LOCK_SELECT, card_record
from smartguard.adapters.sql.codec import ceilings_load
from smartguard.adapters.sql.db import Db
from smartguard.adapters.sql.outbox import preferences_load
from smartguard.service_layer.ports import RowLock


def lock_rows(db: Db, locks: list[RowLock], cache: WriterCache | None = None) -> None:
    """Lock cards by id, then accounts by id. With a (transaction's) cache and no account
    named on its own, the second statement also reads the cards whole, after their
    accounts are locked, with their alert preferences and ceilings, into the cache: the
    batch's jobs then find them there instead of reading each (exact: every row that can
    change under them is locked, and the cache lives for this transaction only)."""
    pans = sorted({v for kind, v in locks if kind == "pan"})
    cards = sorted({v for kind, v in locks if kind == "card"})
    accounts = {v for kind, v in locks if kind == "account"}
    ids: list[str] = []
    if pans or cards:
        rows = db.all("SELECT id, account_id FROM cards WHERE pan_hash = ANY(?) "
                      "OR id = ANY(?) ORDER BY id FOR UPDATE", (pans, cards))
        ids = [r[0] for r in rows]
        if cache is not None and not accounts:
            _read_locked(db, ids, cache)
            return
        accounts.update(r[1] for r in rows)
    if accounts:
        db.all("SELECT id FROM accounts WHERE id = ANY(?) ORDER BY id FOR UPDATE",
               (sorted(accounts),))


def _read_locked(db: Db, card_ids: list[str], cache: WriterCache) -> None:
    for row in db.all(LOCK_SELECT, (card_ids,)):
        record = cache.remember(card_record(row[:15]), row[15])
        cache.preferences[record.card.id] = preferences_load(row[16]) if row[16] else None
        product = record.card.product
        if product not in cache.ceilings:
            cache.ceilings[product] = ceilings_load(row[17]) if row[17] else None
