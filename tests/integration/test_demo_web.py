"""The demo's web page: its instructions, and the demo log that shows sign-in codes."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path

import pytest

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.entrypoints import demo_web
from smartguard.entrypoints.demo_data import HOLDERS
from smartguard.service_layer import cards, signin
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from tests import sms
from tests.conftest import Clock


def test_the_instructions_give_the_urls_and_a_demo_sign_in() -> None:
    text = demo_web.instructions("http://127.0.0.1:8000")
    holder = HOLDERS[0]
    assert "http://127.0.0.1:8000/ " in text and "http://127.0.0.1:8000/console" in text
    assert f"card ending {holder.pan[-4:]}" in text and holder.phone[3:] in text


def test_the_demo_log_shows_each_sign_in_code_once(tmp_path: Path, clock: Clock,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    sg = bootstrap(load(None, data_dir=tmp_path / "data"), clock=clock)
    holder = HOLDERS[0]
    actor = Actor("demo", "cli")

    def enrol(uow: UnitOfWork) -> None:
        h = cards.enrol_cardholder(uow, sg.ctx, actor, holder.name, holder.phone)
        a = cards.open_account(uow, sg.ctx, actor, h.id)
        cards.enrol_card(uow, sg.ctx, actor, holder.pan, a.id)

    sg.write(enrol)
    sg.write(lambda uow: signin.request_code(uow, sg.ctx, holder.pan[-4:], holder.phone, "x"))
    code = sg.read(lambda uow: sms.sign_in_code(uow, sg.ctx, holder.phone))

    async def watch() -> None:
        task = asyncio.create_task(demo_web.print_sign_in_codes(sg))
        await asyncio.sleep(demo_web.POLL_SECONDS * 3)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    try:
        asyncio.run(watch())
    finally:
        sg.close()
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("demo SMS")]
    assert len(lines) == 1
    assert code in lines[0] and "+86138****0001" in lines[0]
