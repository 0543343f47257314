"""Alert texts (SPEC 3.5, 3.7, 3.8, 3.11): in the cardholder's language, amounts like
¥1,234.56, the card as 尾号1234 / "card ending 1234", local time in the cardholder's zone."""

from __future__ import annotations

from datetime import timedelta

from smartguard.domain import alerts as a
from smartguard.domain.decisions import Decision, Outcome, Reason, Verdict
from tests.builders import atm_withdrawal, balance_inquiry, beijing, cny, pos_purchase

ZH = a.Recipient("chd_1", "+8613800000001", "zh-CN", "Asia/Shanghai", "card_1", "1234")
EN = a.Recipient("chd_1", "+8613800000001", "en", "Asia/Shanghai", "card_1", "1234")
NOON = beijing(14, 20, date="2026-11-25")


def test_debit_alert_in_chinese_names_card_amount_merchant_time_and_balance():
    m = a.Movement("purchase", -cny(1_234, 56), "CNY", cny(48_765, 44), "Luoyang Noodles")
    assert a.balance_change(ZH, m, NOON).text == (
        "【SmartGuard】您尾号1234的卡11月25日14:20消费支出¥1,234.56（Luoyang Noodles），"
        "余额¥48,765.44。")


def test_debit_alert_in_english():
    m = a.Movement("purchase", -cny(1_234, 56), "CNY", cny(48_765, 44), "Luoyang Noodles")
    assert a.balance_change(EN, m, NOON).text == (
        "SmartGuard: card ending 1234: ¥1,234.56 spent (purchase at Luoyang Noodles) on "
        "Nov 25 14:20. Balance ¥48,765.44.")


def test_posting_credit_alert_says_received_with_the_description():
    m = a.Movement("posting", cny(5_000), "CNY", cny(6_000), "Salary")
    alert = a.balance_change(EN, m, NOON)
    assert "¥5,000.00 received (Salary)" in alert.text
    assert alert.event == "balance_change.credit"
    assert alert.data["amount"] == cny(5_000)


def test_time_is_shown_in_the_cardholders_own_zone():
    paris = a.Recipient("chd_1", "+33600000000", "en", "Europe/Paris", "card_1", "1234")
    m = a.Movement("purchase", -cny(10), "CNY", cny(90), "Cafe")
    assert "Nov 25 07:20" in a.balance_change(paris, m, NOON).text


def test_decline_by_night_lock_gives_the_plain_reason_and_reply_zf():
    d = Decision(Outcome.DECLINE, (Verdict(Reason.NIGHT_LOCK, "02:13"),))
    text = a.decline(EN, atm_withdrawal(cny(2_000), merchant_name="ICBC ATM"), d, NOON).text
    assert "cash withdrawal of ¥2,000.00 at ICBC ATM" in text
    assert "night lock" in text
    assert "Reply ZF 1234 to stop the card" in text


def test_decline_because_the_card_is_frozen_says_how_to_unfreeze_not_zf():
    d = Decision(Outcome.DECLINE, (Verdict(Reason.CARD_FROZEN),))
    text = a.decline(ZH, pos_purchase(cny(10)), d, NOON).text
    assert "请在App或网页解冻" in text
    assert "回复ZF" not in text


def test_atm_balance_inquiry_alert_names_time_and_place():
    text = a.balance_inquiry(ZH, balance_inquiry(region="CN-HA"), NOON).text
    assert text.startswith("【SmartGuard】您尾号1234的卡11月25日14:20在ATM（河南")
    assert "回复ZF 1234止付" in text


def test_verification_text_carries_a_mark_never_the_code():
    d = Decision(Outcome.VERIFY, (Verdict(Reason.LARGE_PURCHASE_VERIFICATION, "500000"),))
    alert = a.verification(EN, pos_purchase(cny(6_000), merchant_name="Gold Shop"), d,
                           "chl_1", "654321", NOON + timedelta(minutes=10), "CNY")
    assert "654321" not in alert.text and "654321" not in str(alert.data)
    assert alert.code == "654321"
    assert "Code {code}, valid until 14:30" in alert.text
    assert "Reply Y {code} to confirm or N {code} to reject" in alert.text


def test_phone_change_alert_shows_masked_numbers():
    text = a.security(ZH, "phone_changed", NOON, old="+86138****0001",
                      new="+86139****0002").text
    assert "由+86138****0001更改为+86139****0002" in text


def test_reply_listing_several_cards_in_chinese():
    text = a.reply(ZH, "which", cards=a.card_words(["1234", "5678"], "zh-CN"),
                   example="1234").text
    assert "尾号1234、尾号5678" in text and "ZF 1234" in text
