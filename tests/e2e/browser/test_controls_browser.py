"""The controls tab in a real browser (headless Chromium, phone-sized, zh-CN): switch a
channel (its row's switch), block a category, block a merchant from a transaction, open a
timed unlock and see it close."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from smartguard.service_layer import card_controls
from tests.e2e.browser.conftest import Site, sign_in

pytestmark = pytest.mark.slow  # a real browser: a few seconds each


def _saved(page: Any) -> None:
    assert page.get_by_role("status").inner_text().startswith("已保存")


def test_switching_off_contactless_declines_a_tap_and_not_a_chip(page: Any, site: Site,
                                                                  shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.get_by_role("link", name="渠道与商户").click()
    switch = page.get_by_role("switch", name="闪付（非接触）")
    switch.click()  # off raises the protection: at once, no question
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(page.locator("#toast")).to_contain_text("已关闭闪付（非接触）")
    page.screenshot(path=str(shots / "contactless_off.png"), full_page=True)
    assert site.authorize(wang, entry_mode="contactless")["primary_reason"] == "contactless_off"
    assert site.authorize(wang)["outcome"] == "approve"


def test_blocking_gambling_declines_a_betting_site(page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.goto(f"/cards/{wang.card_id}/controls")
    page.locator("#fold-gambling > summary").click()  # the category's row unfolds
    gambling = page.locator("form#category-gambling")
    gambling.get_by_label("禁止此类商户").check()
    gambling.get_by_role("button", name="保存").click()
    _saved(page)
    assert "已禁止" in page.locator("#fold-gambling > summary").inner_text()
    answer = site.authorize(wang, mcc="7995", terminal="none", card_present=False,
                            entry_mode="ecommerce", region=None)
    assert answer["primary_reason"] == "category_blocked"
    page.locator("form#category-gambling").get_by_label("禁止此类商户").uncheck()
    page.locator("form#category-gambling").get_by_role("button", name="保存").click()
    assert "冷静期后于" in page.locator("form#category-gambling").inner_text()
    page.screenshot(path=str(shots / "cooling_down.png"), full_page=True)


def test_block_this_merchant_from_a_transaction(page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    site.authorize(wang, merchant_id="NOODLE1", merchant_name="Noodle Bar")
    sign_in(page, site, wang)
    page.get_by_role("link", name="交易记录").click()
    first = page.locator("ul.decisions > li").first
    assert "Noodle Bar" in first.inner_text() or "NOODLE1" in first.inner_text()
    first.get_by_role("button", name="屏蔽此商户").click()
    _saved(page)
    assert "Noodle Bar" in page.locator("section#merchants").inner_text()
    page.screenshot(path=str(shots / "merchant_blocked.png"), full_page=True)
    assert site.authorize(wang, merchant_id="NOODLE1")["primary_reason"] == "merchant_blocked"


def test_a_timed_unlock_opens_the_pos_switch_and_closes_by_itself(page: Any, site: Site,
                                                                   shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.goto(f"/cards/{wang.card_id}/controls")
    pos = page.get_by_role("switch", name="POS刷卡消费")
    pos.click()
    expect(pos).to_have_attribute("aria-checked", "false")
    unlocks = page.locator("section#unlocks")
    unlocks.get_by_label("打开哪一项").select_option("switches.pos")
    unlocks.get_by_label("打开多久").select_option("15")
    unlocks.get_by_role("button", name="临时打开").click()
    _saved(page)
    assert "POS刷卡消费已临时打开" in page.locator("section#unlocks").inner_text()
    page.screenshot(path=str(shots / "unlocked.png"), full_page=True)
    assert site.authorize(wang)["outcome"] == "approve"

    site.clock.now += timedelta(minutes=10)
    page.reload()  # the page's session lasts 15 idle minutes
    assert "已临时打开" in page.locator("section#unlocks").inner_text()
    site.clock.now += timedelta(minutes=5)  # the unlock's end, exactly
    assert site.authorize(wang)["primary_reason"] == "pos_off"
    closed = site.sg.write(lambda uow: card_controls.announce_due(uow, site.sg.ctx))
    assert closed == 1
    page.reload()
    assert "已临时打开" not in page.locator("section#unlocks").inner_text()
    page.screenshot(path=str(shots / "closed.png"), full_page=True)
    texts = site.sg.read(lambda uow: uow.outbox.list(None, "sms", wang.card_id, 5))
    assert texts[0].event == "security.unlock_closed"
