"""The cardholder's pages change protections through the service layer: validated by the
domain (errors next to the field), effective on the next transaction, audited as web."""

from __future__ import annotations

import re

import pytest

from smartguard.domain.cards import CardStatus
from tests.e2e.web.support import Web, csrf_of


def audit(web: Web, card_id: str) -> list[tuple[str, str, str]]:
    entries = web.sg.read(lambda uow: uow.audit.for_card(card_id, 50))
    return [(e.action, e.channel, e.actor) for e in entries]


@pytest.mark.parametrize("tab", ["", "/locks", "/limits", "/verification", "/pending",
                                 "/transactions", "/alerts", "/checkup", "/agreements",
                                 "/travel", "/controls"])
@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_card_page_renders_in_both_languages(web: Web, tab: str, lang: str) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    c.get(f"/lang/{lang}")
    web.authorize(wang, entry_mode="magstripe")  # something to show everywhere
    r = c.get(f"/cards/{wang.card_id}{tab}")
    assert r.status_code == 200
    assert f'<html lang="{lang}">' in r.text


def test_freezing_and_unfreezing_from_the_page_is_audited_as_web(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}"
    r = web.post_form(c, page, f"{page}/freeze")
    assert r.headers["location"] == f"{page}?done=done.frozen"
    assert web.card(wang).card.status is CardStatus.FROZEN
    assert web.authorize(wang)["primary_reason"] == "card_frozen"
    web.post_form(c, page, f"{page}/unfreeze")
    assert web.card(wang).card.status is CardStatus.ACTIVE
    actor = f"web:{wang.cardholder_id}"
    assert audit(web, wang.card_id)[:2] == [("unfreeze", "web", actor),
                                            ("freeze", "web", actor)]


def test_a_fourth_province_is_refused_next_to_the_field_and_nothing_changes(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    html = c.get(page).text
    r = c.post(f"{page}/region_lock", data={
        "csrf": csrf_of(html), "enabled": "on",
        "places": ["CN-BJ", "CN-SH", "CN-HA", "CN-GD"]})
    assert r.status_code == 422
    error = re.search(r'<p class="error" id="err-region_lock-places"[^>]*>([^<]*)</p>', r.text)
    assert error is not None and error.group(1) == "最多选择3个常用地"
    assert r.text.count("checked") >= 4  # the form shows what was sent
    assert not web.card(wang).controls.region_lock.enabled


def test_the_region_lock_set_on_the_page_declines_the_next_transaction(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    r = web.post_form(c, page, f"{page}/region_lock",
                      {"enabled": "on", "places": ["CN-BJ", "CN-HA"]})
    assert r.status_code == 303
    assert web.card(wang).controls.region_lock.places == ("CN-BJ", "CN-HA")
    assert web.authorize(wang, region="CN-GD")["primary_reason"] == "region_lock"
    assert audit(web, wang.card_id)[0][:2] == ("set_controls.region_lock", "web")


def test_cn_is_refused_as_an_overseas_place(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    r = web.post_form(c, page, f"{page}/overseas_lock", {"enabled": "on", "places": ["CN"]})
    assert r.status_code == 422 and "中国内地不是境外地区" in r.text


def test_the_night_window_and_scope_are_saved(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    web.post_form(c, page, f"{page}/night_lock",
                  {"enabled": "on", "start": "22:30", "end": "06:00", "scope": "all"})
    night = web.card(wang).controls.night_lock
    assert (night.enabled, f"{night.start:%H:%M}", f"{night.end:%H:%M}", night.scope.value) \
        == (True, "22:30", "06:00", "all")


def test_an_empty_night_window_is_refused_next_to_the_end_time(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    r = web.post_form(c, page, f"{page}/night_lock",
                      {"enabled": "on", "start": "23:00", "end": "23:00", "scope": "domestic"})
    assert r.status_code == 422
    assert re.search(r'id="err-night_lock-end"[^>]*>开始时间和结束时间不能相同', r.text)


def test_the_overseas_card_not_present_switch(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/locks"
    web.post_form(c, page, f"{page}/overseas_cnp_lock", {"enabled": "on"})
    assert web.card(wang).controls.overseas_cnp_lock
    web.post_form(c, page, f"{page}/overseas_cnp_lock", {})
    assert not web.card(wang).controls.overseas_cnp_lock


def test_limits_show_the_bank_ceiling_and_refuse_a_value_above_it(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/limits"
    assert "银行上限：¥20,000.00" in c.get(page).text
    r = web.post_form(c, page, f"{page}/atm_cash", {"daily_amount": "30000"})
    assert r.status_code == 422
    assert re.search(r'id="err-limits-atm_cash-daily_amount"[^>]*>不能高于银行上限¥20,000.00',
                     r.text)
    assert web.card(wang).controls.limits == {}


def test_limits_in_yuan_are_kept_in_fen(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/limits"
    r = web.post_form(c, page, f"{page}/atm_cash",
                      {"per_txn": "1,000.50", "daily_count": "3"})
    assert r.status_code == 303
    limits = web.card(wang).controls.limits
    assert [(ch.value, lim.per_txn, lim.daily_count) for ch, lim in limits.items()] == [
        ("atm_cash", 100_050, 3)]


def test_an_unreadable_amount_is_refused_next_to_its_field(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    c.get("/lang/en")
    page = f"/cards/{wang.card_id}/limits"
    r = web.post_form(c, page, f"{page}/pos", {"per_txn": "lots"})
    assert r.status_code == 422
    assert re.search(r'id="err-limits-pos-per_txn"[^>]*>enter an amount such as 5000', r.text)


def test_large_purchase_verification_and_its_threshold(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    page = f"/cards/{wang.card_id}/verification"
    web.post_form(c, page, page, {"large_purchase": "on", "large_threshold": "2000"})
    v = web.card(wang).controls.verification
    assert (v.magstripe, v.large_purchase, v.large_threshold) == (False, True, 200_000)
    answer = web.authorize(wang, amount=250_000)
    assert answer["primary_reason"] == "large_purchase_verification"


def test_a_pending_verification_is_confirmed_on_the_page_and_the_retry_approved(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    first = web.authorize(wang, entry_mode="magstripe", amount=30_000)
    assert first["outcome"] == "verification_required"
    page = f"/cards/{wang.card_id}/pending"
    html = c.get(page).text
    assert "Shop One" in html and "¥300.00" in html
    challenge = first["challenge"]["id"]
    r = web.post_form(c, page, f"/cards/{wang.card_id}/challenges/{challenge}/confirm")
    assert r.headers["location"] == f"{page}?done=done.confirmed"
    assert web.authorize(wang, entry_mode="magstripe", amount=30_000)["outcome"] == "approve"
    assert audit(web, wang.card_id)[0][:2] == ("challenge.confirmed", "web")


def test_rejecting_a_verification_suggests_freezing_the_card(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    first = web.authorize(wang, entry_mode="magstripe")
    page = f"/cards/{wang.card_id}/pending"
    r = web.post_form(c, page, f"/cards/{wang.card_id}/challenges/"
                      f"{first['challenge']['id']}/reject")
    assert "请立即止付此卡" in c.get(r.headers["location"]).text
    assert web.authorize(wang, entry_mode="magstripe")["outcome"] != "approve"


def test_reversed_and_partly_reversed_transactions_say_so(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    atm = {"kind": "cash_withdrawal", "terminal": "atm", "merchant_name": "ICBC ATM"}
    web.reverse(web.authorize(wang, amount=100_000, **atm))
    web.reverse(web.authorize(wang, amount=50_000, **atm), actual_amount=30_000)
    html = c.get(f"/cards/{wang.card_id}/transactions").text
    assert "已冲正：¥1,000.00 已退回" in html
    assert "部分冲正：实际交易¥300.00，¥200.00 已退回" in html
    c.get("/lang/en")
    html = c.get(f"/cards/{wang.card_id}").text  # the overview lists them too
    assert "¥1,000.00 given back" in html and "¥300.00 took place, ¥200.00 given back" in html


def test_transactions_explain_each_decision_in_plain_words(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    web.authorize(wang, amount=1_850, merchant_name="Luoyang Noodles")
    web.authorize(wang, kind="cash_withdrawal", terminal="atm", amount=600_000,
                  merchant_name="ICBC ATM")
    html = c.get(f"/cards/{wang.card_id}/transactions").text
    assert "Luoyang Noodles" in html and "交易已批准" in html
    assert "超过银行规定的ATM取现单笔限额" in html
    assert "这是银行规定的上限，无法在此修改" in html  # not "one of your protections"
    c.get("/lang/en")
    html = c.get(f"/cards/{wang.card_id}/transactions").text
    assert "above the bank&#39;s ATM cash per-transaction limit" in html
