"""The channels & merchants page on a phone and on a desk, in zh-CN and English: its
channel rows are the security centre's switches. Off acts at once; on lowers the
protection, so it asks first. The next authorization, sent to the real API, is decided
accordingly. The page is compact (the categories fold, each with its setting in words),
axe finds nothing serious or critical, and without JavaScript the same switch posts and
comes back to this page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import Site, sign_in
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow

def _open(screen: Screen, site: Site) -> Any:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.get_by_role("link", name=screen.words("渠道与商户", "Channels & merchants")).click()
    expect(page.locator("h1")).to_contain_text(screen.words("渠道与商户",
                                                            "Channels & merchants"))
    return page


def test_a_channel_switched_on_the_page_decides_the_next_payment(screen: Screen,
                                                                 site: Site) -> None:
    wang = site.holders["wang"]
    page = _open(screen, site)
    name = screen.words("POS刷卡消费", "POS purchases")
    row = page.locator("#sw-channel-pos")
    switch = row.get_by_role("switch", name=name)
    assert switch.get_attribute("aria-checked") == "true"
    assert site.authorize(wang)["outcome"] == "approve"
    screen.axe("the channels page")
    screen.shot("page")

    switch.click()  # off raises the protection: at once
    expect(switch).to_have_attribute("aria-checked", "false")
    assert row.get_by_role("alertdialog").is_hidden()
    expect(page.locator("#toast")).to_contain_text(screen.words("已关闭POS刷卡消费",
                                                                "POS purchases is off"))
    assert screen.words("付款将被拒绝", "declined") in row.locator(".setting").inner_text()
    declined = site.authorize(wang)
    assert (declined["outcome"], declined["primary_reason"]) == ("decline", "pos_off")
    # the several-at-once form below follows the switch: saving it keeps POS off
    assert not page.locator("form#switches input[value=pos]").is_checked()
    screen.axe("the channels page with a channel off")
    screen.shot("off")

    switch.click()  # on lowers it: asked first, nothing changes until yes
    ask = row.get_by_role("alertdialog")
    expect(ask).to_be_visible()
    assert screen.words("打开后此卡的保护会降低", "Turning it on lowers") in ask.inner_text()
    assert site.authorize(wang)["primary_reason"] == "pos_off"
    screen.axe("the question before a channel goes on")
    row.scroll_into_view_if_needed()
    screen.shot("asks")
    ask.get_by_role("button", name=screen.words("确定打开", "Turn it on")).click()
    expect(switch).to_have_attribute("aria-checked", "true")
    assert site.authorize(wang)["outcome"] == "approve"
    page.reload()  # what the server has, not what the script shows
    assert page.locator("#sw-channel-pos").get_by_role("switch").get_attribute(
        "aria-checked") == "true"
    entries = site.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 5))
    assert [e.action for e in entries[:2]] == ["set_controls.switches"] * 2


def test_the_page_is_compact_and_a_category_unfolds(screen: Screen, site: Site) -> None:
    page = _open(screen, site)
    height = page.evaluate("document.documentElement.scrollHeight")
    folded = page.locator("details.fold:not([open])").count()
    assert folded == 12  # several-at-once, 9 categories, add a merchant, alert only
    gambling = page.locator("#fold-gambling")
    assert gambling.locator("form").is_hidden()
    summary = gambling.locator("summary")
    assert screen.words("不限制", "Not limited") in summary.inner_text()
    summary.click()
    expect(gambling.locator("form")).to_be_visible()
    gambling.get_by_label(screen.words("禁止此类商户", "Block this category")).check()
    gambling.get_by_role("button", name=screen.words("保存", "Save")).click()
    expect(page.locator("#fold-gambling summary")).to_contain_text(screen.words("已禁止",
                                                                                "Blocked"))
    expect(page.locator("#fold-gambling form")).to_be_visible()  # it stays open, saved
    screen.axe("a category unfolded")
    screen.shot("category")
    if screen.size == "phone":  # every row of switches and folds, a few screens at most
        assert height < 4 * 844, height


def test_without_javascript_the_switch_posts_and_comes_back(browser: Any, server: Any,
                                                            site: Site, shots: Any) -> None:
    base = f"http://127.0.0.1:{server[0].port}"
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844},
                                  locale="zh-CN", java_script_enabled=False)
    context.set_default_timeout(10_000)
    page = context.new_page()
    wang = site.holders["wang"]
    try:
        sign_in(page, site, wang)
        page.goto(f"/cards/{wang.card_id}/controls")
        page.get_by_role("switch", name="快捷支付").click()
        expect(page).to_have_url(f"{base}/cards/{wang.card_id}/controls?switched="
                                 "channel.quick_pay&now=off#sw-channel-quick_pay")
        assert page.get_by_role("status").first.inner_text() == "已关闭快捷支付。"
        assert page.get_by_role("switch", name="快捷支付").get_attribute(
            "aria-checked") == "false"
        page.screenshot(path=str(shots / "nojs-off.png"), full_page=True)
        page.get_by_role("switch", name="快捷支付").click()  # on: the question, a page
        assert "打开后此卡的保护会降低" in page.locator("main").inner_text()
        page.get_by_role("button", name="确定打开").click()
        expect(page).to_have_url(f"{base}/cards/{wang.card_id}/controls?switched="
                                 "channel.quick_pay&now=on#sw-channel-quick_pay")
        page.screenshot(path=str(shots / "nojs-on.png"), full_page=True)
    finally:
        context.close()
