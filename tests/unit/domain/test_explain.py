"""Plain-words explanations (SPEC 3.11): every reason reads as a sentence in zh-CN and en,
with the place, time, amount or limit it is about."""

from __future__ import annotations

import pytest

from smartguard.domain.decisions import Reason, Verdict
from smartguard.domain.explain import explain

DETAILS = {
    Reason.REGION_LOCK: "CN-GD", Reason.OVERSEAS_LOCK: "JP", Reason.NIGHT_LOCK: "23:42",
    Reason.OVERSEAS_CNP_LOCK: "US", Reason.AGREEMENT_LIMIT: "per_txn",
    Reason.AMOUNT_LIMIT: "atm_cash.daily_amount.personal",
    Reason.FREQUENCY_LIMIT: "pos.daily_count.bank",
    Reason.LARGE_PURCHASE_VERIFICATION: "500000",
}


@pytest.mark.parametrize("language", ["zh-CN", "en"])
@pytest.mark.parametrize("reason", list(Reason))
def test_every_reason_has_a_filled_in_sentence(reason, language):
    text = explain(Verdict(reason, DETAILS.get(reason, "")), language)
    assert text.strip()
    assert "{" not in text and "}" not in text


@pytest.mark.parametrize("reason", list(Reason))
def test_chinese_and_english_texts_differ(reason):
    verdict = Verdict(reason, DETAILS.get(reason, ""))
    assert explain(verdict, "zh-CN") != explain(verdict, "en")


def test_region_lock_names_the_province():
    verdict = Verdict(Reason.REGION_LOCK, "CN-GD")
    assert "广东省" in explain(verdict, "zh-CN")
    assert "Guangdong" in explain(verdict, "en")


def test_region_lock_with_an_unknown_region_says_so():
    assert "unknown" in explain(Verdict(Reason.REGION_LOCK, "region_unknown"), "en")


def test_overseas_lock_names_the_place():
    assert "中国香港" in explain(Verdict(Reason.OVERSEAS_LOCK, "HK"), "zh-CN")
    assert "Japan" in explain(Verdict(Reason.OVERSEAS_LOCK, "JP"), "en")


def test_night_lock_gives_the_local_time():
    assert "23:42" in explain(Verdict(Reason.NIGHT_LOCK, "23:42"), "en")


def test_large_purchase_gives_the_threshold_in_yuan():
    assert "¥5,000.00" in explain(Verdict(Reason.LARGE_PURCHASE_VERIFICATION, "500000"), "en")


def test_amount_limit_says_whose_limit_which_channel_and_which_limit():
    en = explain(Verdict(Reason.AMOUNT_LIMIT, "atm_cash.daily_amount.personal"), "en")
    assert "your" in en and "ATM cash" in en and "daily amount limit" in en
    zh = explain(Verdict(Reason.AMOUNT_LIMIT, "atm_cash_overseas.daily_amount.bank"), "zh-CN")
    assert "银行规定的" in zh and "境外ATM取现" in zh


def test_frequency_limit_says_it_is_about_the_number_of_transactions():
    en = explain(Verdict(Reason.FREQUENCY_LIMIT, "pos.daily_count.bank"), "en")
    assert "number" in en and "the bank's" in en
