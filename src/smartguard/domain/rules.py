"""The bank's monitoring rules (docs/rules.md): what a rule is, its lifecycle, its errors.

A rule is data: a boolean expression in CEL over the variables of
:mod:`smartguard.domain.rule_variables`, an action, and its message in zh-CN and en. The
language itself lives outside the domain (``adapters/cel_rules.py``); the domain knows only
the :class:`CompiledRule` protocol it answers through.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from smartguard.domain.errors import InvalidInput


class RuleCompileError(InvalidInput):
    """A rule that cannot be saved: a syntax error, an unknown variable, a non-boolean
    result or a cost over the limit, at ``line``:``column`` (1-based)."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__("expression", f"{message} (line {line}, column {column})",
                         "rule_invalid")
        self.plain = message
        self.line = line
        self.column = column


class RuleRuntimeError(Exception):
    """A rule that failed on one request: counted, logged, treated as not matched."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CompiledRule(Protocol):
    def matches(self, resolve: Callable[[str], object]) -> bool: ...

    def could_match(self, resolve: Callable[[str], object]) -> bool:
        """False when the rule cannot match whatever the values ``resolve`` does not give
        (None) turn out to be: a cheap screen on a few of them. True says nothing."""
        ...


class RuleLanguage(Protocol):
    def compile(self, source: str) -> CompiledRule: ...


class RuleAction(StrEnum):
    DECLINE = "decline"
    VERIFY = "verify"  # step-up verification (a challenge, as the verification rules)
    ALERT = "alert"  # let through; flag to operators and alert the cardholder


class RuleStatus(StrEnum):
    DRAFT = "draft"
    SHADOW = "shadow"  # evaluated on live traffic, hits recorded, nothing enforced
    ACTIVE = "active"
    RETIRED = "retired"


#: The moves a rule may make (any other is refused).
TRANSITIONS: dict[RuleStatus, frozenset[RuleStatus]] = {
    RuleStatus.DRAFT: frozenset({RuleStatus.SHADOW, RuleStatus.ACTIVE, RuleStatus.RETIRED}),
    RuleStatus.SHADOW: frozenset({RuleStatus.DRAFT, RuleStatus.ACTIVE, RuleStatus.RETIRED}),
    RuleStatus.ACTIVE: frozenset({RuleStatus.SHADOW, RuleStatus.RETIRED}),
    RuleStatus.RETIRED: frozenset(),
}
LIVE = frozenset({RuleStatus.SHADOW, RuleStatus.ACTIVE})


def check_transition(old: RuleStatus, new: RuleStatus) -> None:
    if new not in TRANSITIONS[old]:
        raise InvalidInput("status", f"a {old} rule cannot become {new}",
                           "invalid_rule_transition")


@dataclass(frozen=True, slots=True)
class MonitoringRule:
    """One version of a rule. Editing a rule makes a new version (back to draft)."""

    id: str
    version: int
    name: str
    expression: str
    action: RuleAction
    status: RuleStatus
    message_zh: str
    message_en: str
    author: str
    updated_at: datetime
    activation_requested_by: str | None = None  # four eyes: who asked, waiting for another

    def __post_init__(self) -> None:
        if not self.id or not self.name.strip():
            raise InvalidInput("name", "a rule needs a name")
        if not self.message_zh.strip() or not self.message_en.strip():
            raise InvalidInput("message", "a rule needs its message in zh-CN and en")

    def message(self, language: str) -> str:
        return self.message_zh if language.startswith("zh") else self.message_en


@dataclass(frozen=True, slots=True)
class RuleHit:
    """A rule that matched a request; ``enforced`` False for a shadow rule."""

    rule_id: str
    version: int
    action: RuleAction
    enforced: bool


def latest(rules: Iterable[MonitoringRule]) -> list[MonitoringRule]:
    """The highest version of each rule, by rule id."""
    top: dict[str, MonitoringRule] = {}
    for rule in rules:
        if rule.id not in top or rule.version > top[rule.id].version:
            top[rule.id] = rule
    return sorted(top.values(), key=lambda r: r.id)
