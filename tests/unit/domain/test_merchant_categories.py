"""Merchant-category controls (SPEC 3.12): categories in plain words mapped to MCC ranges
(ISO 18245), blocked or with their own daily amount; a block lifted under a cool-down."""

from __future__ import annotations

from datetime import UTC, timedelta
from pathlib import Path

import pytest

from smartguard.domain.controls.categories import CATEGORIES, Category, category_of, check_mcc
from smartguard.domain.controls.spending import CategoryControl
from smartguard.domain.decisions import Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.periods import category_key, counter_keys
from smartguard.domain.state import Usage
from tests.builders import (
    balance_inquiry,
    beijing,
    card_state,
    cny,
    judge,
    online_purchase,
    pos_purchase,
    refund,
)

BLOCKED = CategoryControl(blocked=True)


def blocking(category: Category, control: CategoryControl = BLOCKED, **kw):
    return card_state(categories={category: control}, **kw)


@pytest.mark.parametrize("info", CATEGORIES, ids=lambda i: i.category.value)
def test_each_end_of_each_range_is_in_its_category_and_just_outside_is_not(info):
    for low, high in info.ranges:
        assert category_of(f"{low:04d}") is info.category
        assert category_of(f"{high:04d}") is info.category
        for outside in (low - 1, high + 1):
            assert category_of(f"{outside:04d}") is not info.category


@pytest.mark.parametrize("mcc", ["7995", "7801", "7802"])
def test_a_gambling_block_declines_a_gambling_merchant(mcc):
    decision = judge(online_purchase(mcc=mcc), blocking(Category.GAMBLING))
    assert decision.primary is Reason.CATEGORY_BLOCKED
    assert decision.verdicts[0].detail == "gambling"
    assert decision.response_code == "57"


def test_the_travel_range_is_blocked_at_both_ends():
    state = blocking(Category.TRAVEL)
    assert judge(pos_purchase(mcc="3000"), state).primary is Reason.CATEGORY_BLOCKED
    assert judge(pos_purchase(mcc="3999"), state).primary is Reason.CATEGORY_BLOCKED
    assert judge(pos_purchase(mcc="2999"), state).approved
    assert judge(pos_purchase(mcc="4000"), state).approved


def test_a_request_without_an_mcc_is_in_no_category():
    assert judge(online_purchase(mcc=""), blocking(Category.GAMBLING)).approved


def test_a_request_whose_mcc_is_in_no_category_is_not_touched():
    state = card_state(categories={c: BLOCKED for c in Category})
    assert judge(pos_purchase(mcc="5411"), state).approved  # a grocery


@pytest.mark.parametrize("mcc", ["799", "79955", "79a5", " 799"])
def test_an_mcc_that_is_not_4_digits_is_refused(mcc):
    with pytest.raises(InvalidInput) as err:
        check_mcc(mcc)
    assert err.value.field == "mcc"


@pytest.mark.parametrize("req", [refund(mcc="7995"), balance_inquiry(mcc="6051")])
def test_refunds_and_balance_inquiries_are_never_stopped_by_a_category(req):
    assert judge(req, blocking(Category.GAMBLING)).approved
    assert judge(req, blocking(Category.QUASI_CASH)).approved


def test_a_category_daily_amount_declines_what_goes_above_it():
    control = CategoryControl(daily_amount=cny(500))
    usage = {category_key("money_transfer"): Usage(cny(400), 1, cny(400))}
    state = blocking(Category.MONEY_TRANSFER, control, usage=usage)
    assert judge(online_purchase(cny(100), mcc="4829"), state).approved
    decision = judge(online_purchase(cny(100, 1), mcc="4829"), state)
    assert decision.primary is Reason.CATEGORY_LIMIT
    assert decision.response_code == "61"


def test_a_category_is_counted_only_while_the_card_gives_it_a_daily_amount():
    req = online_purchase(mcc="4829")
    assert counter_keys(req) == ("online",)
    assert counter_keys(req, {Category.MONEY_TRANSFER: BLOCKED}) == ("online",)
    assert counter_keys(req, {Category.MONEY_TRANSFER: CategoryControl(daily_amount=1)}) \
        == ("online", "category:money_transfer")


def test_a_block_in_its_cool_down_still_blocks_until_the_instant_it_lifts():
    lifts = beijing(12).astimezone(UTC) + timedelta(hours=48)
    state = blocking(Category.GAMBLING, CategoryControl(True, None, lifts))
    req = online_purchase(mcc="7995")
    assert judge(req, state, lifts - timedelta(seconds=1)).primary \
        is Reason.CATEGORY_BLOCKED
    assert judge(req, state, lifts).approved


def test_the_table_is_documented_with_a_source_for_every_category():
    doc = Path(__file__).parents[3] / "docs" / "merchant-categories.md"
    text = doc.read_text(encoding="utf-8")
    for info in CATEGORIES:
        assert f"`{info.category.value}`" in text
        for low, high in info.ranges:
            shown = f"{low:04d}" if low == high else f"{low:04d}–{high:04d}"
            assert shown in text, (info.category, shown)
