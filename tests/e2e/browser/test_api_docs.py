"""Swagger UI and ReDoc render on a closed network: every request to a host other than
the server's own is blocked, and none is even tried."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from tests.e2e.browser.conftest import Site


def closed_network(page: Any, base: str) -> list[str]:
    """Block every request outside ``base``; returns the list of those tried."""
    local = urlsplit(base).netloc
    tried: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).netloc == local or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            tried.append(url)
            r.abort()

    page.route("**/*", route)
    return tried


def test_swagger_ui_renders_offline_and_authorizes_with_a_key(browser: Any,
                                                              site: Site) -> None:
    context = browser.new_context(base_url=site.base)
    page = context.new_page()
    tried = closed_network(page, site.base)
    page.goto("/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=20_000)
    assert page.locator(".opblock").count() > 40
    assert page.get_by_text("/v1/authorizations").first.is_visible()
    page.get_by_role("button", name="Authorize").first.click()
    assert page.locator(".auth-container").count() >= 2  # bearer and X-API-Key
    assert tried == []
    context.close()


def test_redoc_renders_offline(browser: Any, site: Site) -> None:
    context = browser.new_context(base_url=site.base)
    page = context.new_page()
    tried = closed_network(page, site.base)
    page.goto("/redoc")
    page.wait_for_selector("text=Decide an authorization", timeout=20_000)
    assert tried == []
    context.close()
