"""Use cases: the security check-up, recommendations, and the one-click fixes.

The report is computed on a read connection; a fix is then applied in a write job by the
ordinary use cases (``set_protection``, ``set_limits``, ``change_status``,
``change_agreement``), so it is validated and audited like any change. A fix computed from
settings that changed meanwhile is refused (409): the cardholder reloads the check-up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from smartguard.domain.advisor.checkup import Report, check_up, learn
from smartguard.domain.advisor.findings import Finding, FixAction
from smartguard.domain.advisor.recommend import Recommendations
from smartguard.domain.advisor.subject import LOOKBACK, Subject
from smartguard.domain.agreements import AgreementAction
from smartguard.domain.cards import StatusAction
from smartguard.domain.controls import values as s
from smartguard.domain.controls.values import ChannelLimits, Controls
from smartguard.errors import Conflict, Forbidden, UnknownCardholder, UnknownFinding
from smartguard.service_layer import agreements, cards, history, protections
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord


@dataclass(frozen=True, slots=True)
class CheckUp:
    card: CardRecord
    report: Report


def subject(uow: UnitOfWork, ctx: Context, card: CardRecord) -> Subject:
    now = ctx.clock()
    c = card.card
    return Subject(
        controls=card.controls, now=now,
        history=history.history(uow, c.id, (now - LOOKBACK).astimezone(UTC)),
        bindings=history.bindings(uow, c.id), timezone=card.cardholder.timezone,
        phone_verified=card.cardholder.phone_verified, status=c.status,
        ceilings=protections.ceilings_for(uow, ctx, c.product),
    )


def run_check_up(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str) -> CheckUp:
    card = cards.card_for(uow, actor, card_id)
    return CheckUp(card, check_up(subject(uow, ctx, card)))


def check_up_cardholder(uow: UnitOfWork, ctx: Context, actor: Actor, cardholder_id: str
                        ) -> list[CheckUp]:
    """The check-up of every card of one cardholder."""
    if actor.cardholder_id is not None and actor.cardholder_id != cardholder_id:
        raise Forbidden("this is another cardholder")
    if uow.cardholders.get(cardholder_id) is None:
        raise UnknownCardholder(f"no cardholder {cardholder_id}")
    return [CheckUp(card, check_up(subject(uow, ctx, card)))
            for card in uow.cards.for_cardholder(cardholder_id)]


def recommendations(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str
                    ) -> Recommendations:
    card = cards.card_for(uow, actor, card_id)
    return learn(subject(uow, ctx, card))[1]


def finding(checked: CheckUp, finding_id: str) -> Finding:
    found = checked.report.finding(finding_id)
    if found is None:
        raise UnknownFinding(f"the check-up has no finding {finding_id} now (already "
                             "fixed?); run the check-up again")
    if found.fix is None:
        raise UnknownFinding(f"finding {finding_id} has no one-click fix")
    return found


def apply_fix(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, found: Finding,
              seen: Controls) -> CardRecord:
    """Apply ``found``'s fix, computed from a check-up that saw the settings ``seen``."""
    fix = found.fix
    assert fix is not None
    card = cards.card_for(uow, actor, card_id, lock=True)
    if card.controls != seen:
        raise Conflict("the card's settings changed since this check-up; run it again")
    if fix.action is FixAction.SET_PROTECTION and fix.protection:
        assert fix.value is not None and not isinstance(fix.value, ChannelLimits)
        return protections.set_protection(uow, ctx, actor, card_id,
                                          s.ProtectionChange(fix.protection, fix.value))
    if fix.action is FixAction.SET_LIMITS and fix.channel:
        assert isinstance(fix.value, ChannelLimits)
        return protections.set_limits(uow, ctx, actor, card_id, fix.channel, fix.value)
    if fix.action is FixAction.FREEZE_CARD:
        return cards.change_status(uow, ctx, actor, card_id, StatusAction.FREEZE)
    assert fix.action is FixAction.SUSPEND_AGREEMENT and fix.agreement_id
    agreements.change_agreement(uow, ctx, actor, card_id, fix.agreement_id,
                                AgreementAction.SUSPEND)
    return cards.card_for(uow, actor, card_id)
