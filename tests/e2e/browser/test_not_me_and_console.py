"""'Not me' from a declined transaction (phone and desk, zh-CN and English), and the
operator console on a phone: no table squeezed to one character a line, stored values in
words."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow


def test_not_me_from_a_declined_transaction(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    site.authorize(wang, amount=700_000_00, merchant_id="BADSHOP", merchant_name="Bad Shop")
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/transactions")
    first = page.locator("ul.decisions > li").first
    assert first.locator(".badge.decline").count() == 1
    assert first.locator(".icon.card svg").count() == 1  # the channel's picture
    screen.axe("the transactions")
    screen.shot("transactions")
    first.get_by_role("link", name=screen.words("不是我", "Not me")).click()
    page.wait_for_url("**/not-me")
    assert "Bad Shop" in page.locator("main").inner_text()
    screen.axe("not me")
    screen.shot("not-me")
    page.locator("#step-freeze").get_by_role("button").click()
    page.wait_for_url("**/not-me?done=done.frozen")
    page.locator("#step-merchant").get_by_role("button").click()
    page.wait_for_url("**/not-me?done=done.merchant_blocked")
    card = site.sg.read(lambda uow: uow.cards.get(wang.card_id))
    assert card.card.status.value == "frozen" and "BADSHOP" in card.controls.merchants.blocked
    assert screen.words("致电银行客服", "Call the bank") in page.locator("#step-next").inner_text()
    screen.shot("done")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_console_on_a_phone(browser: Any, site: Site, shots: Any, lang: str) -> None:
    wang = site.holders["wang"]
    site.authorize(wang, entry_mode="magstripe")  # an alert, a challenge, an audit trail
    context = browser.new_context(base_url=site.base, viewport={"width": 390, "height": 844})
    tab = context.new_page()
    try:
        tab.goto("/console/signin")
        if lang == "en":
            tab.goto("/lang/en?next=/console/signin")
        tab.locator("input[name=api_key]").fill(site.tokens["operator"])
        tab.locator("form button[type=submit]").last.click()
        tab.goto(f"/console?last4={wang.last4}")
        tab.goto(f"/console/cards/{wang.card_id}")
        text = tab.locator("main").inner_text()
        assert ("标准借记卡" if lang == "zh-CN" else "Standard debit card") in text
        assert ("北京时间 (Asia/Shanghai)" if lang == "zh-CN" else "China time") in text
        assert "debit_standard" not in text
        narrow = tab.evaluate("""() => Array.from(document.querySelectorAll('td'))
            .filter(td => td.textContent.trim().length > 3 && td.getClientRects().length
                    && td.getBoundingClientRect().width < 80).length""")
        assert narrow == 0
        wide = tab.evaluate("""() => Array.from(document.querySelectorAll('main *'))
            .filter(el => !el.closest('thead') && el.getBoundingClientRect().right > 392)
            .map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40))""")
        assert wide == []
        from axe_playwright_python.sync_playwright import Axe

        bad = [v["id"] for v in Axe().run(tab).response["violations"]
               if v["impact"] in ("serious", "critical")]
        assert bad == []
        tab.screenshot(path=str(shots / f"console-card-{lang}.png"), full_page=True)
    finally:
        context.close()
