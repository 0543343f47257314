"""The writer's challenges (step-up verification) on PostgreSQL: read with the batch's locks.

An authorization asks for its card's confirmed challenges (a confirmation it may use) and,
when it needs a verification, for the pending ones (one still open for the same purchase is
reused): two round trips per such job. The lock phase reads both statuses for every card
it locks (:func:`prefetch`, the newest 100 per card and status, as each read gives), and
:class:`CachedChallenges` answers from them; what the batch writes goes to the database
and to what was read. Other statuses, and cards the lock phase did not read (SQLite, whose
cache has no lock phase), are read as before."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from smartguard.adapters.sql.cards import NAMED_CARDS
from smartguard.adapters.sql.db import Db, Row
from smartguard.adapters.sql.misc import CHL_COLUMNS, SqlChallenges, challenge_record
from smartguard.domain.challenges import Challenge, ChallengeStatus

#: the statuses an authorization reads
READ = (ChallengeStatus.PENDING, ChallengeStatus.CONFIRMED)
LIMIT = 100  # per read (SqlChallenges.for_card)

_PREFETCH = (
    f"SELECT {CHL_COLUMNS} FROM (SELECT {CHL_COLUMNS}, row_number() OVER (PARTITION BY "
    f"card_id, status ORDER BY created_at DESC) AS n FROM challenges WHERE card_id IN "
    f"{NAMED_CARDS} AND status = ANY(?)) AS newest "
    f"WHERE n <= {LIMIT}"
)


def prefetch() -> tuple[str, tuple[object, ...]]:
    """For the lock phase's reads (locks.py): the named cards' challenges."""
    return _PREFETCH, ([s.value for s in READ],)


def remember(cache: dict[str, list[Challenge]], card_ids: Iterable[str],
             rows: Iterable[Row]) -> None:
    for card_id in card_ids:
        cache[card_id] = []
    for row in rows:
        c = challenge_record(row)
        cache[c.card_id].append(c)


class CachedChallenges(SqlChallenges):
    def __init__(self, db: Db, cache: dict[str, list[Challenge]]) -> None:
        super().__init__(db)
        self.cache = cache

    def for_card(self, card_id: str,
                 statuses: Iterable[ChallengeStatus] | None = None) -> list[Challenge]:
        wanted = None if statuses is None else set(statuses)
        known = self.cache.get(card_id)
        if known is None or wanted is None or not wanted <= set(READ):
            return super().for_card(card_id, statuses)
        found = sorted((c for c in known if c.status in wanted),
                       key=lambda c: c.created_at, reverse=True)
        return found[:LIMIT]

    def add(self, c: Challenge) -> None:
        super().add(c)
        known = self.cache.get(c.card_id)
        if known is not None:
            known.append(c)

    def set_status(self, challenge_id: str, status: ChallengeStatus, at: datetime) -> None:
        super().set_status(challenge_id, status, at)
        for known in self.cache.values():
            for i, c in enumerate(known):
                if c.id == challenge_id:
                    known[i] = replace(c, status=status, resolved_at=at)
