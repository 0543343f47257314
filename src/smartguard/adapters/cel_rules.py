"""The bank's monitoring rules in CEL, through ``common-expression-language`` (Rust bindings).

Chosen over ``cel-python`` by measurement (docs/rules.md#the-language): a typical rule
evaluates in ~1-7 us here against ~1,200 us there. A rule is compiled once when it is saved
(and once per process when it is first used); evaluating it is one call into Rust that asks
for each variable only when the expression reaches it (a variable resolver), so a rule that
fails on its first test reads nothing else.

What the binding does not do, this module does, the same way for every rule:

- **unknown variables**: the names a program references (its static analysis) must be in
  the variable table (comprehension variables, the ``x`` of ``l.all(x, ...)``, excepted);
- **non-boolean results**: the program is run once against the table's sample values;
- **the cost limit**: CEL has no loops and the variables are scalars, so the work of a rule
  is bounded by its size; the size is counted in tokens, each comprehension macro weighing
  :data:`MACRO_WEIGHT` tokens, and a rule over :data:`COST_LIMIT` is refused;
- **speed**: the simple tests at the top of a rule are checked in Python first
  (:mod:`smartguard.adapters.cel_guards`): a false one answers without calling the library;
- **positions**: a syntax error carries the parser's line and column; an unknown variable
  its first occurrence; a non-boolean result or an excessive cost the start (1:1).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import cel

from smartguard.adapters.cel_guards import Guard, guards
from smartguard.domain.rules import RuleCompileError, RuleRuntimeError

COST_LIMIT = 400
MACRO_WEIGHT = 40
MAX_LENGTH = 4_000

_POSITION = re.compile(r"<input>:(\d+):(\d+): (.*?)(?:\n|$)")
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|\w+|&&|\|\||[=!<>]=|\S')
_MACRO = re.compile(r"\.\s*(all|exists|exists_one|map|filter)\s*\(\s*([A-Za-z_]\w*)\s*,")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


@dataclass(frozen=True, slots=True)
class CelProgram:
    """One compiled rule: :meth:`matches` answers True or False, or raises
    :class:`RuleRuntimeError` (a missing field, an error in an operation, a non-boolean)."""

    source: str
    program: cel.Program
    guards: tuple[Guard, ...] = ()

    def could_match(self, resolve: Callable[[str], object]) -> bool:
        return all(guard(resolve) is not False for guard in self.guards)

    def matches(self, resolve: Callable[[str], object]) -> bool:
        for guard in self.guards:  # a false guard: the rule is false (cel_guards.py)
            if guard(resolve) is False:
                return False
        context = cel.Context()
        context.set_variable_resolver(resolve)
        try:
            result = self.program.execute(context)
        except Exception as exc:  # the binding raises RuntimeError, ValueError, ...
            raise RuleRuntimeError(_plain(str(exc))) from None
        if not isinstance(result, bool):
            raise RuleRuntimeError(f"the rule gave {type(result).__name__}, not true/false")
        return result


class CelLanguage:
    """The rule language the service layer is handed (``Context.rule_language``)."""

    def __init__(self, samples: Mapping[str, object], cost_limit: int = COST_LIMIT) -> None:
        self.samples = dict(samples)
        self.cost_limit = cost_limit
        self._compiled: dict[str, CelProgram] = {}

    def compile(self, source: str) -> CelProgram:
        """The compiled rule, or :class:`RuleCompileError` with its position."""
        hit = self._compiled.get(source)
        if hit is not None:
            return hit
        program = self._check(source)
        if len(self._compiled) > 10_000:
            self._compiled.clear()
        self._compiled[source] = program
        return program

    def _check(self, source: str) -> CelProgram:
        if not source.strip():
            raise RuleCompileError("the rule is empty", 1, 1)
        if len(source) > MAX_LENGTH:
            raise RuleCompileError(f"the rule is longer than {MAX_LENGTH} characters", 1, 1)
        try:
            program = cel.compile(source)
        except Exception as exc:
            raise _syntax_error(str(exc)) from None
        cost = estimated_cost(source)
        if cost > self.cost_limit:
            raise RuleCompileError(
                f"the rule costs {cost}, more than the limit of {self.cost_limit} "
                "(fewer conditions or comprehensions)", 1, 1)
        bound = {m.group(2) for m in _MACRO.finditer(source)}
        for name in program.variables():
            if name not in self.samples and name not in bound:
                line, column = _where(source, name)
                raise RuleCompileError(f"unknown variable '{name}'", line, column)
        context = cel.Context()
        context.set_variable_resolver(self.samples.get)
        try:
            result = program.execute(context)
        except Exception:  # fails on the samples (a division by zero): a run-time matter
            result = True
        if not isinstance(result, bool):
            raise RuleCompileError(f"the rule gives {type(result).__name__}, not true/false",
                                   1, 1)
        return CelProgram(source, program, guards(source, self.samples))


def estimated_cost(source: str) -> int:
    """Tokens, each comprehension macro weighing :data:`MACRO_WEIGHT`."""
    tokens = len(_TOKEN.findall(source))
    return tokens + MACRO_WEIGHT * len(_MACRO.findall(source))


def _syntax_error(text: str) -> RuleCompileError:
    m = _POSITION.search(text)
    if m is None:
        return RuleCompileError(_plain(text), 1, 1)
    message = m.group(3).replace("Syntax error: ", "syntax error: ")
    return RuleCompileError(message, int(m.group(1)), int(m.group(2)))


def _where(source: str, name: str) -> tuple[int, int]:
    """Line and column (1-based) of the first use of ``name`` outside a string literal."""
    blanked = _STRING.sub(lambda m: " " * len(m.group(0)), source)
    m = re.search(rf"(?<![\w.]){re.escape(name)}\b", blanked)
    offset = m.start() if m else 0
    line = source.count("\n", 0, offset) + 1
    return line, offset - (source.rfind("\n", 0, offset) + 1) + 1


def _plain(text: str) -> str:
    first = text.strip().splitlines()[0] if text.strip() else "the rule failed"
    return first.split(". Check that")[0]
