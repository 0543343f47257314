"""The bank's starter pack of monitoring rules in the simulator (simulate/rulepack.py),
through the real rules use case and engine on small populations: the pack stops the attack
it is written for and not an unrelated one, and in shadow it changes no decision."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path
from typing import Any

from smartguard.domain.rules import RuleStatus
from smartguard.simulate import report, runner
from smartguard.simulate.configurations import BY_NAME, Configuration
from smartguard.simulate.model import AttackKind
from smartguard.simulate.plan import make_plan
from smartguard.simulate.scenario import Scenario
from tests.integration.test_simulate import scenario, simulate, stopped

#: Nobody reads an SMS: only what declines stops anything.
UNREAD = {"alert_missed": 1.0}


def test_a_skimmed_card_is_stopped_by_the_starter_pack_not_by_the_overseas_cnp_lock(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"skim": 0.3}, cardholder=UNREAD), "starter_pack",
                   "overseas_cnp_lock")
    assert stopped(got["starter_pack"], "skim") == 100.0
    assert stopped(got["overseas_cnp_lock"], "skim") == 0.0


def test_the_starter_pack_does_not_stop_a_lost_card_or_the_scam(tmp_path: Path):
    got = simulate(scenario(tmp_path, {"lost": 0.3, "scam": 0.3}, cardholder=UNREAD),
                   "starter_pack", "recommended")
    assert stopped(got["starter_pack"], "lost") == 0.0
    assert stopped(got["starter_pack"], "scam") == 0.0
    assert stopped(got["recommended"], "scam") > 0.0  # the attacks can be stopped


def played(sc: Scenario, tmp_path: Path, *configs: Configuration
           ) -> tuple[list[dict[str, Any]], list[int]]:
    """Each configuration's report entry without its name, and the rule hits its store
    recorded."""
    plan = make_plan(sc)
    entries, hits = [], []
    for c in configs:
        where = tmp_path / c.name
        where.mkdir()
        tally = runner.run(sc, plan, c, where)
        entry = report.measures(tally, plan, c)
        entries.append({k: v for k, v in entry.items() if k not in ("name", "label")})
        with sqlite3.connect(where / "smartguard.db") as db:
            hits.append(db.execute("SELECT count(*) FROM rule_hits").fetchone()[0])
    return entries, hits


def test_the_starter_pack_in_shadow_records_its_hits_and_changes_no_decision(
        tmp_path: Path):
    sc = scenario(tmp_path, {k.value: 0.15 for k in AttackKind})
    for base in (BY_NAME["starter_pack"], BY_NAME["recommended"]):
        without = replace(base, name=f"{base.name}_without", rules=None)
        shadow = replace(base, name=f"{base.name}_shadow", rules=RuleStatus.SHADOW)
        (off, seen), (no_hits, hits) = played(sc, tmp_path, without, shadow)
        assert seen == off
        assert no_hits == 0 and hits > 0  # the rules ran, and matched
    (active,), _ = played(sc, tmp_path, BY_NAME["starter_pack"])
    assert stopped({"fraud": active["fraud"]}, "skim") == 100.0  # active, they stop it
