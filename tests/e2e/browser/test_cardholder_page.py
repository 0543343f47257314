"""The cardholder's page in a real browser (headless Chromium), phone-sized, in zh-CN."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser.conftest import Site, sign_in

pytestmark = pytest.mark.slow  # a real browser: a few seconds each


def test_a_cardholder_signs_in_with_the_texted_code(page: Any, site: Site,
                                                    shots: Path) -> None:
    wang = site.holders["wang"]
    page.goto("/")
    assert page.url.endswith("/signin")
    page.screenshot(path=str(shots / "signin.png"), full_page=True)
    sign_in(page, site, wang, shots)
    assert page.locator("#card-status").inner_text() == "正常"
    assert page.get_by_text("¥10,000.00").is_visible()
    page.screenshot(path=str(shots / "overview.png"), full_page=True)


def test_the_night_lock_declines_the_next_0200_atm_withdrawal_and_says_why(
        page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    site.clock.set_local("2026-11-26T01:50")
    sign_in(page, site, wang)
    page.get_by_role("link", name="安全锁").click()
    night = page.locator("form#night_lock")
    night.get_by_label("开启夜间锁").check()
    night.get_by_role("button", name="保存").click()
    assert page.get_by_role("status").inner_text().startswith("已保存")
    page.screenshot(path=str(shots / "night_lock_on.png"), full_page=True)

    site.clock.set_local("2026-11-26T02:00")
    answer = site.authorize(wang, kind="cash_withdrawal", terminal="atm", amount=200_000,
                            pin_verified=True, merchant_id="ATM0001", merchant_name="ICBC ATM")
    assert (answer["outcome"], answer["primary_reason"]) == ("decline", "night_lock")

    page.get_by_role("link", name="交易记录").click()
    first = page.locator("ul.decisions > li").first
    assert "已拒绝" in first.inner_text()
    assert "ATM取现" in first.inner_text() and "¥2,000.00" in first.inner_text()
    assert "夜间锁：02:00在您设置的夜间时段内" in first.inner_text()
    page.screenshot(path=str(shots / "declined_explained.png"), full_page=True)


def test_a_fourth_province_is_refused_in_the_page_and_by_the_server(
        page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.goto(f"/cards/{wang.card_id}/locks")
    region = page.locator("form#region_lock")
    region.get_by_label("开启地区锁").check()
    for name in ("北京市", "河南省", "上海市"):
        region.get_by_label(name).check()
    region.get_by_label("广东省").click()
    error = page.locator("#err-region_lock-places")
    assert error.inner_text() == "最多选择3个常用地"
    assert not region.get_by_label("广东省").is_checked()
    page.screenshot(path=str(shots / "fourth_refused_in_page.png"), full_page=True)

    # Without the page's help (a script off, a crafted form) the server refuses it too.
    page.evaluate("document.querySelector('form#region_lock input[value=\"CN-GD\"]')"
                  ".checked = true")
    region.get_by_role("button", name="保存").click()
    error = page.locator("#err-region_lock-places")
    assert error.inner_text() == "最多选择3个常用地"
    assert page.locator("fieldset[aria-invalid=true]").count() == 1
    page.screenshot(path=str(shots / "fourth_refused_by_server.png"), full_page=True)
    assert not site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.region_lock.enabled


def test_freeze_and_unfreeze(page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.get_by_role("button", name="立即止付（冻结此卡）").click()
    assert page.locator("#card-status").inner_text() == "已止付（冻结）"
    assert site.authorize(wang)["primary_reason"] == "card_frozen"
    page.screenshot(path=str(shots / "frozen.png"), full_page=True)
    page.get_by_role("button", name="解除止付").click()
    assert page.locator("#card-status").inner_text() == "正常"
    assert site.authorize(wang)["outcome"] == "approve"
    page.screenshot(path=str(shots / "unfrozen.png"), full_page=True)


def test_a_confirmed_verification_lets_the_retry_through(page: Any, site: Site,
                                                         shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    first = site.authorize(wang, entry_mode="magstripe", amount=30_000,
                           merchant_id="WANGFUJING", merchant_name="Wangfujing Store")
    assert first["outcome"] == "verification_required"
    page.reload()
    page.get_by_role("link", name="去确认").click()
    assert "Wangfujing Store" in page.locator("main").inner_text()
    page.screenshot(path=str(shots / "pending.png"), full_page=True)
    page.get_by_role("button", name="是我本人，确认").click()
    assert page.get_by_role("status").inner_text().startswith("已确认")
    retry = site.authorize(wang, entry_mode="magstripe", amount=30_000,
                           merchant_id="WANGFUJING", merchant_name="Wangfujing Store")
    assert retry["outcome"] == "approve"
    page.get_by_role("link", name="交易记录").click()
    assert "已批准" in page.locator("ul.decisions > li").first.inner_text()
    page.screenshot(path=str(shots / "retry_approved.png"), full_page=True)


def test_another_cardholders_card_cannot_be_seen_or_changed(page: Any, site: Site,
                                                            shots: Path) -> None:
    wang, li = site.holders["wang"], site.holders["li"]
    sign_in(page, site, wang)
    for tab in ("", "/locks", "/transactions"):
        response = page.goto(f"/cards/{li.card_id}{tab}")
        assert response.status == 404
        text = page.locator("main").inner_text()
        assert "找不到这张卡或这个页面" in text and li.last4 not in text
    page.screenshot(path=str(shots / "not_yours.png"), full_page=True)
    # Wang's own freeze form, pointed at Li's card, changes nothing.
    page.goto(f"/cards/{wang.card_id}")
    page.evaluate(f"document.querySelector('form[action$=\"/freeze\"]').action = "
                  f"'/cards/{li.card_id}/freeze'")
    page.get_by_role("button", name="立即止付（冻结此卡）").click()
    assert "找不到这张卡或这个页面" in page.locator("main").inner_text()
    assert site.sg.read(lambda uow: uow.cards.get(li.card_id)).card.status.value == "active"
    assert site.sg.read(lambda uow: uow.cards.get(wang.card_id)).card.status.value == "active"


def test_the_check_up_fixes_a_finding_in_one_click(page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    sign_in(page, site, wang)
    page.get_by_role("link", name="安全检测", exact=True).first.click()
    before = int(page.locator("#score").inner_text())
    finding = page.locator("li", has=page.get_by_role("heading", name="夜间锁未开启"))
    assert "一键修复将：开启夜间锁（23:00–05:00，境内）" in finding.inner_text()
    page.screenshot(path=str(shots / "checkup.png"), full_page=True)
    finding.get_by_role("button", name="一键修复").click()
    assert page.get_by_role("status").inner_text().startswith("已修复")
    assert page.get_by_role("heading", name="夜间锁未开启").count() == 0
    assert int(page.locator("#score").inner_text()) > before
    assert site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.night_lock.enabled
    page.screenshot(path=str(shots / "fixed.png"), full_page=True)
