"""``smartguard rules``: create, refuse what does not compile, move, list, backtest."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from smartguard.entrypoints.cli import main

RULE = ["--id", "night_atm", "--name", "Night cash", "--action", "alert",
        "--message-zh", "夜间取现", "--message-en", "Cash at night"]


def run(tmp_path: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["rules", *args, "--data-dir", str(tmp_path)])
    return result.exit_code, result.output


def test_a_rule_made_moved_listed_and_backtested_from_the_command_line(tmp_path: Path) -> None:
    code, out = run(tmp_path, "create", *RULE, "--expression",
                    'terminal == "atm" && (local_hour >= 23 || local_hour < 6)')
    assert code == 0, out
    assert json.loads(out)["status"] == "draft"
    code, out = run(tmp_path, "move", "night_atm", "shadow", "--operator", "ops1")
    assert code == 0, out
    code, out = run(tmp_path, "list")
    assert [(r["id"], r["status"]) for r in json.loads(out)] == [("night_atm", "shadow")]
    code, out = run(tmp_path, "backtest", "--expression", "amount > 100", "--days", "7")
    assert code == 0, out
    assert json.loads(out)["hits"] == 0 and json.loads(out)["days"] == 7


def test_a_rule_that_does_not_compile_is_refused_with_its_position(tmp_path: Path) -> None:
    code, out = run(tmp_path, "create", *RULE, "--expression", "amount >")
    assert code != 0
    assert "line 1, column 9" in out
    code, out = run(tmp_path, "create", *RULE, "--expression", "no_such_variable > 1")
    assert code != 0 and "no_such_variable" in out
    assert json.loads(run(tmp_path, "list")[1]) == []


def test_the_starter_pack_installs_in_shadow_once(tmp_path: Path) -> None:
    code, out = run(tmp_path, "install-starter-pack", "--shadow", "--operator", "ops1")
    assert code == 0, out
    installed = json.loads(out)
    assert len(installed) == 6
    assert {(i["installed"], i["status"]) for i in installed} == {(True, "shadow")}
    code, out = run(tmp_path, "install-starter-pack")
    assert code == 0 and not any(i["installed"] for i in json.loads(out))
    listed = json.loads(run(tmp_path, "list")[1])
    assert {r["id"] for r in listed} >= {"skimmed_card_cash_out", "card_testing"}
    assert {r["status"] for r in listed} == {"shadow"}
