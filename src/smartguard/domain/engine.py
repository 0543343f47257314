"""The decision engine: runs every rule, in the order of :data:`RULES`, over one request.

The answer is the strictest outcome: any decline reason declines; otherwise a verification
reason asks for verification; otherwise the request is approved. Every triggered reason is
kept, and the first one (in rule order) is the primary reason. Findings of controls in
alert-only mode decline nothing: they ride along as the decision's ``alerts``.
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
from smartguard.domain.controls.merchants import category_amount, category_block, merchant_block
from smartguard.domain.controls.monitoring import monitoring_rule
from smartguard.domain.controls.quick_pay import quick_pay_agreement
from smartguard.domain.controls.status import card_status
from smartguard.domain.controls.switches import channel_switches
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
    merchant_block,
    region_lock,
    overseas_lock,
    night_lock,
    overseas_cnp_lock,
    channel_switches,
    category_block,
    quick_pay_agreement,
    amount_limit,
    category_amount,
    frequency_limit,
    funds,
    monitoring_rule,
    magstripe_verification,
    large_purchase_verification,
)

_APPROVE = Decision(Outcome.APPROVE)
_APPROVED, _DECLINE, _VERIFY = Outcome.APPROVE, Outcome.DECLINE, Outcome.VERIFY


def decide(
    request: AuthorizationRequest,
    state: CardState,
    now: datetime,
    rules: tuple[Rule, ...] = RULES,
) -> Decision:
    """Decide ``request`` for a card in ``state`` at ``now`` (an aware datetime)."""
    local = local_time(now, state.timezone)
    verdicts: list[Verdict] = []
    soft = False
    for rule in rules:
        verdict = rule(request, state, local)
        if verdict is not None:
            verdicts.append(verdict)
            soft = soft or verdict.alert_only
    if not verdicts:
        credit = state.credit
        if credit is None:
            return _APPROVE
        return Decision(_APPROVED, (), credit.challenge_id)
    return _outcome(verdicts, state, soft)


def _outcome(verdicts: list[Verdict], state: CardState, soft: bool) -> Decision:
    """The strictest outcome of ``verdicts``; alert-only ones become the alerts."""
    alerts: tuple[Verdict, ...] = ()
    if soft:
        alerts = tuple(v for v in verdicts if v.alert_only)
        verdicts = [v for v in verdicts if not v.alert_only]
        if not verdicts:
            credit = state.credit
            return Decision(_APPROVED, (), credit.challenge_id if credit else None, alerts)
    for v in verdicts:
        if v.reason not in VERIFICATION_REASONS:
            return Decision(_DECLINE, tuple(verdicts), None, alerts)
    return Decision(_VERIFY, tuple(verdicts), None, alerts)
