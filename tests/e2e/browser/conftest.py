"""Browser tests: the served app (uvicorn on a free port, clock injected) driven by
Playwright through Debian's headless Chromium. ``.ci/run`` installs the ``chromium``
package; where it cannot be installed these tests skip and say why. Every test leaves
screenshots under ``test-output/<test name>/``."""

from __future__ import annotations

import asyncio
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from smartguard.bootstrap import App, bootstrap
from smartguard.config import load
from smartguard.entrypoints.http_api.app import create_asgi
from smartguard.service_layer import keys
from smartguard.service_layer.records import Role
from tests import sms
from tests.conftest import Clock
from tests.e2e.web.support import Holder, enrol

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def why_no_browser() -> str | None:
    if not CHROMIUM.exists():
        return (f"{CHROMIUM} is missing: install Debian's chromium package "
                "(.ci/run does: apt-get install -y chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Per module: sync Playwright keeps an event loop running on this thread while the
    browser lives, which would break later tests that start their own (asyncio.run)."""
    reason = why_no_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Site:
    """The running SmartGuard a browser test talks to."""

    base: str
    sg: App
    clock: Clock
    tokens: dict[str, str]
    holders: dict[str, Holder]
    stan: int = 0

    def code_for(self, phone: str) -> str:
        """The sign-in code last texted to ``phone`` (read from the outbox)."""
        return self.sg.read(lambda uow: sms.sign_in_code(uow, self.sg.ctx, phone))

    def authorize(self, holder: Holder, **fields: Any) -> dict[str, Any]:
        self.stan += 1
        body: dict[str, Any] = {
            "pan": holder.pan, "kind": "purchase", "amount": 10_000, "terminal": "pos",
            "card_present": True, "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
            "merchant_id": "SHOP1", "merchant_name": "Shop One", "acquirer_id": "10000001",
            "stan": f"{self.stan:06d}", "transmission_time": f"t{self.stan}", **fields}
        r = httpx.post(f"{self.base}/v1/authorizations", json=body, timeout=10,
                       headers={"Authorization": f"Bearer {self.tokens['processor']}"})
        r.raise_for_status()
        answer: dict[str, Any] = r.json()
        return answer


class Switch:
    """An ASGI app that hands every request to ``app``: one server (and one browser
    context) for the whole session, a fresh SmartGuard behind it for each test."""

    def __init__(self) -> None:
        self.app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            await self.app(scope, receive, send)


class Served:
    """uvicorn serving ``app`` from a background thread on a free local port, on an event
    loop of its own (``loop``) that SmartGuard's writer can join, as it does in ``serve``."""

    def __init__(self, app: Any) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="off")
        self.server = uvicorn.Server(config)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_until_complete(self.server.serve(sockets=[self.sock]))

    def __enter__(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.loop.close()
        self.sock.close()


@pytest.fixture(scope="module")
def server() -> Iterator[tuple[Served, Switch]]:
    switch = Switch()
    with Served(switch) as served:
        yield served, switch


@pytest.fixture
def site(tmp_path: Path, clock: Clock, server: tuple[Served, Switch]) -> Iterator[Site]:
    """SmartGuard on a fresh SQLite database, Wang Fang and Li Wei enrolled, the clock
    at 12:00 Beijing time (tests move it); writes on the server's loop, as in ``serve``."""
    served, switch = server
    base = f"http://127.0.0.1:{served.port}"
    sg = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock, loop=served.loop)
    tokens = {r.value: sg.write(lambda uow, r=r: keys.create_key(uow, sg.ctx, r)[1])
              for r in Role}
    holders = {"wang": enrol(sg, "王芳 Wang Fang", "+8613800000001", 1),
               "li": enrol(sg, "Li Wei", "+8613800000002", 2)}
    app = create_asgi(sg)
    found = Site(base, sg, clock, tokens, holders)
    switch.app = app
    yield found
    switch.app = None
    asyncio.run_coroutine_threadsafe(sg.writer.aclose(), served.loop).result(10)
    sg.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """This test's output folder (screenshots), emptied first."""
    folder = Path(request.config.rootpath) / "test-output" / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def phone(browser: Any, server: tuple[Served, Switch]) -> Iterator[Any]:
    """A phone-sized browser context, shared by the tests (cookies cleared for each)."""
    base = f"http://127.0.0.1:{server[0].port}"
    context = browser.new_context(base_url=base, viewport={"width": 390, "height": 844},
                                  device_scale_factor=1, locale="zh-CN")
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture(scope="module")
def phone_tab(phone: Any) -> Any:
    """One tab for every test (opening a tab costs most of a second here)."""
    return phone.new_page()


@pytest.fixture
def page(phone: Any, phone_tab: Any, site: Site, shots: Path) -> Iterator[Any]:
    """The phone's tab, without cookies; its last state is saved as ``last.png``."""
    phone.clear_cookies()
    yield phone_tab
    phone_tab.screenshot(path=str(shots / "last.png"), full_page=True)
    phone_tab.goto("about:blank")


def sign_in(page: Any, site: Site, holder: Holder, shots: Path | None = None) -> None:
    """Sign in on the page with the card's last 4 digits, the phone and the texted code."""
    page.goto("/signin")
    page.get_by_label("卡号后4位").fill(holder.last4)
    page.get_by_label("登记手机号码").fill(holder.phone[3:])
    page.get_by_role("button", name="发送验证码").click()
    page.wait_for_url("**/signin/code")
    if shots is not None:
        page.screenshot(path=str(shots / "code.png"), full_page=True)
    page.get_by_label("6位验证码").fill(site.code_for(holder.phone))
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**/cards/{holder.card_id}")
