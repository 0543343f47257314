"""Check-up findings, their one-click fixes and the score.

A fix is one exact change, serialisable as JSON, applied by the existing use cases (so it is
validated and audited like any change): set one protection, set one channel's limits,
freeze the card, or suspend one quick-payment agreement.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from smartguard.domain.advisor.recommend import Value
from smartguard.domain.advisor.text import Text
from smartguard.domain.controls.codec import controls_to_dict, limits_to_dict
from smartguard.domain.controls.values import ChannelLimits, Controls, Protection
from smartguard.domain.transactions import Channel


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"


#: Points a finding takes off the score of 100 (never below 0).
WEIGHTS: dict[Severity, int] = {
    Severity.HIGH: 25, Severity.MEDIUM: 10, Severity.LOW: 5, Severity.INFO: 0,
}
_ORDER = {s: i for i, s in enumerate(Severity)}


class FixAction(StrEnum):
    SET_PROTECTION = "set_protection"
    SET_LIMITS = "set_limits"
    FREEZE_CARD = "freeze_card"
    SUSPEND_AGREEMENT = "suspend_agreement"


@dataclass(frozen=True, slots=True)
class Fix:
    action: FixAction
    protection: Protection | None = None  # SET_PROTECTION
    channel: Channel | None = None  # SET_LIMITS
    agreement_id: str | None = None  # SUSPEND_AGREEMENT
    value: Value | None = None  # the new protection value or channel limits

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"action": self.action.value}
        if self.action is FixAction.SET_PROTECTION and self.protection:
            out["protection"] = self.protection
            out["value"] = value_dict(self.protection, self.value)
        elif self.action is FixAction.SET_LIMITS and self.channel:
            out["channel"] = self.channel.value
            out["value"] = value_dict("limits", self.value)
        elif self.action is FixAction.SUSPEND_AGREEMENT:
            out["agreement_id"] = self.agreement_id
        return out


def value_dict(protection: str, value: Value | None) -> Any:
    """A protection's value (or one channel's limits, for ``limits``) as the API shows it."""
    if value is None:
        return None
    if protection == "limits":
        assert isinstance(value, ChannelLimits)
        return limits_to_dict(value)
    changed: dict[str, Any] = {protection: value}
    return controls_to_dict(replace(Controls(), **changed))[protection]


def set_protection(name: Protection, value: Value | None) -> Fix | None:
    return None if value is None else Fix(FixAction.SET_PROTECTION, protection=name,
                                          value=value)


FREEZE = Fix(FixAction.FREEZE_CARD)


@dataclass(frozen=True, slots=True)
class Finding:
    id: str  # stable for the same situation: names the fix endpoint
    severity: Severity
    title: Text
    explanation: Text
    fix: Fix | None = None
    evidence: tuple[str, ...] = ()  # authorization ids behind the finding


def score(findings: list[Finding] | tuple[Finding, ...]) -> int:
    return max(0, 100 - sum(WEIGHTS[f.severity] for f in findings))


def ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (_ORDER[f.severity], f.id)))
