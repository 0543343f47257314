"""The report's arithmetic: the frontier and the measures of a tally."""

from __future__ import annotations

from datetime import UTC, datetime

from smartguard.simulate.model import Attack, AttackKind
from smartguard.simulate.plot import frontier
from smartguard.simulate.report import fraud_measures
from smartguard.simulate.tally import Step, Tally

T0 = datetime(2026, 4, 1, tzinfo=UTC)


def test_the_frontier_keeps_the_points_no_other_beats_on_both_counts():
    pts = [(0.0, 0.0, "none"), (0.2, 40.0, "a"), (0.1, 50.0, "b"), (3.0, 60.0, "c"),
           (4.0, 55.0, "d"), (10.0, 99.0, "e")]
    assert [name for _, _, name in frontier(pts)] == ["none", "b", "c", "e"]


def test_fraud_measures_leave_background_declines_out_of_what_is_at_stake():
    attacks = (Attack(0, AttackKind.SKIM, 0, T0), Attack(1, AttackKind.SKIM, 1, T0),
               Attack(2, AttackKind.CNP, 2, T0))
    t = Tally(attacks, {
        1: Step(0, 500_00, lost=500_00, tried=True),  # approved
        2: Step(0, 300_00, tried=True),  # stopped
        3: Step(1, 200_00, background=True, tried=True),  # no funds: not a protection's
        4: Step(1, 100_00),  # never tried: stopped
        5: Step(2, 50_00, lost=50_00, tried=True),
    })
    skim = fraud_measures(t, frozenset({AttackKind.SKIM}))
    assert skim["value"] == 900_00 and skim["lost"] == 500_00 and skim["stopped"] == 400_00
    assert skim["value_stopped_pct"] == 44.44 and skim["transactions_stopped_pct"] == 66.67
    assert skim["approved_per_attack"] == 0.5 and skim["background_value"] == 200_00
    assert fraud_measures(t, frozenset(AttackKind))["attacks"] == 3
