"""The simulator through the real engine, on small populations: deterministic, and each
attack stopped by the protection meant for it and not by an unrelated one."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from smartguard.entrypoints.cli import main
from smartguard.simulate import parallel, report
from smartguard.simulate.configurations import chosen
from smartguard.simulate.model import AttackKind
from smartguard.simulate.plan import make_plan
from smartguard.simulate.scenario import Scenario, load

ARCHETYPES = ("commuter", "night_shift", "student", "elderly", "traveller")
#: An attentive cardholder: reads every SMS within minutes, day and night.
ATTENTIVE = {"alert_missed": 0.0, "small_ignored": 0.0, "sleep": [0, 0]}


def scenario(tmp_path: Path, attacks: dict[str, float], trips: bool = True,
             cardholder: dict[str, Any] | None = None, scam: dict[str, Any] | None = None,
             cardholders: int = 40, seed: int = 16) -> Scenario:
    lines = [f"[attacks.{k.value}]\nrate = {attacks.get(k.value, 0.0)}" for k in AttackKind]
    if scam:
        lines += [f"{k} = {v}" for k, v in scam.items()]  # appended to [attacks.scam]
    if not trips:
        lines += [f"[archetypes.{a}]\ndomestic_trips = 0\noverseas_trips = 0"
                  for a in ARCHETYPES]
    if cardholder:
        lines.append("[cardholder]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in cardholder.items()]
    path = tmp_path / f"scenario-{len(list(tmp_path.iterdir()))}.toml"
    path.write_text("\n".join(lines) + "\n")
    return load(path, cardholders=cardholders, days=45, learn_days=35, seed=seed)


def simulate(sc: Scenario, *names: str, workers: int = 1) -> dict[str, dict[str, Any]]:
    plan = make_plan(sc)
    rep = report.report(sc, plan, parallel.run_all(sc, plan, chosen(names), workers, False))
    return {c["name"]: c for c in rep["configurations"]}


def stopped(result: dict[str, Any], kind: str) -> float:
    measures = result["fraud"][kind]
    assert measures["attacks"] > 0 and measures["value"] > 0, f"no {kind} fraud at stake"
    return float(measures["value_stopped_pct"])


def test_the_same_seed_and_scenario_give_the_same_report_byte_for_byte(tmp_path: Path):
    attacks = {k.value: 0.1 for k in AttackKind}
    sc = scenario(tmp_path, attacks, cardholders=30)
    names = chosen(("none", "icbc_defaults", "checkup", "recommended_rules"))

    def once(sc: Scenario, workers: int = 1) -> str:
        plan = make_plan(sc)
        return report.to_json(report.report(sc, plan, parallel.run_all(
            sc, plan, names, workers, False)))

    first = once(sc)
    assert once(sc) == first
    assert once(sc, workers=2) == first  # in worker processes: the same bytes
    assert once(scenario(tmp_path, attacks, cardholders=30, seed=17)) != first


def test_with_everything_off_nothing_is_stopped(tmp_path: Path):
    none = simulate(scenario(tmp_path, {k.value: 0.15 for k in AttackKind}), "none")["none"]
    for kind in AttackKind:
        assert stopped(none, kind.value) == 0.0
        assert none["fraud"][kind.value]["transactions_stopped_pct"] == 0.0
    assert none["honest"]["declined"] == none["honest"]["verified"] == 0
    assert none["alerts_per_cardholder_month"] == 0.0


def test_a_skimmed_card_is_stopped_by_the_region_lock_not_by_the_overseas_cnp_lock(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"skim": 0.3}), "region_lock", "overseas_cnp_lock")
    assert stopped(got["region_lock"], "skim") == 100.0
    assert stopped(got["overseas_cnp_lock"], "skim") == 0.0


def test_leaked_numbers_are_stopped_by_the_overseas_cnp_lock_not_by_the_region_lock(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"cnp": 0.3}), "overseas_cnp_lock", "region_lock")
    assert stopped(got["overseas_cnp_lock"], "cnp") == 100.0
    assert stopped(got["region_lock"], "cnp") == 0.0


def test_a_lost_card_is_stopped_by_alerts_and_sms_stop_payment_not_by_the_overseas_lock(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"lost": 0.3}, cardholder=ATTENTIVE), "alerts",
                   "overseas_lock")
    assert stopped(got["alerts"], "lost") > 50.0
    assert got["alerts"]["fraud"]["lost"]["approved_per_attack"] < got["overseas_lock"][
        "fraud"]["lost"]["approved_per_attack"]
    assert stopped(got["overseas_lock"], "lost") == 0.0


def test_a_hidden_binding_is_stopped_when_its_alerts_are_read_and_only_then(tmp_path: Path):
    read = simulate(scenario(tmp_path, {"binding": 0.3}, cardholder=ATTENTIVE), "alerts")
    assert stopped(read["alerts"], "binding") > 50.0
    unread = simulate(scenario(tmp_path, {"binding": 0.3}, cardholder={"alert_missed": 1.0}),
                      "alerts", "overseas_cnp_lock")
    assert stopped(unread["alerts"], "binding") == 0.0
    assert stopped(unread["overseas_cnp_lock"], "binding") == 0.0


def test_locks_cannot_stop_the_scam_limits_can_and_a_coached_victim_confirms(
        tmp_path: Path):
    locks = ("region_lock", "overseas_lock", "night_lock", "overseas_cnp_lock")
    got = simulate(scenario(tmp_path, {"scam": 0.3}, scam={"confirms": 1.0}), *locks,
                   "limits", "large_purchase_verification")
    for name in locks:
        assert stopped(got[name], "scam") == 0.0
    assert stopped(got["limits"], "scam") > 0.0
    assert stopped(got["large_purchase_verification"], "scam") == 0.0
    wary = simulate(scenario(tmp_path, {"scam": 0.3}, scam={"confirms": 0.0}),
                    "large_purchase_verification")
    assert stopped(wary["large_purchase_verification"], "scam") > 0.0


def test_an_honest_cardholder_who_stays_at_home_is_never_declined_by_the_region_lock(
        tmp_path: Path):
    home = simulate(scenario(tmp_path, {}, trips=False), "region_lock")["region_lock"]
    assert home["honest"]["transactions"] > 200
    assert home["honest"]["declined"] == 0
    away = simulate(scenario(tmp_path, {}, trips=True), "region_lock")["region_lock"]
    assert away["honest"]["decline_reasons"].get("region_lock", 0) > 0  # travellers are


def test_the_command_writes_the_report_table_and_plot(tmp_path: Path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["simulate", "--cardholders", "15", "--days", "40",
                                       "--only", "none,alerts", "--workers", "1", "--quiet",
                                       "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "| Nothing on (no SMS at all) |" in result.output
    rep = json.loads((out / "report.json").read_text())
    assert [c["name"] for c in rep["configurations"]] == ["none", "alerts"]
    assert (out / "report.md").read_text().startswith("Seed 16, 15 cardholders")
    assert (out / "frontier.png").read_bytes()[:4] == b"\x89PNG"


def test_an_unknown_configuration_is_a_clear_error():
    result = CliRunner().invoke(main, ["simulate", "--only", "moat", "--quiet"])
    assert result.exit_code != 0 and "unknown: moat" in result.output
