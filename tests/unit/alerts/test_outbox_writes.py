"""Alerts are written to the outbox in the same transaction as the event that causes them
(SPEC 5): nothing is sent from a use case, and a rolled-back event leaves no alert."""

from __future__ import annotations

from dataclasses import replace

import pytest

from smartguard.domain.alerts import CODE_MARK, preferences
from smartguard.domain.cards import StatusAction
from smartguard.domain.controls import values as s
from smartguard.domain.transactions import Posting
from smartguard.errors import StoreUnavailable
from smartguard.service_layer import alert_preferences, cards, postings, protections
from smartguard.service_layer import authorize as az
from tests.builders import (
    balance_inquiry,
    change,
    cny,
    large_purchase,
    pos_purchase,
    region_lock,
    reversal_of,
)
from tests.fakes import everything_stored
from tests.unit.alerts.conftest import outbox
from tests.unit.service.world import OPERATOR


def events(world, channel="sms"):
    return [m.event for m in outbox(world, channel)]


def test_approved_purchase_writes_a_balance_change_sms_and_webhook(world, card):
    world.authorize(card, pos_purchase(cny(100)))
    assert events(world) == ["balance_change.debit"]
    assert events(world, "webhook") == ["balance_change.debit"]
    message = outbox(world)[0]
    assert message.recipient == "+8613800138000"
    assert "¥100.00" in message.text and "¥9,900.00" in message.text


def test_nothing_is_written_when_the_authorization_rolls_back(world, card):
    with pytest.raises(StoreUnavailable), world.store.uow() as uow:
        az.authorize(uow, world.ctx, az.CardRef(pan_hash=card.pan_hash), pos_purchase())
        raise StoreUnavailable("the commit never happens")
    assert outbox(world, None) == []


def test_a_duplicate_authorization_writes_no_second_alert(world, card):
    r = pos_purchase(cny(100))
    world.authorize(card, r)
    world.authorize(card, r)
    assert events(world) == ["balance_change.debit"]


def test_region_lock_decline_writes_a_decline_alert(world):
    card = world.enrol(controls=s.Controls(region_lock=region_lock("CN-BJ")))
    world.authorize(card, pos_purchase(region="CN-GD"))
    assert events(world) == ["decline"]


def test_atm_balance_inquiry_writes_an_inquiry_alert(world, card):
    world.authorize(card, balance_inquiry())
    assert events(world) == ["balance_inquiry"]


def test_verification_sms_carries_the_code_only_sealed(world):
    card = world.enrol(controls=s.Controls(verification=large_purchase(cny(5_000))))
    result = world.authorize(card, pos_purchase(cny(6_000)))
    sms, hook = outbox(world)[0], outbox(world, "webhook")[0]
    code = result.challenge.code
    assert sms.event == "verification" and CODE_MARK in sms.text
    assert world.ctx.unseal(sms.sealed) == code
    assert hook.sealed is None
    assert code not in everything_stored(world.store)


def test_reversal_writes_a_credit_alert_with_the_restored_balance(world, card):
    r = pos_purchase(cny(100))
    world.authorize(card, r)
    world.reverse(reversal_of(r))
    last = outbox(world)[-1]
    assert last.event == "balance_change.credit"
    assert last.payload["balance"] == cny(10_000)


def test_a_reversal_that_moves_nothing_writes_no_balance_alert(world, card):
    inquiry, purchase = balance_inquiry(), pos_purchase(cny(100))
    world.authorize(card, inquiry)
    world.reverse(reversal_of(inquiry))
    world.authorize(card, purchase)
    world.reverse(reversal_of(purchase, actual=cny(100)))  # all of it took place
    assert events(world) == ["balance_inquiry", "balance_change.debit"]


def test_posting_writes_a_balance_change_alert(world, card):
    world.run(postings.post, Posting("P1", card.account_id, cny(500), "Salary"))
    assert outbox(world)[-1].payload["description"] == "Salary"


def test_threshold_keeps_small_changes_quiet(world, card):
    world.run(alert_preferences.set_preferences, card.cardholder, card.card_id,
              preferences({}, cny(1_000)))
    before = len(outbox(world))
    world.authorize(card, pos_purchase(cny(999)))
    assert len(outbox(world)) == before


def test_freezing_from_the_app_sends_a_security_alert(world, card):
    world.run(cards.change_status, card.cardholder, card.card_id, StatusAction.FREEZE)
    assert events(world) == ["security.frozen"]


def test_changing_a_protection_sends_a_security_alert(world, card):
    world.run(protections.set_protection, card.cardholder, card.card_id, change("overseas_cnp_lock",
              True))
    assert outbox(world)[0].payload["name"] == "overseas_cnp_lock"


def test_phone_change_alerts_the_old_and_the_new_number(world, card):
    world.run(alert_preferences.change_phone, OPERATOR, card.cardholder_id, "+8613900000002")
    assert [m.recipient for m in outbox(world)] == ["+8613800138000", "+8613900000002"]
    assert world.card(card).cardholder.phone == "+8613900000002"
    entry = world.view().tables.audit[-1]
    assert (entry.action, entry.old, entry.new) == ("change_phone", "+86138****8000",
                                                    "+86139****0002")


def test_only_the_channels_the_bank_enabled_are_written(world, card):
    world.ctx = replace(world.ctx, alert_channels=frozenset({"sms"}))
    world.authorize(card, pos_purchase())
    assert outbox(world, "webhook") == []
