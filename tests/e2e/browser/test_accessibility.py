"""Accessible basics, checked in the browser: every control has a label, everything works
from the keyboard with a visible focus, and text contrast meets WCAG AA."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser.conftest import Site, sign_in

pytestmark = pytest.mark.slow  # a real browser: a few seconds each

UNLABELLED = """() => Array.from(document.querySelectorAll(
    'input:not([type=hidden]), select, textarea, button')).filter(el => {
  if (el.tagName === 'BUTTON') return !el.textContent.trim() && !el.getAttribute('aria-label');
  return !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
    && !el.getAttribute('aria-labelledby');
}).map(el => el.outerHTML.slice(0, 100))"""

# WCAG 2.1 contrast: 4.5:1 for text, 3:1 for large text (24px, or 18.66px bold).
LOW_CONTRAST = """() => {
  const parse = c => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return null;
    const p = m[1].split(',').map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = el => { for (; el; el = el.parentElement) {
      const c = parse(getComputedStyle(el).backgroundColor); if (c && c.a > 0) return c; }
    return {r: 255, g: 255, b: 255, a: 1}; };
  const low = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const st = getComputedStyle(el);
    if (st.display === 'none' || st.visibility === 'hidden') continue;
    if (!el.getClientRects().length) continue;
    const a = lum(parse(st.color)), b = lum(background(el));
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(st.fontSize), bold = parseInt(st.fontWeight, 10) >= 700;
    const need = (size >= 24 || (size >= 18.66 && bold)) ? 3 : 4.5;
    if (ratio < need) low.push(el.tagName + ' "' + el.textContent.trim().slice(0, 30) + '" '
                               + ratio.toFixed(2));
  }
  return low;
}"""


def check_page(page: Any, path: str) -> None:
    page.goto(path)
    assert page.evaluate(UNLABELLED) == [], path
    assert page.evaluate(LOW_CONTRAST) == [], path


def test_every_control_is_labelled_and_every_text_readable(page: Any, site: Site,
                                                           shots: Path) -> None:
    wang = site.holders["wang"]
    site.authorize(wang, entry_mode="magstripe")  # a pending verification, a decision
    check_page(page, "/signin")
    sign_in(page, site, wang)
    for tab in ("", "/locks", "/limits", "/verification", "/pending", "/transactions"):
        check_page(page, f"/cards/{wang.card_id}{tab}")
    page.goto("/lang/en?next=/cards/" + wang.card_id + "/locks")
    check_page(page, f"/cards/{wang.card_id}/locks")
    page.screenshot(path=str(shots / "locks_en.png"), full_page=True)
    check_page(page, "/console/signin")


def test_the_console_is_labelled_and_readable(page: Any, site: Site, shots: Path) -> None:
    wang = site.holders["wang"]
    site.authorize(wang)
    page.goto("/console/signin")
    page.get_by_label("API 密钥").fill(site.tokens["operator"])
    page.get_by_role("button", name="登录").click()
    for path in ("/console", f"/console?last4={wang.last4}", f"/console/cards/{wang.card_id}",
                 "/console/ceilings"):
        check_page(page, path)
    page.screenshot(path=str(shots / "ceilings.png"), full_page=True)
    from smartguard.service_layer import starter_pack
    from smartguard.service_layer.context import Actor
    site.sg.write(lambda uow: starter_pack.install(uow, site.sg.ctx, Actor("ops", "test")))
    for path in ("/console/rules", "/console/rules/card_testing",
                 "/console/rules/card_testing/backtest?days=7"):
        check_page(page, path)
    page.screenshot(path=str(shots / "rule.png"), full_page=True)


def tab_to(page: Any, selector: str, limit: int = 40) -> None:
    """Press Tab until ``selector`` has the focus (and show that the focus is visible)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


def test_signing_in_and_freezing_work_from_the_keyboard(page: Any, site: Site,
                                                        shots: Path) -> None:
    wang = site.holders["wang"]
    page.goto("/signin")
    tab_to(page, "#last4")
    page.keyboard.type(wang.last4)
    tab_to(page, "#phone")
    page.keyboard.type(wang.phone)
    page.keyboard.press("Enter")
    page.wait_for_url("**/signin/code")
    tab_to(page, "#code")
    page.keyboard.type(site.code_for(wang.phone))
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cards/{wang.card_id}")
    tab_to(page, "form[action$='/freeze'] button")
    page.screenshot(path=str(shots / "focus_on_freeze.png"))
    page.keyboard.press("Enter")
    page.wait_for_url("**done=done.frozen")
    assert page.locator("#card-status").inner_text() == "已止付（冻结）"
