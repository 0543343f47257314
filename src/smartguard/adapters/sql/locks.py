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

from smartguard.adapters.sql.db import Db
from smartguard.service_layer.ports import RowLock


def lock_rows(db: Db, locks: list[RowLock]) -> None:
    pans = sorted({v for kind, v in locks if kind == "pan"})
    cards = sorted({v for kind, v in locks if kind == "card"})
    accounts = {v for kind, v in locks if kind == "account"}
    if pans or cards:
        rows = db.all("SELECT id, account_id FROM cards WHERE pan_hash = ANY(?) "
                      "OR id = ANY(?) ORDER BY id FOR UPDATE", (pans, cards))
        accounts.update(r[1] for r in rows)
    if accounts:
        db.all("SELECT id FROM accounts WHERE id = ANY(?) ORDER BY id FOR UPDATE",
               (sorted(accounts),))
