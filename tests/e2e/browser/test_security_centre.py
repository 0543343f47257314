"""The security centre in the browser, on a phone and on a desk, in zh-CN and English:
a protection switched on and off takes effect for the next authorization, turning it off
asks first, and the change can be undone; a one-tap fix raises the score."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow

ABROAD_ONLINE = {"terminal": "none", "card_present": False, "entry_mode": "ecommerce",
                 "country": "US", "region": None, "merchant_name": "Faraway Shop"}


def test_a_protection_switched_on_and_off_decides_the_next_payment(
        screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    screen.axe("the security centre")
    screen.shot("centre")
    row = page.locator("#sw-overseas_cnp_lock")
    switch = row.get_by_role("switch")
    assert switch.get_attribute("aria-checked") == "false"
    before = int(page.locator("#centre-score").inner_text())
    switch.click()
    toast = page.locator("#toast")
    toast.wait_for(state="visible")
    assert switch.get_attribute("aria-checked") == "true"
    assert int(page.locator("#centre-score").inner_text()) > before  # the gauge follows
    assert screen.words("拒绝境外网站", "merchants abroad declined") in row.inner_text()
    screen.shot("switched-on")
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "decline"

    switch.click()  # off: asks first
    ask = row.get_by_role("alertdialog")
    assert ask.is_visible() and switch.get_attribute("aria-checked") == "true"
    screen.axe("the confirmation")
    screen.shot("asks")
    ask.get_by_role("button", name=screen.words("确定关闭", "Turn it off")).click()
    expect(switch).to_have_attribute("aria-checked", "false")
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "approve"
    assert screen.words("已关闭", "is off") in toast.inner_text()

    toast.get_by_role("button", name=screen.words("撤销", "Undo")).click()
    expect(switch).to_have_attribute("aria-checked", "true")
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "decline"
    page.reload()  # what the server has, not what the script shows
    assert switch.get_attribute("aria-checked") == "true"


def test_without_javascript_the_switch_asks_on_a_page_and_offers_an_undo(
        browser: Any, site: Site, server: Any, shots: Any) -> None:
    base = f"http://127.0.0.1:{server[0].port}"
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    wang = site.holders["wang"]
    from tests.e2e.browser.conftest import sign_in

    sign_in(page, site, wang)
    page.locator("#sw-magstripe").get_by_role("switch").click()
    page.wait_for_url("**/switches/magstripe")
    page.screenshot(path=str(shots / "nojs-confirm.png"), full_page=True)
    page.get_by_role("button", name="确定关闭").click()
    page.wait_for_url("**now=off*")
    assert not site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls \
        .verification.magstripe
    page.locator("form.undo").get_by_role("button", name="撤销").click()
    page.wait_for_url("**now=on*")
    assert page.locator("#sw-magstripe").get_by_role("switch").get_attribute(
        "aria-checked") == "true"
    page.screenshot(path=str(shots / "nojs-undone.png"), full_page=True)
    context.close()


def test_a_one_tap_fix_from_the_centre_raises_the_score(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    before = int(page.locator("#centre-score").inner_text())
    first = page.locator("#fixes > li").first
    first.get_by_role("button").click()  # sent by the script: the centre is redrawn
    expect(page.locator("#toast")).to_contain_text(screen.words("已修复", "Fixed"))
    expect(page.locator("#centre-score")).not_to_have_text(str(before))
    assert int(page.locator("#centre-score").inner_text()) > before
    screen.axe("the centre after a fix")
    screen.shot("fixed")


def test_without_javascript_a_one_tap_fix_comes_back_to_the_centre(
        browser: Any, site: Site, server: Any, shots: Any) -> None:
    base = f"http://127.0.0.1:{server[0].port}"
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844},
                                  java_script_enabled=False)
    page = context.new_page()
    wang = site.holders["wang"]
    from tests.e2e.browser.conftest import sign_in

    sign_in(page, site, wang)
    before = int(page.locator("#centre-score").inner_text())
    page.locator("#fixes > li").first.get_by_role("button").click()
    page.wait_for_url("**done=done.fixed")
    assert "已修复" in page.get_by_role("status").first.inner_text()
    assert int(page.locator("#centre-score").inner_text()) > before
    page.screenshot(path=str(shots / "nojs-fixed.png"), full_page=True)
    context.close()
