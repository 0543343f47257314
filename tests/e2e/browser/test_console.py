"""The operator console in a real browser."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser.conftest import Site, sign_in

pytestmark = pytest.mark.slow  # a real browser: a few seconds each


def test_an_operator_finds_the_card_and_sees_the_audit_trail(browser: Any, page: Any,
                                                             site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)  # the cardholder freezes and unfreezes on the page
    page.get_by_role("button", name="立即止付（冻结此卡）").click()
    page.get_by_role("button", name="解除止付").click()
    site.authorize(wang, kind="cash_withdrawal", terminal="atm", amount=600_000)

    console = browser.new_context(base_url=site.base, viewport={"width": 1280, "height": 900})
    tab = console.new_page()
    try:
        tab.goto("/console")
        assert tab.url.endswith("/console/signin")
        tab.get_by_label("API 密钥").fill(site.tokens["operator"])
        tab.get_by_role("button", name="登录").click()
        tab.get_by_label("卡号后4位").fill(wang.last4)
        tab.get_by_role("button", name="查找").click()
        tab.screenshot(path=str(shots / "found.png"), full_page=True)
        tab.get_by_role("link", name=f"622202******{wang.last4}").click()
        audit = tab.locator("table#audit tbody tr")
        rows = [audit.nth(i).inner_text() for i in range(audit.count())]
        assert "unfreeze" in rows[0] and "web" in rows[0]
        assert "freeze" in rows[1] and f"web:{wang.cardholder_id}" in rows[1]
        assert any("web.sign_in" in r for r in rows)
        assert "超过银行规定的ATM取现单笔限额" in tab.locator("main").inner_text()
        tab.screenshot(path=str(shots / "card_detail.png"), full_page=True)
        tab.goto("/console")
        assert tab.locator(".chart svg rect").count() >= 1
        tab.screenshot(path=str(shots / "chart.png"), full_page=True)
    finally:
        console.close()
