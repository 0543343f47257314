"""A channel switched from the security centre, on a phone and on a desk, in zh-CN and
English: off, the next payment through that channel (sent to the real authorization API)
is declined with the channel's own reason; on again (after the question: for a channel it
is turning on that lowers the protection), the next one is approved."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow

ABROAD_ONLINE = {"terminal": "none", "card_present": False, "entry_mode": "ecommerce",
                 "country": "US", "region": None, "merchant_name": "Faraway Shop"}
AT_HOME = {"terminal": "pos", "card_present": True, "entry_mode": "chip"}


def test_a_channel_switched_off_and_on_decides_the_next_payment(screen: Screen,
                                                                site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    row = page.locator("#sw-channel-online_overseas")
    switch = row.get_by_role("switch", name=screen.words("境外网上支付", "Online payments abroad"))
    assert switch.get_attribute("aria-checked") == "true"  # a new card has every channel on
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "approve"
    row.scroll_into_view_if_needed()
    screen.shot("before")

    switch.click()  # off raises the protection: no question
    expect(switch).to_have_attribute("aria-checked", "false")
    assert row.get_by_role("alertdialog").is_hidden()
    toast = page.locator("#toast")
    assert screen.words("已关闭境外网上支付", "Online payments abroad is off") in toast.inner_text()
    assert screen.words("付款将被拒绝", "declined") in page.locator(
        "#sw-channel-online_overseas-text").inner_text()
    screen.axe("the centre with a channel off")
    screen.shot("off")
    declined = site.authorize(wang, **ABROAD_ONLINE)
    assert (declined["outcome"], declined["primary_reason"]) == ("decline",
                                                                "online_overseas_off")
    assert site.authorize(wang, **AT_HOME)["outcome"] == "approve"  # only that channel

    switch.click()  # on lowers it: asked first, and nothing changes until yes
    ask = row.get_by_role("alertdialog")
    expect(ask).to_be_visible()
    assert switch.get_attribute("aria-checked") == "false"
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "decline"
    screen.axe("the question before a channel goes on")
    screen.shot("asks")
    ask.get_by_role("button", name=screen.words("确定打开", "Turn it on")).click()
    expect(switch).to_have_attribute("aria-checked", "true")
    assert site.authorize(wang, **ABROAD_ONLINE)["outcome"] == "approve"
    screen.shot("on")
    page.reload()  # what the server has, not what the script shows
    assert page.locator("#sw-channel-online_overseas").get_by_role("switch").get_attribute(
        "aria-checked") == "true"
    actions = [e.action for e in site.sg.read(lambda uow: uow.audit.for_card(wang.card_id, 10))]
    assert actions.count("set_controls.switches") == 2
