"""One ISO 8583 authorization, followed from the socket to the COMMIT (docs/architecture.md,
"Follow one authorization"): the modules that hand it on are the ones the doc lists, at
most six, not counting the socket's own module, the rules and the repositories."""

from __future__ import annotations

import asyncio
import re
import sys
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from smartguard.adapters.iso8583 import codec
from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.entrypoints.iso8583.gateway import gateway_for
from smartguard.entrypoints.iso8583.server import IsoServer
from tests.iso_client import enrol, purchase

ROOT = Path(__file__).resolve().parents[2]
SRC = str(ROOT / "src" / "smartguard") + "/"
#: Where a snapshot of the call stack is taken: the request mapped, handed to the writer,
#: decided, committed.
MARKS = {("adapters/iso8583/mapping.py", "to_authorization"),
         ("service_layer/loop_writer.py", "submit_call"),
         ("domain/engine.py", "decide"),
         ("adapters/sql/uow.py", "commit")}
NOT_COUNTED = ("entrypoints/iso8583/server.py",  # the socket itself
               "domain/controls/",  # the rules
               "adapters/sql/", "adapters/sqlite/", "adapters/postgres/")  # the store


def documented_stops() -> list[str]:
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = doc.split("## Follow one authorization", 1)[1].split("\n## ", 1)[0]
    iso = section.split("### ", 2)[1]  # the ISO 8583 list comes first
    return re.findall(r"^[1-9]\. `([\w/]+\.py)`", iso, re.M)  # 0. is the socket


def traced_stops(tmp_path: Path) -> list[str]:
    """The project modules on the call stack at each mark, in the order first seen."""
    seen: list[str] = []

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        if event != "call" or not frame.f_code.co_filename.startswith(SRC):
            return
        where = frame.f_code.co_filename[len(SRC):]
        if (where, frame.f_code.co_name) not in MARKS:
            return
        stack: list[str] = []
        f: FrameType | None = frame
        while f is not None:
            name = f.f_code.co_filename
            if name.startswith(SRC) and name[len(SRC):] not in stack:
                stack.append(name[len(SRC):])
            f = f.f_back
        for module in reversed(stack):
            if module not in seen and not module.startswith(NOT_COUNTED):
                seen.append(module)

    async def one_authorization() -> str:
        sg = bootstrap(load(None, data_dir=tmp_path / "data"),
                       loop=asyncio.get_running_loop())
        await asyncio.to_thread(enrol, sg)
        server = IsoServer(gateway_for(sg), "127.0.0.1", 0)
        await server.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        sys.setprofile(profile)
        try:
            writer.write(codec.encode(purchase(1)))
            size = int.from_bytes(await reader.readexactly(2), "big")
            answer = codec.decode(await reader.readexactly(size))
        finally:
            sys.setprofile(None)
        writer.close()
        await server.stop()
        await sg.writer.aclose()
        sg.close()
        return answer["39"]

    assert asyncio.run(one_authorization()) == "00"
    return seen


def test_an_authorization_is_handed_on_by_the_six_modules_the_doc_lists(
        tmp_path: Path) -> None:
    stops = traced_stops(tmp_path)
    assert len(stops) <= 6, stops
    assert stops == documented_stops()


@pytest.mark.parametrize("module", ["adapters/iso8583/codec.py", "domain/controls/locks.py"])
def test_helpers_are_called_but_are_not_stops(tmp_path: Path, module: str) -> None:
    assert module not in traced_stops(tmp_path)
