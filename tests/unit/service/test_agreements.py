"""Quick-payment agreements (SPEC 3.10) through the service layer: the processor registers
a binding, the cardholder lists, suspends, resumes, revokes and limits it, and a quick
payment through an unknown, suspended or revoked binding, or above its limit, is declined
with its own reason."""

from __future__ import annotations

import pytest

from smartguard.domain.agreements import AgreementAction
from smartguard.domain.cards import StatusAction
from smartguard.domain.decisions import Outcome, Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.state import AgreementStatus
from smartguard.errors import Conflict, Forbidden, InvalidState, UnknownAgreement
from smartguard.service_layer import agreements as ag
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.context import Actor
from tests.builders import beijing, cny, quick_payment
from tests.unit.service.world import OPERATOR, Enrolled, World

PROCESSOR = Actor("key:processor", "api")


def register(world: World, card: Enrolled, agreement_id: str = "AGR1",
             payee: str = "Fast Pay Co", limits=(None, None)):
    return world.run(ag.register_agreement, PROCESSOR, CardRef(pan_hash=card.pan_hash),
                     agreement_id, payee, limits)


def change(world: World, card: Enrolled, action: AgreementAction, agreement_id="AGR1"):
    return world.run(ag.change_agreement, card.cardholder, card.card_id, agreement_id, action)


def pay(world: World, card: Enrolled, amount: int = cny(100), agreement_id="AGR1"):
    return world.authorize(card, quick_payment(agreement_id, amount)).record


def test_a_registered_agreement_is_active_and_pays(world, card):
    rec, created = register(world, card)
    assert created and rec.status is AgreementStatus.ACTIVE
    assert rec.created_at == world.clock.now
    assert pay(world, card).outcome is Outcome.APPROVE


def test_registering_again_answers_the_stored_binding(world, card):
    first, _ = register(world, card)
    again, created = register(world, card)
    assert again == first and not created


def test_an_agreement_id_bound_to_another_card_or_payee_is_a_conflict(world, card):
    register(world, card)
    with pytest.raises(Conflict):
        register(world, card, payee="Someone Else")
    with pytest.raises(Conflict):
        register(world, world.enrol())


def test_a_frozen_card_takes_no_new_binding(world, card):
    world.run(change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    with pytest.raises(InvalidState):
        register(world, card)


def test_a_new_binding_alerts_the_cardholder_and_is_audited(world, card):
    register(world, card, limits=(None, cny(500)))
    actions = [e.action for e in world.view().audit.for_card(card.card_id, 10)]
    assert "agreement.register" in actions
    sms = world.view().outbox.list(None, "sms", card.card_id, 10)
    assert [m.event for m in sms] == ["security.agreement_registered"]
    assert "Fast Pay Co" in sms[0].text and "日限额¥500.00" in sms[0].text
    assert sms[0].payload["agreement_id"] == "AGR1"


def test_registering_again_alerts_nobody(world, card):
    register(world, card)
    register(world, card)
    sms = world.view().outbox.list(None, "sms", card.card_id, 10)
    assert len(sms) == 1


def test_a_quick_payment_through_an_unknown_agreement_is_declined(world, card):
    assert pay(world, card, agreement_id="NOPE").verdicts[0].reason is \
        Reason.AGREEMENT_UNKNOWN


def test_a_suspended_agreement_declines_until_resumed(world, card):
    register(world, card)
    assert change(world, card, AgreementAction.SUSPEND).status is AgreementStatus.SUSPENDED
    assert pay(world, card).verdicts[0].reason is Reason.AGREEMENT_SUSPENDED
    assert change(world, card, AgreementAction.RESUME).status is AgreementStatus.ACTIVE
    assert pay(world, card).outcome is Outcome.APPROVE


def test_a_revoked_agreement_declines_for_good(world, card):
    register(world, card)
    change(world, card, AgreementAction.REVOKE)
    assert pay(world, card).verdicts[0].reason is Reason.AGREEMENT_REVOKED
    with pytest.raises(InvalidState):
        change(world, card, AgreementAction.RESUME)
    with pytest.raises(InvalidState):
        world.run(ag.set_agreement_limits, card.cardholder, card.card_id, "AGR1",
                  (cny(10), None))


def test_per_payment_and_daily_limits_decline_with_the_agreement_limit_reason(world, card):
    register(world, card)
    world.run(ag.set_agreement_limits, card.cardholder, card.card_id, "AGR1",
              (cny(300), cny(500)))
    over = pay(world, card, cny(301))
    assert (over.verdicts[0].reason, over.verdicts[0].detail) == (Reason.AGREEMENT_LIMIT,
                                                                  "per_txn")
    assert pay(world, card, cny(300)).outcome is Outcome.APPROVE
    day = pay(world, card, cny(201))
    assert (day.verdicts[0].reason, day.verdicts[0].detail) == (Reason.AGREEMENT_LIMIT,
                                                                "daily_amount")


def test_limits_above_the_banks_online_ceiling_are_refused(world, card):
    register(world, card)
    with pytest.raises(InvalidInput) as err:
        world.run(ag.set_agreement_limits, card.cardholder, card.card_id, "AGR1",
                  (None, cny(50_001)))
    assert err.value.code == "above_ceiling"


def test_an_approved_quick_payment_records_when_the_agreement_was_last_used(world, card):
    register(world, card)
    world.clock.set(beijing(20, 15))
    pay(world, card)
    assert world.view().agreements.get("AGR1").last_used_at == beijing(20, 15)
    world.clock.set(beijing(21))
    change(world, card, AgreementAction.SUSPEND)
    pay(world, card)  # declined: not a use
    assert world.view().agreements.get("AGR1").last_used_at == beijing(20, 15)


def test_each_change_is_audited_with_old_and_new_state(world, card):
    register(world, card)
    change(world, card, AgreementAction.SUSPEND)
    entry = world.view().audit.for_card(card.card_id, 1)[0]
    assert (entry.action, entry.actor) == ("agreement.suspend", card.cardholder.id)
    assert (entry.old["status"], entry.new["status"]) == ("active", "suspended")


def test_repeating_a_change_changes_and_audits_nothing(world, card):
    register(world, card)
    change(world, card, AgreementAction.SUSPEND)
    before = len(world.view().audit.for_card(card.card_id, 100))
    change(world, card, AgreementAction.SUSPEND)
    assert len(world.view().audit.for_card(card.card_id, 100)) == before


def test_the_cardholder_lists_the_bindings_of_the_card(world, card):
    register(world, card, "AGR1", "Fast Pay Co")
    register(world, card, "AGR2", "Wallet Ltd", (cny(100), cny(300)))
    found = ag.agreements_for(world.view(), card.cardholder, card.card_id)
    assert [(r.id, r.payee, r.daily_limit) for r in found] == [
        ("AGR1", "Fast Pay Co", None), ("AGR2", "Wallet Ltd", cny(300))]


def test_another_cardholder_can_neither_list_nor_change_the_bindings(world, card):
    register(world, card)
    other = world.enrol()
    with pytest.raises(Forbidden):
        ag.agreements_for(world.view(), other.cardholder, card.card_id)
    with pytest.raises(Forbidden):
        world.run(ag.change_agreement, other.cardholder, card.card_id, "AGR1",
                  AgreementAction.REVOKE)


def test_an_agreement_of_another_card_is_unknown_on_this_one(world, card):
    other = world.enrol()
    register(world, other)
    with pytest.raises(UnknownAgreement):
        world.run(ag.change_agreement, OPERATOR, card.card_id, "AGR1", AgreementAction.REVOKE)
