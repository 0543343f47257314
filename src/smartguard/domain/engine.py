"""The decision engine: runs every rule, in the order of :data:`RULES`, over one request.

The answer is the strictest outcome: any decline reason declines; otherwise a verification
reason asks for verification; otherwise the request is approved. Every triggered reason is
kept, and the first one (in rule order) is the primary reason.
"""

from __future__ import annotations

from datetime import datetime

from smartguard.domain.controls import Rule
from smartguard.domain.controls.funds import funds
from smartguard.domain.controls.limits import amount_limit, frequency_limit
from smartguard.domain.controls.locks import (
    night_lock,
    overseas_cnp_lock,
    overseas_lock,
    region_lock,
)
from smartguard.domain.controls.quick_pay import quick_pay_agreement
from smartguard.domain.controls.status import card_status
from smartguard.domain.controls.verification import (
    large_purchase_verification,
    magstripe_verification,
)
from smartguard.domain.decisions import VERIFICATION_REASONS, Decision, Outcome, Verdict
from smartguard.domain.periods import local_time
from smartguard.domain.state import CardState
from smartguard.domain.transactions import AuthorizationRequest

#: The order of the rules is the order of precedence of their reasons (SPEC 3).
RULES: tuple[Rule, ...] = (
    card_status,
    region_lock,
    overseas_lock,
    night_lock,
    overseas_cnp_lock,
    quick_pay_agreement,
    amount_limit,
    frequency_limit,
    funds,
    magstripe_verification,
    large_purchase_verification,
)

_APPROVE = Decision(Outcome.APPROVE)


def decide(
    request: AuthorizationRequest,
    state: CardState,
    now: datetime,
    rules: tuple[Rule, ...] = RULES,
) -> Decision:
    """Decide ``request`` for a card in ``state`` at ``now`` (an aware datetime)."""
    local = local_time(now, state.timezone)
    verdicts: list[Verdict] = []
    for rule in rules:
        verdict = rule(request, state, local)
        if verdict is not None:
            verdicts.append(verdict)
    if not verdicts:
        credit = state.credit
        if credit is None:
            return _APPROVE
        return Decision(Outcome.APPROVE, challenge_used=credit.challenge_id)
    if all(v.reason in VERIFICATION_REASONS for v in verdicts):
        return Decision(Outcome.VERIFY, tuple(verdicts))
    return Decision(Outcome.DECLINE, tuple(verdicts))
