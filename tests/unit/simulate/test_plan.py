"""The simulator's plan: made from the seed alone, and each attack with its shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import EntryMode, MessageKind, TerminalType
from smartguard.simulate import draw
from smartguard.simulate.model import AttackKind, Binding, Payment, Plan
from smartguard.simulate.plan import make_plan
from smartguard.simulate.population import holders
from smartguard.simulate.scenario import YUAN, load

ALL_ATTACKS = """
[attacks.skim]
rate = 0.2
[attacks.cnp]
rate = 0.2
[attacks.lost]
rate = 0.2
[attacks.binding]
rate = 0.2
[attacks.scam]
rate = 0.2
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    path = tmp_path_factory.mktemp("sc") / "attacks.toml"
    path.write_text(ALL_ATTACKS)
    return make_plan(load(path, cardholders=150, days=60, learn_days=30))


def _steps(plan: Plan, kind: AttackKind) -> dict[int, list[Payment | Binding]]:
    ids = {a.id for a in plan.attacks if a.kind is kind}
    out: dict[int, list[Payment | Binding]] = {}
    for e in plan.events:
        if isinstance(e, Payment | Binding) and e.attack in ids:
            out.setdefault(e.attack, []).append(e)
    assert len(out) >= 5, f"too few {kind} attacks in the plan"
    return out


def _hour(plan: Plan, e: Payment | Binding) -> int:
    return draw.local(e.at, plan.holders[e.holder].home.timezone).hour


def test_the_same_seed_makes_the_same_plan_and_another_seed_another():
    size = {"cardholders": 30, "days": 20, "learn_days": 10}
    a, b = make_plan(load(**size)), make_plan(load(**size))
    assert a == b
    assert make_plan(load(seed=17, **size)).events != a.events


def test_a_cardholder_depends_on_the_seed_and_their_index_only():
    few, many = holders(load(cardholders=10)), holders(load(cardholders=50))
    assert many[:10] == few


def test_every_attack_starts_after_the_learning_weeks(plan: Plan):
    assert plan.attacks
    assert all(a.start >= plan.measured_from - draw.instant(
        plan.measured_from.date(), 0, 0, 0, "Asia/Shanghai").utcoffset() for a in plan.attacks)  # type: ignore[operator]
    attacked = {a.holder for a in plan.attacks}
    assert len(attacked) == len(plan.attacks)  # one attack per attacked cardholder


def test_a_skimmed_card_is_cashed_out_by_stripe_at_night_in_another_province(plan: Plan):
    for steps in _steps(plan, AttackKind.SKIM).values():
        home = plan.holders[steps[0].holder].home.province
        pays = [s for s in steps if isinstance(s, Payment)]
        assert all(p.request.region != home and p.request.country == "CN" for p in pays)
        assert all(p.request.entry_mode is EntryMode.MAGSTRIPE for p in pays)
        cash = [p for p in pays if p.request.kind is MessageKind.CASH_WITHDRAWAL]
        assert cash and _hour(plan, cash[0]) in range(0, 5)
        inquiries = [i for i, p in enumerate(pays) if p.request.kind is
                     MessageKind.BALANCE_INQUIRY]
        assert inquiries in ([], [0])  # the probe comes first
    assert any(p.request.kind is MessageKind.BALANCE_INQUIRY for s in _steps(
        plan, AttackKind.SKIM).values() for p in s if isinstance(p, Payment))


def test_leaked_numbers_are_used_abroad_without_the_card_after_small_tests(plan: Plan):
    tested = 0
    for steps in _steps(plan, AttackKind.CNP).values():
        pays = [s for s in steps if isinstance(s, Payment)]
        assert all(not p.request.card_present and p.request.country != "CN" for p in pays)
        assert all(p.request.entry_mode is EntryMode.ECOMMERCE for p in pays)
        if pays[0].request.billing_amount <= 15 * YUAN:
            tested += 1
            assert max(p.request.billing_amount for p in pays) > 15 * YUAN
    assert tested > 0


def test_a_lost_card_is_tapped_nearby_below_the_no_pin_amount(plan: Plan):
    for steps in _steps(plan, AttackKind.LOST).values():
        home = plan.holders[steps[0].holder].home
        for p in steps:
            assert isinstance(p, Payment)
            assert p.request.entry_mode is EntryMode.CONTACTLESS
            assert p.request.region == home.province and p.request.city == home.city
            assert p.request.billing_amount < 1_000 * YUAN


def test_a_hidden_binding_deducts_small_sums_at_night(plan: Plan):
    for steps in _steps(plan, AttackKind.BINDING).values():
        bound, *pays = steps
        assert isinstance(bound, Binding)
        for p in pays:
            assert isinstance(p, Payment) and p.request.agreement_id == bound.agreement_id
            assert p.request.billing_amount < 100 * YUAN and _hour(plan, p) in range(1, 5)
            assert p.at > bound.at


def test_the_scam_victim_pays_large_sums_by_day_at_home(plan: Plan):
    largest = 0
    for steps in _steps(plan, AttackKind.SCAM).values():
        holder = plan.holders[steps[0].holder]
        home = holder.home.province
        assert sum(p.request.billing_amount for p in steps  # type: ignore[union-attr]
                   ) <= holder.balance * 0.9  # what the caller thinks is there, at most
        for p in steps:
            assert isinstance(p, Payment)
            largest = max(largest, p.request.billing_amount)
            assert 9 <= _hour(plan, p) <= 23
            if p.request.card_present:
                assert p.request.region == home
                assert p.request.terminal in (TerminalType.ATM, TerminalType.POS)
    assert largest >= 8_000 * YUAN


def test_a_scenario_file_overrides_and_a_typo_is_refused(tmp_path: Path):
    good = tmp_path / "good.toml"
    good.write_text("[run]\ncardholders = 7\n[attacks.scam]\nconfirms = 0.5\n")
    sc = load(good)
    assert sc.run.cardholders == 7 and sc.attack("scam")["confirms"] == 0.5
    assert sc.attack("scam")["rate"] == load().attack("scam")["rate"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[attacks.scam]\nconfirm = 0.5\n")
    with pytest.raises(InvalidInput, match=r"attacks\.scam\.confirm"):
        load(bad)
