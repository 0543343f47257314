"""Row locks taken in one canonical order before a batch's jobs run (PostgreSQL), and what
the batch will read first, read with them in one round trip.

Two writers whose batches lock the same rows in different orders can deadlock: PostgreSQL
then aborts one of them. The writer names, for each job, the card it will lock (by PAN hash
or id) or the account (a posting); this takes every one of a batch's locks at once, cards
by id and then accounts by id, the same order in every process, so two batches on hot
cards wait for each other instead. A reversal sent without its PAN names its original's
key instead (``("original", "", key)``): the card of the decision recorded under it is
found first (one more round trip, only in such a batch) and locked with the others. Locks
a job takes that were not named (an original not committed yet when its batch began) may
still meet in the other order; PostgreSQL then reports a deadlock after
``deadlock_timeout`` (1 s by default) and the writer reruns the batch (writer.py), which is
rare. Before the original's card was named, two nodes under the ISO 8583 benchmark's mix
(reversals carry no PAN) deadlocked every few seconds: a p99 of 1.2 s.

With a (transaction's) cache and no account named on its own, the statements go out in one
pipeline, behind the deferred ``BEGIN`` (db.py): the cards locked; the cards read whole
with their accounts locked, their alert preferences and ceilings; the keys of pending
reversals; and the cards' usage counters of the days and months a request can fall in
now (the UTC date ± 1 day covers every zone); the places each card used before (monitoring
rules: adapters/sql/activity.py); and the decisions already recorded under the
keys the batch's authorizations look up first (their duplicates); the cards' pending and
confirmed challenges (adapters/sql/challenges.py) and open travel exceptions; the live
monitoring rules and, while any is live, what a rebuild of each card's recent activity
reads (decisions of the last 32 days, partial reversals, the changes the rules watch). The
server runs them in
that order, so every
row read is read under its lock: the cache holds it exactly for this transaction, and the
batch's jobs find it there instead of asking for it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from smartguard.adapters.sql import activity, challenges, travel
from smartguard.adapters.sql.cache import WriterCache
from smartguard.adapters.sql.cards import LOCK_SELECT, NAMED, NAMED_CARDS, card_record
from smartguard.adapters.sql.codec import ceilings_load
from smartguard.adapters.sql.db import Db, Row
from smartguard.adapters.sql.ledger import DECISIONS_BY_KEY, PENDING_KEYS
from smartguard.adapters.sql.outbox import preferences_load
from smartguard.adapters.sql.rules import live_rules, rules_from
from smartguard.domain.periods import day_key, month_key
from smartguard.service_layer.ports import Key, RowLock
from smartguard.service_layer.records import CardRecord

_LOCK_CARDS = ("SELECT id, account_id FROM cards WHERE pan_hash = ANY(?) OR id = ANY(?) "
               "ORDER BY id FOR UPDATE")
_USAGE = ("SELECT card_id, counter, period, amount, count FROM usage_counters "
          f"WHERE card_id IN {NAMED_CARDS} "
          "AND period = ANY(?)")
_PLACES = ("SELECT card_id, place FROM card_places WHERE card_id IN "
           f"{NAMED_CARDS}")


_ORIGINALS = ("SELECT DISTINCT card_id FROM authorizations WHERE (acquirer_id, stan, "
              "transmission_time) IN (SELECT * FROM unnest(?::text[], ?::text[], ?::text[]))")


def lock_rows(db: Db, locks: list[RowLock], cache: WriterCache | None = None,
              now: datetime | None = None) -> None:
    """Lock cards by id, then accounts by id (and read, see the module's docstring)."""
    pans = sorted({lock[1] for lock in locks if lock[0] == "pan"})
    named = {lock[1] for lock in locks if lock[0] == "card"}
    originals = sorted({lock[2] for lock in locks if lock[0] == "original" and len(lock) == 3})
    if originals:  # a reversal sent without its PAN: its original's card, found first
        named.update(r[0] for r in db.all(_ORIGINALS, tuple(map(list, zip(*originals,
                                                                           strict=True)))))
    cards = sorted(named)
    accounts = {lock[1] for lock in locks if lock[0] == "account"}
    if (pans or cards) and cache is not None and not accounts:
        keys = sorted({lock[2] for lock in locks if len(lock) == 3})
        _lock_and_read(db, (pans, cards), keys, cache, now or datetime.now(UTC))
        return
    if pans or cards:
        rows = db.all(_LOCK_CARDS, (pans, cards))
        accounts.update(r[1] for r in rows)
        if cache is not None:
            cache.locked_cards.update(r[0] for r in rows)
    if accounts:
        db.all("SELECT id FROM accounts WHERE id = ANY(?) ORDER BY id FOR UPDATE",
               (sorted(accounts),))
        if cache is not None:
            cache.locked.update(accounts)


def periods(now: datetime) -> list[str]:
    """The usage periods a request made at ``now`` can fall in, in any time zone."""
    days = [(now + timedelta(days=d)).date() for d in (-1, 0, 1)]
    found = {"D" + day_key(datetime(d.year, d.month, d.day)) for d in days}
    found |= {"M" + month_key(datetime(d.year, d.month, d.day)) for d in days}
    return sorted(found)


def _lock_and_read(db: Db, named: tuple[list[str], list[str]], keys: list[Key],
                   cache: WriterCache, now: datetime) -> None:
    wanted = periods(now)
    reads = [
        (PENDING_KEYS, ()), (_USAGE, (wanted,)), (_PLACES, ()), live_rules(),
        challenges.prefetch(), travel.prefetch(now), *activity.prefetch(now),
        *([(DECISIONS_BY_KEY, tuple(map(list, zip(*keys, strict=True))))] if keys else []),
    ]
    _, cards, (merged,) = db.pipeline([(_LOCK_CARDS, named), (LOCK_SELECT, named),
                                       as_one(reads, named)])
    found = answers(merged)
    pending, usage, places, rules, open_challenges, trips = found[:6]
    records = [_remember(row, cache) for row in cards]
    ids = [r.card.id for r in records]
    challenges.remember(cache.challenges, ids, open_challenges)
    cache.travel.remember(ids, trips, now)
    for row in cards:
        cache.activity.places[row[0]] = set()
    for card_id, place in places:
        cache.activity.places[card_id].add(place)
    cache.pending = {(r[0], r[1], r[2]) for r in pending}
    cache.usage_from(usage, [(r[0], p) for r in cards for p in wanted])
    cache.rules = rules_from(rules)
    activity.remember(cache.activity, records, found[6:10])
    if keys:
        cache.decisions_from(found[10], keys)


def as_one(statements: list[tuple[str, tuple[object, ...]]],
           named: tuple[list[str], list[str]]) -> tuple[str, tuple[object, ...]]:
    """Several SELECTs as one statement of one row, each one's rows a JSON array in a
    column (read back by :func:`answers`), with the cards ``named`` (PAN hashes, ids)
    found once for all of them (``NAMED``, cards.py). A statement costs the server and
    the driver about the same whatever it returns, and a lone batch's lock phase sent
    thirteen: most of a lone authorization's CPU on PostgreSQL (docs/performance.md).
    Sent after the locks, it reads what the separate statements read (READ COMMITTED: a
    snapshot taken when it starts). Every column involved is TEXT or an integer, which
    JSON keeps."""
    parts = [f"(SELECT coalesce(json_agg(r), '[]')::text FROM ({sql}) AS r)"
             for sql, _ in statements]
    params = tuple(p for _, given in statements for p in given)
    return f"WITH {NAMED} SELECT " + ", ".join(parts), (*named, *params)


def answers(row: Row) -> list[list[Row]]:
    """The rows of each statement given to :func:`as_one`, as tuples in column order (a
    row arrives as a JSON object; its pairs are read in order, so two columns of one name
    both stay)."""
    return [json.loads(text, object_pairs_hook=_values) for text in row]


def _values(pairs: list[tuple[str, object]]) -> Row:
    return tuple(v for _, v in pairs)


def _remember(row: Row, cache: WriterCache) -> CardRecord:
    record = cache.remember(card_record(row[:15]), row[15])
    cache.locked.add(record.card.account_id)
    cache.locked_cards.add(record.card.id)
    cache.preferences[record.card.id] = preferences_load(row[16]) if row[16] else None
    product = record.card.product
    if product not in cache.ceilings:
        cache.ceilings[product] = ceilings_load(row[17]) if row[17] else None
    return record
