"""The rule language: compile errors with positions, the cost limit, run-time failures."""

from __future__ import annotations

import pytest

from smartguard.adapters.cel_rules import COST_LIMIT, CelLanguage, estimated_cost
from smartguard.domain.rule_variables import SAMPLES
from smartguard.domain.rules import RuleCompileError, RuleRuntimeError

LANG = CelLanguage(SAMPLES)


def error(source: str) -> RuleCompileError:
    with pytest.raises(RuleCompileError) as info:
        LANG.compile(source)
    return info.value


def test_a_rule_compiles_and_answers() -> None:
    rule = LANG.compile('kind == "cash_withdrawal" && amount >= 100000')
    assert rule.matches({"kind": "cash_withdrawal", "amount": 200000}.get) is True
    assert rule.matches({"kind": "purchase", "amount": 200000}.get) is False


def test_syntax_error_has_its_position() -> None:
    e = error("amount > 10 &&& local_hour < 6")
    assert (e.line, e.column) == (1, 15)  # the third &
    assert "syntax error" in e.plain
    assert e.code == "rule_invalid"


def test_syntax_error_on_a_later_line() -> None:
    e = error('amount > 10 &&\n  kind == ')
    assert e.line == 2


def test_unknown_variable_is_named_at_its_first_use() -> None:
    e = error('kind == "amount_x" && amount_x > 3')
    assert e.plain == "unknown variable 'amount_x'"
    assert (e.line, e.column) == (1, 23)


def test_comprehension_variables_are_not_unknown() -> None:
    LANG.compile('["5411", "6011"].exists(m, m == mcc)')


def test_non_boolean_result_is_refused() -> None:
    e = error("amount + 1")
    assert "not true/false" in e.plain


def test_cost_limit() -> None:
    source = " || ".join(f"amount == {n}" for n in range(COST_LIMIT // 3))
    assert estimated_cost(source) > COST_LIMIT
    e = error(source)
    assert "more than the limit" in e.plain
    assert (e.line, e.column) == (1, 1)


def test_comprehensions_weigh_more() -> None:
    plain = estimated_cost("[1, 2].exists(x, x == amount)")
    assert plain > len("[1,2].exists(x,x==amount)".replace(",", ""))


def test_run_time_failure_is_an_error_not_a_decline() -> None:
    rule = LANG.compile("amount / (count_1h - count_1h + 1) > 0 && amount > 0")
    zero = LANG.compile("amount / count_1h > 2")  # the samples divide by zero: saved
    assert rule.matches({"amount": 5, "count_1h": 3}.get) is True
    with pytest.raises(RuleRuntimeError):
        zero.matches({"amount": 5, "count_1h": 0}.get)
    with pytest.raises(RuleRuntimeError):
        rule.matches({}.get)  # a missing value
