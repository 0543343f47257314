"""The security centre redraws itself at once, without reloading the page: a switch
changes the score gauge and the one-tap fixes (a fix the switch made moot goes, the next
one takes its place), and a one-tap fix changes the gauge, the fixes and the switch it
turned on. A mark left on ``window`` shows no page was loaded in between."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.e2e.browser.conftest import Site
from tests.e2e.browser.screens import Screen, screen_fixture  # noqa: F401

pytestmark = pytest.mark.slow

MARK = "window.sgStillHere"


def fix(page: Any, finding: str) -> Any:
    return page.locator(f"#fixes > li[id='fix-protection_off.{finding}']")


def score(page: Any) -> int:
    return int(page.locator("#centre-score").inner_text())


def server_score(site: Site, card_id: str) -> int:
    from smartguard.service_layer import checkup
    from smartguard.service_layer.context import Actor

    card = site.sg.read(lambda uow: uow.cards.get(card_id))
    actor = Actor("test", "test", card.cardholder.id)
    return site.sg.read(lambda uow: checkup.run_check_up(
        uow, site.sg.ctx, actor, card_id)).report.score


def test_a_switch_redraws_the_gauge_and_the_fixes_at_once(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.evaluate(f"{MARK} = true")
    shown = page.locator("#fixes > li")
    expect(fix(page, "overseas_cnp_lock")).to_have_count(1)
    assert shown.count() == 3
    before = score(page)
    page.locator("#sw-overseas_cnp_lock").get_by_role("switch").click()
    expect(fix(page, "overseas_cnp_lock")).to_have_count(0)  # moot now: gone
    expect(shown).to_have_count(3)  # the next finding takes its place
    assert score(page) == server_score(site, wang.card_id) > before
    assert page.evaluate(MARK) is True
    screen.axe("the centre redrawn after a switch")
    screen.shot("switched")


def test_a_one_tap_fix_redraws_the_centre_at_once(screen: Screen, site: Site) -> None:
    wang = site.holders["wang"]
    screen.sign_in(site, wang)
    page = screen.page
    page.evaluate(f"{MARK} = true")
    before = score(page)
    night = page.locator("#sw-night_lock").get_by_role("switch")
    assert night.get_attribute("aria-checked") == "false"
    fix(page, "night_lock").get_by_role("button").click()
    expect(fix(page, "night_lock")).to_have_count(0)
    expect(night).to_have_attribute("aria-checked", "true")  # the switch it turned on
    assert "23:00" in page.locator("#sw-night_lock-text").inner_text()
    assert screen.words("已修复", "Fixed") in page.locator("#toast").inner_text()
    assert page.locator("#toast .undo-now").is_hidden()  # a fix offers no undo
    assert score(page) == server_score(site, wang.card_id) > before
    assert site.sg.read(lambda uow: uow.cards.get(wang.card_id)).controls.night_lock.enabled
    assert page.evaluate(MARK) is True
    screen.axe("the centre redrawn after a fix")
    screen.shot("fixed")
    # what was redrawn works as well: a fix from the new list, then its switch back off
    fix(page, "overseas_lock").get_by_role("button").click()
    expect(fix(page, "overseas_lock")).to_have_count(0)
    switch = page.locator("#sw-overseas_lock").get_by_role("switch")
    expect(switch).to_have_attribute("aria-checked", "true")
    switch.click()
    page.locator("#sw-overseas_lock").get_by_role("alertdialog").get_by_role(
        "button", name=screen.words("确定关闭", "Turn it off")).click()
    expect(switch).to_have_attribute("aria-checked", "false")
    expect(fix(page, "overseas_lock")).to_have_count(1)  # and its fix is offered again
    assert page.evaluate(MARK) is True
