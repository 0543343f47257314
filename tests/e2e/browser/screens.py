"""What the security-centre browser tests share: a phone (390x844) or a desk (1280x800)
in zh-CN or English, axe-core run inside the page (the copy shipped in the
``axe-playwright-python`` package: no external host), and screenshots under
``test-output/<test>/``."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.browser.conftest import Site, sign_in
from tests.e2e.web.support import Holder

SIZES = {"phone": {"width": 390, "height": 844}, "desk": {"width": 1280, "height": 800}}
SCREENS = [("phone", "zh-CN"), ("desk", "en"), ("phone", "en"), ("desk", "zh-CN")]
BAD = ("serious", "critical")


@dataclass
class Screen:
    page: Any
    size: str
    lang: str
    shots: Path
    n: int = 0

    def shot(self, name: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.shots / f"{self.n:02d}-{name}.png"), full_page=True)

    def words(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh-CN" else en

    def sign_in(self, site: Site, holder: Holder) -> None:
        sign_in(self.page, site, holder)
        if self.lang == "en":
            self.page.goto(f"/lang/en?next=/cards/{holder.card_id}")

    def axe(self, what: str) -> None:
        """axe-core on the page as it is: no serious or critical violation."""
        from axe_playwright_python.sync_playwright import Axe

        found = Axe().run(self.page).response["violations"]
        bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
               for v in found if v["impact"] in BAD]
        assert bad == [], f"{what} ({self.size}, {self.lang}): {bad}"


def screen_ids() -> list[str]:
    return [f"{size}-{lang}" for size, lang in SCREENS]


@pytest.fixture(name="screen", params=SCREENS, ids=screen_ids())
def screen_fixture(request: pytest.FixtureRequest, browser: Any, server: Any, site: Site,
           shots: Path) -> Iterator[Screen]:
    size, lang = request.param
    base = f"http://127.0.0.1:{server[0].port}"
    context = browser.new_context(base_url=base, viewport=SIZES[size], device_scale_factor=1,
                                  locale=lang)
    context.set_default_timeout(10_000)
    found = Screen(context.new_page(), size, lang, shots)
    yield found
    found.shot("last")
    context.close()
