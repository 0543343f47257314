"""Enrolment (SPEC 1): a cardholder has an E.164 phone, a language (zh-CN default, en) and
an IANA home zone (Asia/Shanghai default); an account has an ISO 4217 currency and a
balance; a card has a valid PAN that is never stored in clear (only a keyed hash and its
first 6 / last 4). Invalid input names the field and stores nothing."""

from __future__ import annotations

import pytest

from smartguard.domain.cards import CardStatus, Language
from smartguard.domain.controls.values import Controls
from smartguard.domain.errors import InvalidInput
from smartguard.errors import Conflict, UnknownCardholder
from smartguard.service_layer import cards
from tests.builders import cny, valid_pan
from tests.fakes import everything_stored
from tests.unit.service.world import OPERATOR

PHONE = "+8613800138000"


def test_a_cardholder_gets_the_defaults_zh_cn_and_asia_shanghai(world):
    holder = world.run(cards.enrol_cardholder, OPERATOR, " Li Lei ", PHONE)
    assert (holder.name, holder.language, holder.timezone) == (
        "Li Lei", Language.ZH_CN, "Asia/Shanghai")
    assert world.view().cardholders.get(holder.id) == holder


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"phone": "13800138000"}, "phone"),
    ({"phone": "+86 138 0013 8000"}, "phone"),
    ({"phone": "+0123456789"}, "phone"),
    ({"name": "   "}, "name"),
    ({"language": "fr"}, "language"),
    ({"timezone": "Asia/Beijing"}, "timezone"),
    ({"timezone": "../../etc/passwd"}, "timezone"),
])
def test_invalid_cardholder_details_name_the_field_and_store_nothing(world, kwargs, field):
    args = {"name": "Li Lei", "phone": PHONE} | kwargs
    with pytest.raises(InvalidInput) as err:
        world.run(cards.enrol_cardholder, OPERATOR, **args)
    assert err.value.field == field
    assert world.view().tables.cardholders == {}


def test_enrolling_a_cardholder_is_audited_with_a_masked_phone(world):
    holder = world.run(cards.enrol_cardholder, OPERATOR, "Li Lei", PHONE)
    entry = world.view().tables.audit[-1]
    assert (entry.action, entry.actor, entry.cardholder_id) == (
        "enrol_cardholder", OPERATOR.id, holder.id)
    assert PHONE not in str(entry.new)
    assert str(entry.new["phone"]).endswith("8000")


def test_an_account_accepts_a_numeric_currency_code(world):
    holder = world.run(cards.enrol_cardholder, OPERATOR, "Li Lei", PHONE)
    account = world.run(cards.open_account, OPERATOR, holder.id, "156", cny(10))
    assert (account.currency, account.balance) == ("CNY", cny(10))


def test_an_account_for_an_unknown_cardholder_is_refused(world):
    with pytest.raises(UnknownCardholder):
        world.run(cards.open_account, OPERATOR, "chd_nope")


@pytest.mark.parametrize(("currency", "balance", "field"), [
    ("RMB", 0, "currency"), ("CNY", -1, "balance"), ("CNY", True, "balance"),
])
def test_invalid_account_details_name_the_field(world, currency, balance, field):
    holder = world.run(cards.enrol_cardholder, OPERATOR, "Li Lei", PHONE)
    with pytest.raises(InvalidInput) as err:
        world.run(cards.open_account, OPERATOR, holder.id, currency, balance)
    assert err.value.field == field
    assert world.view().tables.accounts == {}


def _account(world):
    holder = world.run(cards.enrol_cardholder, OPERATOR, "Li Lei", PHONE)
    return world.run(cards.open_account, OPERATOR, holder.id)


def test_a_card_keeps_first_six_last_four_and_a_keyed_hash_never_the_pan(world):
    pan = valid_pan("621226123456789")
    record = world.run(cards.enrol_card, OPERATOR, pan, _account(world).id)
    assert (record.card.first6, record.card.last4) == (pan[:6], pan[-4:])
    assert world.view().cards.by_pan_hash(world.ctx.hash_pan(pan)) == record
    stored = everything_stored(world.store)
    assert pan not in stored
    assert pan[6:-4] not in stored


def test_a_new_card_is_active_with_the_product_defaults(world):
    record = world.run(cards.enrol_card, OPERATOR, valid_pan(), _account(world).id)
    assert record.card.status is CardStatus.ACTIVE
    assert record.controls == Controls()
    assert record.controls.verification.magstripe is True
    assert not record.controls.region_lock.enabled


def test_enrolling_a_card_is_audited_with_the_masked_number(world):
    pan = valid_pan()
    record = world.run(cards.enrol_card, OPERATOR, pan, _account(world).id)
    entry = world.view().tables.audit[-1]
    assert (entry.action, entry.card_id) == ("enrol_card", record.card.id)
    assert entry.new == {"card": f"{pan[:6]}******{pan[-4:]}"}


def test_a_pan_with_a_wrong_check_digit_is_refused_without_echoing_it(world):
    pan = valid_pan()
    bad = pan[:-1] + str((int(pan[-1]) + 1) % 10)
    with pytest.raises(InvalidInput) as err:
        world.run(cards.enrol_card, OPERATOR, bad, _account(world).id)
    assert err.value.field == "pan"
    assert bad not in str(err.value)
    assert world.view().tables.cards == {}


def test_the_same_pan_cannot_be_enrolled_twice(world):
    account = _account(world)
    world.run(cards.enrol_card, OPERATOR, valid_pan(), account.id)
    with pytest.raises(Conflict):
        world.run(cards.enrol_card, OPERATOR, valid_pan(), account.id)
    assert len(world.view().tables.cards) == 1


def test_a_card_for_an_unknown_account_is_refused(world):
    with pytest.raises(InvalidInput) as err:
        world.run(cards.enrol_card, OPERATOR, valid_pan(), "acc_nope")
    assert err.value.field == "account_id"


def test_one_phone_may_hold_several_cards(world):
    account = _account(world)
    world.run(cards.enrol_card, OPERATOR, valid_pan("621226000000001"), account.id)
    world.run(cards.enrol_card, OPERATOR, valid_pan("621226000000002"), account.id)
    assert len(world.view().cards.search(None, PHONE, 10)) == 2
