"""The storage protocol of the bank's monitoring rules: cards' recent activity and the rules
themselves (part of :class:`~smartguard.service_layer.ports.UnitOfWork`, re-exported there)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Protocol

from smartguard.domain.activity import CardActivity
from smartguard.domain.rules import MonitoringRule
from smartguard.domain.transactions import AuthorizationRequest
from smartguard.service_layer.rule_records import HitCount, RuleHitRecord

__all__ = ["ActivityRepository", "RuleRepository"]


class ActivityRepository(Protocol):
    """Cards' recent activity for the monitoring rules (service_layer/activity.py)."""

    def get(self, card_id: str, cardholder_id: str, timezone: str,
            now: datetime) -> CardActivity:
        """Rebuilt from the recorded decisions, or the writer's cached copy."""
        ...

    def cached(self, card_id: str) -> CardActivity | None:
        """The writer's cached copy, fed live; None when there is none."""
        ...

    def new_places(self, card_id: str, request: AuthorizationRequest) -> tuple[str, ...]:
        """The places of ``request`` (province, country) the card never used."""
        ...

    def add_places(self, card_id: str, places: Iterable[str], at: datetime) -> None: ...
    def known_places(self, card_id: str, before: datetime) -> set[str]:
        """The places the card first used before ``before`` (a backtest's start)."""
        ...

    def cards_with_decisions(self, since: datetime) -> list[str]:
        """The ids of the cards with a decision recorded at or after ``since``."""
        ...


class RuleRepository(Protocol):
    def add(self, rule: MonitoringRule) -> None:
        """A new version of a rule."""
        ...

    def update(self, rule: MonitoringRule) -> None:
        """A version's status moved (or who asked for its activation)."""
        ...

    def versions(self, rule_id: str) -> list[MonitoringRule]: ...
    def all(self) -> list[MonitoringRule]:
        """The latest version of every rule."""
        ...

    def live(self) -> tuple[MonitoringRule, ...]:
        """Per rule, its latest shadow or active version."""
        ...

    def add_hits(self, hits: Iterable[RuleHitRecord]) -> None: ...
    def hit_counts(self, rule_id: str, since: datetime) -> list[HitCount]: ...
