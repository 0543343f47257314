"""Cards' recent activity in SQL: rebuilt from the recorded decisions and the audit trail
(``service_layer/activity.py`` says why), the places each card used kept in ``card_places``.
The writer's units of work keep the rebuilt activity in its cache (:class:`CachedActivity`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from smartguard.adapters.sql.cards import NAMED_CARDS, NAMED_HOLDERS
from smartguard.adapters.sql.codec import dt_req, ts
from smartguard.adapters.sql.db import Db, Row
from smartguard.adapters.sql.ledger import (
    AUTH_COLUMNS,
    REV_COLUMNS,
    SqlAuthorizations,
    SqlReversals,
    auth_record,
    reversal_record,
)
from smartguard.adapters.sql.misc import SqlAudit
from smartguard.domain.activity import CardActivity, change_kind
from smartguard.domain.rules import LIVE
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.service_layer.activity import HORIZON, rebuild
from smartguard.service_layer.records import (
    AuditEntry,
    AuthorizationRecord,
    CardRecord,
    ReversalRecord,
    ReversalStatus,
)

Statement = tuple[str, tuple[Any, ...]]

_CHANGES = (
    "SELECT action, MAX(at) FROM audit WHERE card_id = ? AND (action = 'enrol_card' OR "
    "action LIKE 'set_controls.%' OR action LIKE 'unlock.%' OR action LIKE 'agreement.%') "
    "GROUP BY action"
)
_PHONE = "SELECT MAX(at) FROM audit WHERE cardholder_id = ? AND action = 'change_phone'"

# The same reads for every card of a batch (PostgreSQL's lock phase), each answering
# nothing unless a rule is live: the server evaluates the EXISTS once per statement.
_IF_LIVE = " AND EXISTS (SELECT 1 FROM monitoring_rules WHERE status = ANY(?))"
_P_DECISIONS = (f"SELECT {AUTH_COLUMNS} FROM authorizations WHERE card_id IN {NAMED_CARDS} "
                "AND received_at >= ?" + _IF_LIVE)
_P_PARTIAL = (f"SELECT {REV_COLUMNS} FROM reversals WHERE card_id IN {NAMED_CARDS} "
              "AND status = ? AND actual_amount IS NOT NULL" + _IF_LIVE)
_P_CHANGES = ("SELECT card_id, action, MAX(at) FROM audit WHERE card_id IN " + NAMED_CARDS +
              " AND (action = 'enrol_card' OR action LIKE 'set_controls.%' OR action LIKE "
              "'unlock.%' OR action LIKE 'agreement.%')" + _IF_LIVE + " GROUP BY 1, 2")
_P_PHONE = ("SELECT cardholder_id, MAX(at) FROM audit WHERE cardholder_id IN " +
            NAMED_HOLDERS + " AND action = 'change_phone'" + _IF_LIVE + " GROUP BY 1")
_LIVE = [s.value for s in LIVE]


@dataclass(slots=True)
class Prefetched:
    """What a rebuild of one card's activity reads, read by a batch's lock phase."""

    timezone: str
    decisions: list[AuthorizationRecord] = field(default_factory=list)
    partial: dict[str, ReversalRecord] = field(default_factory=dict)
    changes: dict[str, datetime] = field(default_factory=dict)


def prefetch(now: datetime) -> list[Statement]:
    """The statements that read, for the cards a batch names (locks.py), what their
    activity's rebuild needs; :func:`remember` reads their answers."""
    return [(_P_DECISIONS, (ts(now - HORIZON), _LIVE)),
            (_P_PARTIAL, (ReversalStatus.APPLIED.value, _LIVE)),
            (_P_CHANGES, (_LIVE,)), (_P_PHONE, (_LIVE,))]


def remember(cache: ActivityCache, cards: Iterable[CardRecord],
             answers: list[list[Row]]) -> None:
    """Keep the answers of :func:`prefetch` per card (nothing when no rule was live)."""
    decisions, partial, changes, phone = answers
    if not (decisions or changes or phone):  # every card has its enrolment: no rule live
        return
    found = {c.card.id: Prefetched(c.cardholder.timezone) for c in cards}
    holders: dict[str, list[Prefetched]] = {}
    for c in cards:
        holders.setdefault(c.card.cardholder_id, []).append(found[c.card.id])
    for row in decisions:
        found[row[1]].decisions.append(auth_record(row))
    for row in partial:
        r = reversal_record(row)
        if r.authorization_id and r.card_id:
            found[r.card_id].partial[r.authorization_id] = r
    rows = [(found[r[0]], r[1], r[2]) for r in changes]
    rows += [(p, "change_phone", r[1]) for r in phone for p in holders.get(r[0], ())]
    for into, action, at in rows:
        kind = "enrolled" if action == "enrol_card" else change_kind(action)
        if kind is not None and at is not None:
            when = dt_req(at)
            into.changes[kind] = max(into.changes.get(kind, when), when)
    cache.prefetched.update(found)


class SqlActivity:
    def __init__(self, db: Db) -> None:
        self.db = db

    def get(self, card_id: str, cardholder_id: str, timezone: str,
            now: datetime) -> CardActivity:
        decisions = SqlAuthorizations(self.db).for_card(card_id, 1_000_000, now - HORIZON)
        partial = SqlReversals(self.db).partial_for_card(card_id)
        return rebuild(timezone, decisions, partial, self.places(card_id),
                       self._changes(card_id, cardholder_id))

    def _changes(self, card_id: str, cardholder_id: str) -> dict[str, datetime]:
        latest: dict[str, datetime] = {}
        rows = list(self.db.all(_CHANGES, (card_id,)))
        phone = self.db.one(_PHONE, (cardholder_id,))
        if phone is not None and phone[0] is not None:
            rows.append(("change_phone", phone[0]))
        for action, at in rows:
            kind = "enrolled" if action == "enrol_card" else change_kind(action)
            if kind is not None:
                when = dt_req(at)
                latest[kind] = max(latest.get(kind, when), when)
        return latest

    def places(self, card_id: str) -> set[str]:
        rows = self.db.all("SELECT place FROM card_places WHERE card_id = ?", (card_id,))
        return {r[0] for r in rows}

    def known_places(self, card_id: str, before: datetime) -> set[str]:
        rows = self.db.all("SELECT place FROM card_places WHERE card_id = ? AND first_at < ?",
                           (card_id, ts(before)))
        return {r[0] for r in rows}

    def cards_with_decisions(self, since: datetime) -> list[str]:
        rows = self.db.all("SELECT DISTINCT card_id FROM authorizations WHERE received_at >= ?"
                           " ORDER BY card_id", (ts(since),))
        return [r[0] for r in rows]

    def cached(self, card_id: str) -> CardActivity | None:
        return None  # a reader's or an uncached writer's: every get rebuilds

    def new_places(self, card_id: str, request: AuthorizationRequest) -> tuple[str, ...]:
        return _new(self.places(card_id), request)

    def add_places(self, card_id: str, places: Iterable[str], at: datetime) -> None:
        for place in places:  # no answer needed: sent with the next statement (db.py)
            self.db.defer(
                "INSERT INTO card_places (card_id, place, first_at) VALUES (?,?,?) "
                "ON CONFLICT (card_id, place) DO NOTHING", (card_id, place, ts(at)))


def _new(known: set[str], request: AuthorizationRequest) -> tuple[str, ...]:
    if not request.is_debit:
        return ()
    return tuple(p for p in (request.region, request.country) if p and p not in known)


class ActivityCache:
    """The writer cache's part for activity (cleared with the rest of it).

    On PostgreSQL, while rules are live, a batch's lock phase reads the rows a rebuild
    needs for every card it locks, in its one round trip (:func:`prefetch`): ``prefetched``
    holds them, as they stood when the batch began, until the card's activity is first
    wanted. :meth:`get` then rebuilds from them, and from there on every decision,
    reversal and change of the batch is fed to the rebuilt activity, exactly as when it is
    rebuilt by queries."""

    def __init__(self) -> None:
        self.activity: dict[str, CardActivity] = {}
        self.places: dict[str, set[str]] = {}
        self.prefetched: dict[str, Prefetched] = {}

    def clear(self) -> None:
        self.activity.clear()
        self.places.clear()
        self.prefetched.clear()

    def get(self, card_id: str) -> CardActivity | None:
        hit = self.activity.get(card_id)
        if hit is None and card_id in self.prefetched:
            p = self.prefetched.pop(card_id)
            hit = self.activity[card_id] = rebuild(
                p.timezone, p.decisions, p.partial, self.places.get(card_id, ()), p.changes)
        return hit


class CachedActivity(SqlActivity):
    def __init__(self, db: Db, cache: ActivityCache) -> None:
        super().__init__(db)
        self.cache = cache

    def get(self, card_id: str, cardholder_id: str, timezone: str,
            now: datetime) -> CardActivity:
        hit = self.cache.get(card_id)
        if hit is None or hit.timezone != timezone:
            hit = self.cache.activity[card_id] = super().get(card_id, cardholder_id,
                                                             timezone, now)
        return hit

    def cached(self, card_id: str) -> CardActivity | None:
        return self.cache.get(card_id)

    def new_places(self, card_id: str, request: AuthorizationRequest) -> tuple[str, ...]:
        if not request.is_debit:
            return ()
        known = self.cache.places.get(card_id)
        if known is None:
            known = self.cache.places[card_id] = self.places(card_id)
        return _new(known, request)

    def add_places(self, card_id: str, places: Iterable[str], at: datetime) -> None:
        places = tuple(places)
        super().add_places(card_id, places, at)
        known = self.cache.places.get(card_id)
        if known is not None:
            known.update(places)


class CachedAudit(SqlAudit):
    """Feeds the changes the rules watch (phone, protection, binding) to cached activity."""

    def __init__(self, db: Db, cache: ActivityCache) -> None:
        super().__init__(db)
        self.cache = cache

    def add(self, e: AuditEntry) -> None:
        super().add(e)
        kind = change_kind(e.action)
        if kind is None:
            return
        if e.card_id is None:
            self.cache.activity.clear()  # a cardholder's phone: rare, rebuild their cards
            self.cache.prefetched.clear()
            return
        hit = self.cache.get(e.card_id)
        if hit is not None:
            hit.changed(kind, e.at)
