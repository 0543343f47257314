"""What the store keeps of the monitoring rules' work: hits, failures and their counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

HIT = "hit"
ERROR = "error"  # the rule failed at run time on this request (treated as not matched)


@dataclass(frozen=True, slots=True)
class RuleHitRecord:
    rule_id: str
    version: int
    authorization_id: str
    card_id: str
    at: datetime
    result: str  # HIT or ERROR
    enforced: bool  # False for a shadow rule's hit (and for every error)
    amount: int


@dataclass(frozen=True, slots=True)
class HitCount:
    hour: str  # UTC, "YYYY-MM-DDTHH"
    version: int
    result: str
    enforced: bool
    count: int
    amount: int
