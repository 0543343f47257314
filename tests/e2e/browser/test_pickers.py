"""The pickers in the browser, on a phone and on a desk, in zh-CN and English: provinces
from a searchable list with chips, a 4th refused in place; the night window from the
24-hour picker; a limit from its presets."""

from __future__ import annotations

import pytest

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow


def test_a_fourth_province_is_refused_in_place(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/locks")
    region = page.locator("form#region_lock")
    search = region.get_by_label(screen.words("搜索省份", "Search provinces"))
    for query in ("北京", "shanghai", "zhejiang"):
        search.fill(query)
        shown = region.locator(".picker-list li:not([hidden])")
        assert shown.count() == 1  # the list narrows to what was typed (either language)
        shown.locator("input").check()
    assert region.locator(".count").inner_text() == screen.words("已选3/3", "3 of 3 chosen")
    assert region.locator("button.chip").count() == 3
    search.fill("")
    screen.axe("the locks with a picker")
    region.locator("input[value=CN-GD]").click()  # a fourth
    error = page.locator("#err-region_lock-places")
    assert error.inner_text() == screen.words("最多选择3个常用地", "choose at most 3 places")
    assert not region.locator("input[value=CN-GD]").is_checked()
    screen.shot("fourth-refused")
    region.locator("button.chip").filter(has_text=screen.words("上海市", "Shanghai")).click()
    assert region.locator(".count").inner_text() == screen.words("已选2/3", "2 of 3 chosen")
    region.locator("input[value=CN-GD]").check()
    region.get_by_label(screen.words("开启地区锁", "Region lock on")).check()
    region.get_by_role("button", name=screen.words("保存", "Save"), exact=True).click()
    page.wait_for_url("**done=done.saved*")
    lock = site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.region_lock
    assert lock.enabled and set(lock.places) == {"CN-BJ", "CN-ZJ", "CN-GD"}
    assert site.authorize(wang, region="CN-SH")["outcome"] == "decline"
    screen.shot("saved")


def test_the_night_window_is_set_with_the_24_hour_picker(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/locks")
    night = page.locator("form#night_lock")
    start = night.get_by_label(screen.words("开始时间", "Starts at"))
    assert start.evaluate("el => el.tagName") == "SELECT"  # not the browser's 11:00 PM
    assert "23:00" in start.locator("option:checked").inner_text()
    assert "PM" not in night.inner_text()
    start.select_option("22:30")
    night.get_by_label(screen.words("结束时间", "Ends at")).select_option("06:00")
    night.get_by_label(screen.words("开启夜间锁", "Night lock on")).check()
    screen.shot("night")
    night.get_by_role("button", name=screen.words("保存", "Save"), exact=True).click()
    page.wait_for_url("**done=done.saved*")
    lock = site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.night_lock
    assert (f"{lock.start:%H:%M}", f"{lock.end:%H:%M}", lock.enabled) == ("22:30", "06:00", True)
    page.goto(f"/cards/{wang.card_id}")
    assert "22:30" in page.locator("#sw-night_lock").inner_text()


def test_a_limit_from_its_presets_under_the_banks_ceiling(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/limits")
    atm = page.locator("form#limits-atm_cash")
    presets = atm.get_by_role("group").first
    presets.get_by_role("button").filter(has_text=screen.words("安全默认", "Safe default")).click()
    assert atm.locator("input[name=per_txn]").input_value() == "2000.00"
    screen.axe("the limits")
    screen.shot("limits")
    atm.get_by_role("button", name=screen.words("保存", "Save"), exact=True).click()
    page.wait_for_url("**done=done.saved*")
    saved = site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.limits
    assert saved[next(iter(saved))].per_txn == 200_000
