"""Travel exceptions in SQL. Instants are stored as UTC ISO text (text order = time order)."""

from __future__ import annotations

from datetime import UTC, datetime

from smartguard.adapters.sql.cards import NAMED_CARDS
from smartguard.adapters.sql.codec import dt, dt_req
from smartguard.adapters.sql.db import Db, Row
from smartguard.service_layer.records import TravelRecord

_COLUMNS = (
    "id, card_id, place, kind, starts_at, ends_at, planned_end, created_at, created_by, "
    "cancelled_at, start_announced_at, end_announced_at"
)


def utc(value: datetime | None) -> str | None:
    return None if value is None else value.astimezone(UTC).isoformat()


def _record(row: Row) -> TravelRecord:
    return TravelRecord(
        id=row[0], card_id=row[1], place=row[2], kind=row[3], starts_at=dt_req(row[4]),
        ends_at=dt_req(row[5]), planned_end=dt_req(row[6]), created_at=dt_req(row[7]),
        created_by=row[8], cancelled_at=dt(row[9]), start_announced_at=dt(row[10]),
        end_announced_at=dt(row[11]),
    )


class SqlTravel:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, r: TravelRecord) -> None:
        self.db.execute(
            f"INSERT INTO travel_exceptions ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (r.id, r.card_id, r.place, r.kind, utc(r.starts_at), utc(r.ends_at),
             utc(r.planned_end), utc(r.created_at), r.created_by, utc(r.cancelled_at),
             utc(r.start_announced_at), utc(r.end_announced_at)))

    def get(self, travel_id: str) -> TravelRecord | None:
        row = self.db.one(f"SELECT {_COLUMNS} FROM travel_exceptions WHERE id = ?",
                          (travel_id,))
        return _record(row) if row else None

    def update(self, r: TravelRecord) -> None:
        self.db.execute(
            "UPDATE travel_exceptions SET ends_at = ?, cancelled_at = ?, "
            "start_announced_at = ?, end_announced_at = ? WHERE id = ?",
            (utc(r.ends_at), utc(r.cancelled_at), utc(r.start_announced_at),
             utc(r.end_announced_at), r.id))

    def for_card(self, card_id: str, ending_after: datetime | None = None
                 ) -> list[TravelRecord]:
        rows = self.db.all(
            f"SELECT {_COLUMNS} FROM travel_exceptions WHERE card_id = ? AND ends_at > ? "
            "ORDER BY starts_at, id", (card_id, utc(ending_after) or ""))
        return [_record(r) for r in rows]

    def due(self, now: datetime, limit: int) -> list[TravelRecord]:
        """What is due, locked (PostgreSQL: ``SKIP LOCKED``, so that two nodes' announcers
        running at once never take the same exception, and announce it once)."""
        at = utc(now)
        skip = self.db.for_update and " FOR UPDATE SKIP LOCKED"
        rows = self.db.all(
            f"SELECT {_COLUMNS} FROM travel_exceptions WHERE id IN ("
            "SELECT id FROM travel_exceptions WHERE start_announced_at IS NULL "
            "AND starts_at <= ? UNION "
            "SELECT id FROM travel_exceptions WHERE end_announced_at IS NULL "
            "AND ends_at <= ?) ORDER BY starts_at, id LIMIT ?" + skip, (at, at, limit))
        return [_record(r) for r in rows]


def prefetch(now: datetime) -> tuple[str, tuple[object, ...]]:
    """For a batch's lock phase (PostgreSQL): the exceptions of the cards it names that
    have not ended at ``now`` (each job asks later, so for a part of these)."""
    return (f"SELECT {_COLUMNS} FROM travel_exceptions WHERE card_id IN {NAMED_CARDS} "
            "AND ends_at > ?", (utc(now),))


class TravelCache:
    """What the lock phase read, by card, and from when (cleared with the writer cache)."""

    def __init__(self) -> None:
        self.cards: dict[str, list[TravelRecord]] = {}
        self.since: datetime | None = None

    def clear(self) -> None:
        self.cards.clear()
        self.since = None

    def remember(self, card_ids: list[str], rows: list[Row], since: datetime) -> None:
        self.cards = {card_id: [] for card_id in card_ids}
        self.since = since
        for row in rows:
            r = _record(row)
            self.cards[r.card_id].append(r)


class CachedTravel(SqlTravel):
    """An authorization reads its card's open exceptions: from what the lock phase read
    when it covers the question, else from the database. A write forgets the card."""

    def __init__(self, db: Db, cache: TravelCache) -> None:
        super().__init__(db)
        self.cache = cache

    def for_card(self, card_id: str, ending_after: datetime | None = None
                 ) -> list[TravelRecord]:
        known = self.cache.cards.get(card_id)
        since = self.cache.since
        if known is None or ending_after is None or since is None or ending_after < since:
            return super().for_card(card_id, ending_after)
        return sorted((r for r in known if r.ends_at > ending_after),
                      key=lambda r: (r.starts_at, r.id))

    def add(self, r: TravelRecord) -> None:
        super().add(r)
        self.cache.cards.pop(r.card_id, None)

    def update(self, r: TravelRecord) -> None:
        super().update(r)
        self.cache.cards.pop(r.card_id, None)
