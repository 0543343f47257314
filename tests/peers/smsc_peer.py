"""Start and stop the test SMS centre (tests/peers/smsc/smsc.js, on npm's ``smpp``)."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).parent / "smsc"
SYSTEM_ID, PASSWORD = "smartguard", "secret"


def unavailable() -> str | None:
    """Why the peer cannot run here, or None. Installs its npm packages when missing."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node and npm are needed for the SMPP peer (node-smpp)"
    if not (HERE / "node_modules" / "smpp").exists():
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE,
                              capture_output=True, text=True, timeout=300, check=False)
        if done.returncode != 0:
            return f"npm ci failed in {HERE}: {done.stderr[-500:]}"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Smsc:
    """A running SMS centre; ``restart`` keeps its ports and its record of messages."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.port, self.control_port = free_port(), free_port()
        self.proc: subprocess.Popen[str] | None = None

    def start(self) -> None:
        if self.proc is not None:  # it killed itself (die_after): reap it first
            self.proc.wait(timeout=10)
        self.proc = subprocess.Popen(
            ["node", str(HERE / "smsc.js"), "--port", str(self.port), "--control-port",
             str(self.control_port), "--log", str(self.log), "--system-id", SYSTEM_ID,
             "--password", PASSWORD],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert json.loads(line)["smpp_port"] == self.port, line

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
            self.proc = None

    def dead(self) -> bool:
        return self.proc is None or self.proc.poll() is not None

    def kill(self) -> None:
        """SIGKILL: the centre dies without a word (no unbind; the kernel closes its sockets)."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(timeout=10)
            self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    @property
    def control(self) -> str:
        return f"http://127.0.0.1:{self.control_port}"

    def received(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = httpx.get(self.control + "/received", timeout=5).json()
        return found

    def stats(self) -> dict[str, int]:
        found: dict[str, int] = httpx.get(self.control + "/stats", timeout=5).json()
        return found

    def behave(self, **rules: Any) -> None:
        """Set the SMS centre's misbehaviour (see smsc.js: silent, refuse_part)."""
        httpx.post(self.control + "/behaviour", json=rules, timeout=5).raise_for_status()

    async def mo(self, sender: str, text: str, message_id: str) -> dict[str, Any]:
        """Send a mobile-originated SMS; returns once SmartGuard acknowledged it."""
        async with httpx.AsyncClient(timeout=30) as client:
            r = await client.post(self.control + "/mo", json={
                "from": sender, "text": text, "message_id": message_id})
            found: dict[str, Any] = r.json()
            return found


def wait_for(predicate: Any, timeout: float = 15.0, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")


async def until(predicate: Any, timeout: float = 20.0, step: float = 0.05) -> Any:
    """``wait_for`` inside an event loop (the notifier runs on the same loop)."""
    import asyncio

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await asyncio.to_thread(predicate)
        if value:
            return value
        await asyncio.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {predicate}")
