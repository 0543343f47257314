"""A trip's dates in the browser, on a phone and on a desk, in zh-CN and English: picked
from a month drawn for a thumb and a 24-hour list, written in the page's language (never
the browser's mm/dd/yyyy), days before today not offered; the trip is saved for those
wall-clock times in the cardholder's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow


def pick(screen: Screen, field: str, day: str, clock: str, months_on: int = 0) -> None:
    """Open the picker under ``field``, go ``months_on`` months on, tap ``day`` (its
    spoken name), choose ``clock``, and close it."""
    page = screen.page
    page.locator(f"#{field}-pick-open").click()
    panel = page.locator(f"#{field}-pick")
    assert panel.is_visible()
    for _ in range(months_on):
        panel.get_by_role("button", name=screen.words("下个月", "Next month")).click()
    panel.get_by_role("button", name=day, exact=True).click()
    panel.locator("select").select_option(clock)
    panel.get_by_role("button", name=screen.words("完成", "Done")).click()
    assert not panel.is_visible()


def test_a_trip_is_picked_in_the_pages_date_format(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/travel")
    assert page.locator("input[type=date], input[type=datetime-local]").count() == 0
    page.locator("#travel-place").select_option("JP")
    page.locator("#travel-start-pick-open").click()
    panel = page.locator("#travel-start-pick")
    assert panel.locator(".dp-title").inner_text() == screen.words("2026年11月", "November 2026")
    before = panel.get_by_role("button", name=screen.words("2026年11月24日 星期二",
                                                          "Tue 24 November 2026"))
    assert before.is_disabled()  # the clock says 25 November: no trip starts before today
    assert panel.get_by_role("button", name=screen.words("上个月", "Previous month")).is_disabled()
    screen.axe("the travel page with its date picker")
    screen.shot("picker")
    panel.get_by_role("button", name=screen.words("完成", "Done")).click()

    pick(screen, "travel-start", screen.words("2026年11月28日 星期六", "Sat 28 November 2026"),
         "08:30")
    pick(screen, "travel-end", screen.words("2026年12月3日 星期四", "Thu 3 December 2026"),
         "22:00", months_on=1)
    start, end = page.locator("#travel-start"), page.locator("#travel-end")
    assert start.input_value() == screen.words("2026-11-28 08:30", "28 Nov 2026 08:30")
    assert end.input_value() == screen.words("2026-12-03 22:00", "3 Dec 2026 22:00")
    screen.shot("picked")
    page.get_by_role("button", name=screen.words("保存", "Save"), exact=True).click()
    page.wait_for_url("**done=done.travel_added")
    found = site.sg.read(lambda uow: uow.travel.for_card(wang.card_id))
    assert [(r.place, r.starts_at, r.ends_at) for r in found] == [  # Beijing is UTC+8
        ("JP", datetime(2026, 11, 28, 0, 30, tzinfo=UTC),
         datetime(2026, 12, 3, 14, 0, tzinfo=UTC))]
    trip = page.locator(f"#travel-{found[0].id}").inner_text()
    assert screen.words("2026-11-28 08:30 – 2026-12-03 22:00",
                        "28 Nov 2026 08:30 – 3 Dec 2026 22:00") in trip
    screen.axe("the travel page with a trip")
    screen.shot("saved")


def test_a_typed_date_is_read_back_by_the_picker_and_keys_move_the_day(
        screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.goto(f"/cards/{wang.card_id}/travel")
    page.locator("#travel-end").fill(screen.words("2026-12-24 18:00", "24 Dec 2026 18:00"))
    page.locator("#travel-end-pick-open").click()
    panel = page.locator("#travel-end-pick")
    assert panel.locator(".dp-title").inner_text() == screen.words("2026年12月", "December 2026")
    chosen = panel.locator("button.day[aria-pressed=true]")
    assert chosen.inner_text() == "24" and panel.locator("select").input_value() == "18:00"
    assert chosen.evaluate("b => b === document.activeElement")  # a thumb starts there
    for key in ("ArrowDown", "ArrowRight", "ArrowRight"):  # a keyboard too: 24 -> 31 -> 2 Jan
        page.keyboard.press(key)
    assert panel.locator(".dp-title").inner_text() == screen.words("2027年1月", "January 2027")
    page.keyboard.press("Enter")
    assert page.locator("#travel-end").input_value() == screen.words("2027-01-02 18:00",
                                                                   "2 Jan 2027 18:00")
    page.keyboard.press("Escape")
    assert not panel.is_visible()
    assert page.locator("#travel-end-pick-open").evaluate("b => b === document.activeElement")
