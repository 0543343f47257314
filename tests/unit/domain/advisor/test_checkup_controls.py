"""Check-up findings about the controls beyond Smart Guard (SPEC 3.12): a gambling block
offered only to a card that never paid a gambling merchant; the channels a card has not
used in 90 days offered to be switched off."""

from __future__ import annotations

from dataclasses import replace

from smartguard.domain.advisor.findings import FixAction
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.decisions import Reason
from tests.builders import atm_withdrawal, cny, online_purchase, pos_purchase
from tests.unit.domain.advisor.checkups import GUARDED, ids, only, quiet, run
from tests.unit.domain.advisor.ledger import Ledger, days_ago, steady

OPEN = replace(GUARDED, categories={})


def test_a_gambling_block_is_offered_to_a_card_that_never_paid_a_gambling_merchant():
    f = only(run(quiet(), OPEN), "category_open.gambling")
    assert f.fix is not None and f.fix.action is FixAction.SET_PROTECTION
    assert f.fix.as_dict()["value"] == {"gambling": {"blocked": True, "daily_amount": None,
                                                     "lifts_at": None}}


def test_no_gambling_block_is_offered_to_a_card_that_paid_a_gambling_merchant():
    ledger = quiet()
    ledger.approved(online_purchase(cny(20), mcc="7995"), days_ago(200))
    assert "category_open.gambling" not in ids(run(ledger, OPEN))


def test_no_gambling_block_is_offered_when_it_is_already_on():
    assert "category_open.gambling" not in ids(run(quiet(), GUARDED))


def test_a_gambling_block_keeps_the_categorys_daily_amount():
    controls = replace(GUARDED, categories={Category.GAMBLING: CategoryControl(False, cny(9))})
    f = only(run(quiet(), controls), "category_open.gambling")
    assert f.fix is not None
    assert f.fix.value == {Category.GAMBLING: CategoryControl(True, cny(9))}


def _old_card() -> Ledger:
    """Card-present POS purchases for 120 days, and an ATM withdrawal 100 days ago."""
    ledger = Ledger()
    steady(ledger, 120)
    ledger.approved(atm_withdrawal(cny(100), region="CN-HA"), days_ago(100))
    return ledger


def test_channels_unused_for_90_days_are_offered_to_be_switched_off_at_once():
    f = only(run(_old_card()), "switches_unused")
    assert f.fix is not None
    assert f.fix.value == Switches(frozenset(Switch) - {Switch.POS})
    assert "ATM" in f.title.en and "POS" not in f.title.en


def test_a_channel_used_in_the_last_90_days_is_not_offered():
    ledger = _old_card()
    ledger.approved(online_purchase(cny(10)), days_ago(5))
    f = only(run(ledger), "switches_unused")
    assert f.fix is not None and Switch.ONLINE_DOMESTIC not in f.fix.value.off


def test_a_card_younger_than_90_days_is_not_told_its_channels_are_unused():
    assert "switches_unused" not in ids(run(quiet()))


def test_nothing_is_offered_when_every_unused_channel_is_already_off():
    off = Switches(frozenset(Switch) - {Switch.POS})
    assert "switches_unused" not in ids(run(_old_card(), replace(GUARDED, switches=off)))


def test_a_declined_payment_does_not_count_as_use():
    ledger = _old_card()
    ledger.declined(pos_purchase(cny(10), country="JP", region=None), days_ago(3),
                    Reason.OVERSEAS_LOCK)
    f = only(run(ledger), "switches_unused")
    assert f.fix is not None and Switch.ABROAD in f.fix.value.off
