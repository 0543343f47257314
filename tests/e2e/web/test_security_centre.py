"""The security centre without JavaScript: every protection is a switch that posts a form;
turning one off asks first, the change can be undone, and the answer is JSON when the
page's script asks for it."""

from __future__ import annotations

import re
from html import unescape

from tests.e2e.web.support import Web, csrf_of

ABROAD_ONLINE = {"terminal": "none", "card_present": False, "entry_mode": "ecommerce",
                 "country": "US", "region": None, "merchant_name": "Faraway Shop"}


def test_the_home_is_the_security_centre_with_a_gauge_and_switches(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    html = c.get(f"/cards/{wang.card_id}").text
    assert "<h1>安全中心" in html
    assert 'id="centre-score"' in html and "stroke-dasharray=" in html
    for name in ("region_lock", "overseas_lock", "night_lock", "overseas_cnp_lock",
                 "magstripe", "large_purchase"):
        assert f'action="/cards/{wang.card_id}/switches/{name}"' in html
    assert "磁条刷卡需要您短信确认" in html  # on by default, said in words
    assert "境外网站和App可以扣款" in html  # off, and what that means
    assert 'name="back" value="centre"' in html  # a one-tap fix comes back here


def test_a_switch_turns_on_at_once_and_asks_before_turning_off(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    home = f"/cards/{wang.card_id}"
    action = f"{home}/switches/overseas_cnp_lock"
    r = web.post_form(c, home, action, {"on": "1"})
    assert r.status_code == 303
    assert r.headers["location"].startswith(f"{home}?switched=overseas_cnp_lock&now=on")
    assert web.card(wang).controls.overseas_cnp_lock
    assert web.authorize(wang, **ABROAD_ONLINE)["outcome"] == "decline"
    asked = web.post_form(c, home, action, {"on": "0"})
    assert asked.status_code == 200 and "关闭境外无卡支付锁？" in asked.text
    assert web.card(wang).controls.overseas_cnp_lock  # nothing changed yet
    r = c.post(action, data={"csrf": csrf_of(asked.text), "on": "0", "confirm": "1"})
    assert r.status_code == 303 and not web.card(wang).controls.overseas_cnp_lock
    after = c.get(r.headers["location"]).text
    assert "已关闭境外无卡支付锁。" in after and 'class="undo"' in after
    r = c.post(action, data={"csrf": csrf_of(after), "on": "1", "confirm": "1"})  # undo
    assert web.card(wang).controls.overseas_cnp_lock


def test_the_script_gets_json_and_a_region_lock_without_provinces_says_what_to_do(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    home = f"/cards/{wang.card_id}"
    token = csrf_of(c.get(home).text)
    json = {"Accept": "application/json"}
    r = c.post(f"{home}/switches/magstripe", data={"csrf": token, "on": "0"}, headers=json)
    assert r.status_code == 409 and r.json()["confirm"]
    r = c.post(f"{home}/switches/magstripe", data={"csrf": token, "on": "0", "confirm": "1"},
               headers=json)
    assert r.json() | {"text": "", "gauge": {}} == {
        "ok": True, "on": False, "undo": "1", "text": "", "gauge": {},
        "notice": "已关闭磁条卡消费验证。", "state": "未开启"}
    assert 0 <= r.json()["gauge"]["score"] <= 100
    assert not web.card(wang).controls.verification.magstripe
    r = c.post(f"{home}/switches/region_lock", data={"csrf": token, "on": "1"}, headers=json)
    assert r.status_code == 422 and r.json()["href"] == f"{home}/locks#region_lock"
    assert not web.card(wang).controls.region_lock.enabled
    r = c.post(f"{home}/switches/region_lock", data={"csrf": token, "on": "1"})
    assert r.headers["location"] == f"{home}/locks?done=done.needs_places#region_lock"
    r = c.post(f"{home}/switches/nothing", data={"csrf": token, "on": "1"})
    assert r.status_code == 404


def test_the_script_sends_a_one_tap_fix_and_gets_json_and_a_fix_gone_is_refused(
        web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    home = f"/cards/{wang.card_id}"
    html = c.get(home).text
    found = re.search(r'<form method="post" action="([^"]*/fixes/protection_off\.night_lock)">'
                      r'\s*<input type="hidden" name="csrf" value="([^"]+)">'
                      r'\s*<input type="hidden" name="expected" value="([^"]+)">', html)
    assert found is not None
    action, token, expected = found.groups()
    sent = {"csrf": token, "expected": unescape(expected), "back": "centre"}
    r = c.post(action, data=sent, headers={"Accept": "application/json"})
    assert r.json() == {"ok": True, "notice": "已修复，下一笔交易起生效。"}
    assert web.card(wang).controls.night_lock.enabled
    assert 'fixes/protection_off.night_lock"' not in c.get(home).text
    # each fix in its own words (the gambling block once read "turn on the CNP lock")
    assert "一键修复将：禁止博彩、赌场及投注类商户" in c.get(f"{home}/checkup").text
    r = c.post(action, data=sent, headers={"Accept": "application/json"})
    assert r.status_code == 404  # the script then redraws the list as it is now


def test_a_switch_of_another_cardholders_card_answers_as_unknown(web: Web) -> None:
    wang, li = web.holders["wang"], web.holders["li"]
    c = web.sign_in(wang)
    token = csrf_of(c.get(f"/cards/{wang.card_id}").text)
    r = c.post(f"/cards/{li.card_id}/switches/overseas_cnp_lock",
               data={"csrf": token, "on": "1"})
    assert r.status_code == 404 and not web.card(li).controls.overseas_cnp_lock


def test_not_me_freezes_blocks_the_merchant_and_says_what_next(web: Web) -> None:
    wang = web.holders["wang"]
    c = web.sign_in(wang)
    answer = web.authorize(wang, merchant_id="BADSHOP", merchant_name="Bad Shop")
    listed = c.get(f"/cards/{wang.card_id}/transactions").text
    here = f"/cards/{wang.card_id}/transactions/{answer['authorization_id']}/not-me"
    assert f'href="{here}"' in listed and 'class="icon card"' in listed
    page = c.get(here)
    assert page.status_code == 200 and "Bad Shop" in page.text and "致电银行客服" in page.text
    r = c.post(f"/cards/{wang.card_id}/freeze", data={"csrf": csrf_of(page.text),
                                                      "back": here})
    assert r.headers["location"] == f"{here}?done=done.frozen"
    assert web.card(wang).card.status.value == "frozen"
    page = c.get(r.headers["location"])
    r = c.post(f"/cards/{wang.card_id}/controls/block-merchant", data={
        "csrf": csrf_of(page.text), "authorization_id": answer["authorization_id"],
        "back": here})
    assert r.headers["location"] == f"{here}?done=done.merchant_blocked"
    assert "BADSHOP" in web.card(wang).controls.merchants.blocked
    assert "这个商户已被屏蔽" in c.get(here).text
    r = c.post(f"/cards/{wang.card_id}/freeze", data={"csrf": csrf_of(page.text),
                                                      "back": "https://evil.example/"})
    assert r.headers["location"].startswith(f"/cards/{wang.card_id}?")  # only its own pages
    assert c.get(f"/cards/{wang.card_id}/transactions/nothing/not-me").status_code == 404


def test_sign_in_shows_both_errors_at_once(web: Web) -> None:
    c = web.client()
    page = c.get("/signin")
    r = c.post("/signin", data={"csrf": csrf_of(page.text), "last4": "12", "phone": "123"})
    assert r.status_code == 422
    assert 'id="err-last4" aria-live="polite">请输入卡号后4位数字' in r.text
    assert 'id="err-phone" aria-live="polite">请输入登记的手机号码' in r.text
