"""The command line, run as a newcomer would: real processes, real ports."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SMARTGUARD = [sys.executable, "-m", "smartguard.entrypoints.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SMARTGUARD, *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout)


def test_demo_plays_the_scripted_day_and_explains_each_decision(tmp_path: Path) -> None:
    out = run("demo", "--exit", "--port", str(free_port()), "--iso-port", str(free_port()),
              cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "region lock: Guangdong is not one of your usual provinces" in text
    assert "night lock: 02:13 is inside your night window" in text
    assert "overseas card-not-present lock" in text
    assert "a magnetic-stripe purchase needs your confirmation" in text
    assert "above your ATM cash daily amount limit" in text
    assert "balance back to ¥12,000.00" in text
    assert "partial reversal: ¥300.00 paid" in text  # the ATM paid out less than asked
    assert "¥200.00 given back, balance ¥70,701.00" in text
    assert (tmp_path / "smartguard-demo" / "smartguard.db").exists()
    assert "6222021" not in text  # no PAN in the output
    assert "{code}" not in text  # a verification SMS shows its code (a demo), not the mark
    # then one check-up report and one preview, from Zhang Jianguo's recorded history
    assert "Security check-up of 张建国 Zhang Jianguo's card" in text
    assert "Quick payment to 夜猫商城 NightCat Mall took money at night" in text
    assert "fix: suspend agreement NIGHTCAT-0042" in text
    assert "4 answered differently" in text
    assert text.count("would decline") == 4


def test_demo_refuses_to_wipe_a_directory_it_did_not_make(tmp_path: Path) -> None:
    precious = tmp_path / "smartguard-demo"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    out = run("demo", "--exit", "--port", str(free_port()), cwd=tmp_path)
    assert out.returncode != 0
    assert "not a demo directory" in out.stderr
    assert (precious / "keep.txt").exists()


def test_enrol_key_and_serve_then_stop_on_sigterm(tmp_path: Path) -> None:
    data = str(tmp_path / "data")
    assert run("db", "upgrade", "--data-dir", data, cwd=tmp_path).returncode == 0
    key = run("keys", "create", "--role", "operator", "--data-dir", data, cwd=tmp_path)
    token = key.stdout.strip().splitlines()[-1]
    enrol = subprocess.run(
        [*SMARTGUARD, "cards", "enrol", "--data-dir", data, "--name", "Wang",
         "--phone", "+8613800000001", "--balance", "100000"],
        input="6222021000000000017\n", capture_output=True, text=True, cwd=tmp_path,
        timeout=60)
    assert enrol.returncode == 0, enrol.stderr
    assert "6222021000000000017" not in enrol.stdout
    card_id = enrol.stdout.split()[1]
    port = free_port()
    server = subprocess.Popen([*SMARTGUARD, "serve", "--data-dir", data, "--port", str(port),
                               "--no-iso"], cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    try:
        body = wait_for_card(port, token, card_id)
        assert body["masked_pan"] == "622202******0017"
        assert body["account"]["balance"] == 100000
    finally:
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=30) == 0


def wait_for_card(port: int, token: str, card_id: str) -> dict[str, object]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/cards/{card_id}",
                                     headers={"Authorization": f"Bearer {token}"})
    deadline = time.time() + 30
    while True:
        try:
            with urllib.request.urlopen(request, timeout=2) as r:
                body: dict[str, object] = json.loads(r.read())
                return body
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.1)


def test_bad_config_file_is_a_clear_error(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("http_prot = 80\n")
    out = run("db", "upgrade", "--config", str(config), cwd=tmp_path)
    assert out.returncode == 1
    assert "unknown settings: http_prot" in out.stderr
