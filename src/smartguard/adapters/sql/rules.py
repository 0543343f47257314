"""Monitoring rules and their hits in SQL. The writer's cache keeps the live rules (every
write here, or any other process's commit, drops them)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from smartguard.adapters.sql.codec import dt_req, ts
from smartguard.adapters.sql.db import Db, Row
from smartguard.domain.rules import LIVE, MonitoringRule, RuleAction, RuleStatus, latest
from smartguard.service_layer.rule_records import HitCount, RuleHitRecord

if TYPE_CHECKING:
    from smartguard.adapters.sql.cache import WriterCache

_COLUMNS = ("id, version, name, expression, action, status, message_zh, message_en, author, "
            "updated_at, activation_requested_by")


def _rule(r: Row) -> MonitoringRule:
    return MonitoringRule(r[0], int(r[1]), r[2], r[3], RuleAction(r[4]), RuleStatus(r[5]),
                          r[6], r[7], r[8], dt_req(r[9]), r[10])


def live_rules() -> tuple[str, tuple[object, ...]]:
    """The statement :meth:`SqlRules.live` runs, for a pipeline (PostgreSQL)."""
    return (f"SELECT {_COLUMNS} FROM monitoring_rules WHERE status = ANY(?)",
            ([s.value for s in LIVE],))


def rules_from(rows: Iterable[Row]) -> tuple[MonitoringRule, ...]:
    return tuple(latest(_rule(r) for r in rows))


class SqlRules:
    def __init__(self, db: Db) -> None:
        self.db = db

    def add(self, rule: MonitoringRule) -> None:
        self.db.execute(
            f"INSERT INTO monitoring_rules ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (rule.id, rule.version, rule.name, rule.expression, rule.action.value,
             rule.status.value, rule.message_zh, rule.message_en, rule.author,
             ts(rule.updated_at), rule.activation_requested_by))

    def update(self, rule: MonitoringRule) -> None:
        """A version's status (and who asked for its activation) moved."""
        self.db.execute(
            "UPDATE monitoring_rules SET status = ?, activation_requested_by = ?, "
            "updated_at = ? WHERE id = ? AND version = ?",
            (rule.status.value, rule.activation_requested_by, ts(rule.updated_at), rule.id,
             rule.version))

    def versions(self, rule_id: str) -> list[MonitoringRule]:
        rows = self.db.all(f"SELECT {_COLUMNS} FROM monitoring_rules WHERE id = ? "
                           "ORDER BY version", (rule_id,))
        return [_rule(r) for r in rows]

    def all(self) -> list[MonitoringRule]:
        rows = self.db.all(f"SELECT {_COLUMNS} FROM monitoring_rules ORDER BY id, version")
        return latest(_rule(r) for r in rows)

    def live(self) -> tuple[MonitoringRule, ...]:
        """Per rule, its latest shadow or active version."""
        marks = ",".join("?" * len(LIVE))
        rows = self.db.all(f"SELECT {_COLUMNS} FROM monitoring_rules WHERE status IN "
                           f"({marks})", tuple(s.value for s in LIVE))
        return rules_from(rows)

    def add_hits(self, hits: Iterable[RuleHitRecord]) -> None:
        rows = [(h.rule_id, h.version, h.authorization_id, h.card_id, ts(h.at), h.result,
                 int(h.enforced), h.amount) for h in hits]
        if rows:  # no answer needed: sent with the next statement (db.py)
            self.db.defer_many(
                "INSERT INTO rule_hits (rule_id, version, authorization_id, card_id, at, "
                "result, enforced, amount) VALUES (?,?,?,?,?,?,?,?)", rows)

    def hit_counts(self, rule_id: str, since: datetime) -> list[HitCount]:
        rows = self.db.all(
            "SELECT substr(at, 1, 13), version, result, enforced, COUNT(*), SUM(amount) "
            "FROM rule_hits WHERE rule_id = ? AND at >= ? GROUP BY 1, 2, 3, 4 ORDER BY 1",
            (rule_id, ts(since)))
        return [HitCount(r[0], int(r[1]), r[2], bool(r[3]), int(r[4]), int(r[5] or 0))
                for r in rows]


class CachedRules(SqlRules):
    def __init__(self, db: Db, cache: WriterCache) -> None:
        super().__init__(db)
        self.cache = cache

    def live(self) -> tuple[MonitoringRule, ...]:
        if self.cache.rules is None:
            self.cache.rules = super().live()
        return self.cache.rules  # type: ignore[return-value]

    def add(self, rule: MonitoringRule) -> None:
        super().add(rule)
        self.cache.rules = None

    def update(self, rule: MonitoringRule) -> None:
        super().update(rule)
        self.cache.rules = None
