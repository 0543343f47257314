"""Guards (adapters/cel_guards.py): which tests become guards, and a rule with its guards
answers exactly as the library alone, on many random requests; a rule the screen on the
request's shape rules out never matches."""

from __future__ import annotations

import random

import cel
import pytest

from smartguard.adapters.cel_guards import guards
from smartguard.adapters.cel_rules import CelLanguage
from smartguard.domain.rule_variables import SAMPLES
from smartguard.domain.rules import RuleRuntimeError
from smartguard.service_layer.monitoring import SHAPE
from smartguard.service_layer.starter_pack import starter_rules

LANG = CelLanguage(SAMPLES)


@pytest.mark.parametrize(("source", "count"), [
    ('kind == "cash_withdrawal" && amount >= 100 && local_hour < 6', 3),
    ('quick_pay && !domestic && entry_mode in ["magstripe", "chip"]', 3),
    ("(local_hour >= 23 || local_hour < 6) && amount > 5", 2),
    ('amount > 5 || kind == "purchase"', 0),  # a disjunction at the top: no guard
    ('amount > 5 ? kind == "purchase" : false', 0),
    ("amount / count_1h > 2 && count_1h > 0", 1),  # only the simple conjunct
    ('kind == "a" // && quick_pay\n && amount > 1', 0),  # a comment: none
    ('merchant_id == "x\\" && quick_pay && \\"" && amount > 1', 0),  # an escape: none
    ("[1, 2].exists(x, x == amount) && amount > 1", 1),
])
def test_which_conjuncts_are_guards(source: str, count: int) -> None:
    assert len(guards(source, SAMPLES)) == count


def test_every_starter_rule_has_a_guard_first() -> None:
    for rule in starter_rules():
        assert guards(rule.expression, SAMPLES), rule.id


EXPRESSIONS = [
    *(r.expression for r in starter_rules()),
    '(kind == "purchase" || amount < 50) && !card_present && mcc in ["5411", "6011"]',
    'province != inquiry_province && minutes_since_inquiry <= 15 && city != ""',
    "amount / count_1h >= 10 && amount >= 3",
]
VALUES: dict[str, list[object]] = {
    "kind": ["purchase", "cash_withdrawal", 7], "terminal": ["atm", "pos"],
    "entry_mode": ["chip", "magstripe", "magstripe_fallback"], "channel": ["online", "pos"],
    "card_present": [True, False, "yes"], "quick_pay": [True, False],
    "domestic": [True, False], "mcc": ["5411", "6011", "7995"],
    "city": ["", "Beijing", "Tianjin"], "province": ["CN-BJ", "CN-TJ", ""],
    "inquiry_province": ["CN-BJ", ""], "inquiry_country": ["CN", ""],
    "country": ["CN", "US"], "inquiry_city": ["", "Beijing"],
}


def draw(rng: random.Random, name: str) -> object:
    if name in VALUES:
        return rng.choice(VALUES[name])
    if isinstance(SAMPLES.get(name), bool):
        return rng.choice([True, False])
    return rng.choice([0, 1, 3, 5, 14, 15, 16, 23, 300, 1001, 10_000, 100_000, 10**9])


def plain(source: str, values: dict[str, object]) -> object:
    """The library alone: True, False, or the error as a value."""
    context = cel.Context()
    context.set_variable_resolver(values.get)
    try:
        return cel.compile(source).execute(context)
    except Exception:
        return "error"


def test_guards_never_change_an_answer() -> None:
    rng = random.Random(15)
    guarded = 0
    for source in EXPRESSIONS:
        program = LANG.compile(source)
        for _ in range(400):
            values = {n: draw(rng, n) for n in SAMPLES}
            expected = plain(source, values)
            try:
                got: object = program.matches(values.get)
            except RuleRuntimeError:
                got = "error"
            if expected not in (True, False):
                expected = "error"
            assert got == expected, (source, values)
            shape = {n: values[n] for n in SHAPE}  # what the screen sees (monitoring.py)
            if not program.could_match(shape.get):
                assert expected is False, (source, values)
            guarded += any(g(values.get) is False for g in program.guards)
    assert guarded > 1_000  # the guards did answer most of the time
