"""The configurations written in the default scenario's TOML (the controls beyond ICBC, SPEC
3.12), through the real engine on small populations: each attack alone is stopped by the
control meant for it and not by an unrelated one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from smartguard.simulate import parallel, report
from smartguard.simulate.configurations import chosen
from smartguard.simulate.configured import from_scenario
from smartguard.simulate.plan import make_plan
from smartguard.simulate.scenario import Scenario
from tests.integration.test_simulate import ATTENTIVE, scenario, stopped

#: Nobody reads an SMS: only what declines stops anything.
UNREAD = {"alert_missed": 1.0}
LOCKS = ("region_lock", "night_lock")


def simulate(sc: Scenario, *names: str) -> dict[str, dict[str, Any]]:
    plan = make_plan(sc)
    configs = chosen(names, from_scenario(sc.configurations))
    rep = report.report(sc, plan, parallel.run_all(sc, plan, configs, 1, False))
    return {c["name"]: c for c in rep["configurations"]}


def test_leaked_numbers_are_stopped_by_the_channel_switches_not_by_category_blocks(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"cnp": 0.3}, cardholder=UNREAD), "switches",
                   "category_blocks")
    assert stopped(got["switches"], "cnp") == 100.0  # online_overseas off
    assert stopped(got["category_blocks"], "cnp") == 0.0


def test_a_skimmed_card_is_stopped_by_the_locks_of_everything_not_by_switches_or_blocks(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"skim": 0.3}, cardholder=UNREAD), "switches",
                   "category_blocks", "beyond_icbc")
    assert stopped(got["switches"], "skim") == 0.0  # domestic: "abroad" is not it
    assert stopped(got["category_blocks"], "skim") == 0.0  # cash and jewellery
    assert stopped(got["beyond_icbc"], "skim") == 100.0


def test_the_scams_transfers_are_stopped_by_the_category_blocks_and_only_them(
        tmp_path: Path):
    got = simulate(scenario(tmp_path, {"scam": 0.3}, cardholder=UNREAD), "category_blocks",
                   "switches")
    blocks = got["category_blocks"]
    # the transfers to the "safe account" (money transfer) are declined; the same
    # victim's withdrawals at an ATM and gold bought at a jeweller's are not
    assert 0.0 < stopped(blocks, "scam") < 100.0
    assert blocks["fraud"]["scam"]["approved_per_attack"] > 0
    assert stopped(got["switches"], "scam") == 0.0


def test_locks_in_alert_only_mode_decline_nothing_and_stop_only_by_their_alerts(
        tmp_path: Path):
    unread = simulate(scenario(tmp_path, {"skim": 0.3}, cardholder=UNREAD),
                      "alert_only_locks", "region_lock")
    assert stopped(unread["region_lock"], "skim") == 100.0
    alert_only = unread["alert_only_locks"]
    assert stopped(alert_only, "skim") == 0.0  # no decline, and the alerts go unread
    assert not set(LOCKS) & set(alert_only["honest"]["decline_reasons"])
    read = simulate(scenario(tmp_path, {"skim": 0.3}, cardholder=ATTENTIVE),
                    "alert_only_locks")["alert_only_locks"]
    assert stopped(read, "skim") > 50.0  # read at night: ZF before the cash-out ends
    assert not set(LOCKS) & set(read["honest"]["decline_reasons"])
