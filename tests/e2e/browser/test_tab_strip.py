"""The tab strip on a phone: whichever tab is open, it is scrolled into view and can be
seen (not under the fade that says more tabs follow), in zh-CN and English. Seen means
the pixels: the tab's box looks different with its text hidden."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow

TABS = ["/locks", "/travel", "/limits", "/alerts", "/transactions"]


def seen(page: Any, link: Any) -> bool:
    box = link.bounding_box()
    clip = {"x": max(box["x"], 0), "y": box["y"], "width": min(box["width"], 60),
            "height": box["height"]}
    shown = page.screenshot(clip=clip)
    link.evaluate("a => { a.style.visibility = 'hidden'; }")
    gone = page.screenshot(clip=clip)
    link.evaluate("a => { a.style.visibility = ''; }")
    return shown != gone


def test_the_open_tab_is_in_view_and_visible(screen: Screen, site: Site) -> None:
    if screen.size != "phone":
        pytest.skip("the desk shows every tab")
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    for tab in TABS:
        page.goto(f"/cards/{wang.card_id}{tab}")
        current = page.locator("nav.tabs [aria-current=page]")
        box = current.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 391, tab
        assert seen(page, current), f"{tab}: the open tab is in view but cannot be seen"
    screen.shot("tabs")
