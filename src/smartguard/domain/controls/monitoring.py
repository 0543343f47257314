"""The bank's monitoring rules, as one rule of the engine (docs/rules.md).

The rules themselves run before the engine (their language lives outside the domain,
``service_layer/monitoring.py``); what they found for an enforced (active) rule is in
``state.monitoring``, and this rule gives it its place in the order: after every control
of the cardholder, the limits and the funds (so a cardholder's own lock or switch is the
primary reason, and decides first), before the verification rules. A step-up asked by a
rule is satisfied, as the others, by a confirmed challenge (``state.credit``).
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest


def monitoring_rule(
    req: AuthorizationRequest, state: CardState, local: datetime
) -> Verdict | None:
    verdict = state.monitoring
    if verdict is None:
        return None
    if verdict.reason is Reason.RULE_VERIFICATION and state.credit is not None:
        return None
    return verdict
