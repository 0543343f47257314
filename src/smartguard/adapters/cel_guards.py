"""Guards: the simple tests at the top of a rule, checked in Python before the rule is run.

Calling into the CEL library costs a few microseconds per rule even when its first test
fails; with six rules on every debit that is most of a rule pack's cost. Most rules begin
with a cheap test of the request (``kind == "cash_withdrawal" && ...``,
``channel == "online" && ...``). When a rule is a conjunction at its top level
(``a && b && ...``, no top-level ``||`` or ``?:``), each conjunct that is a simple test of
one variable against literals is a *guard*; if a guard is false the rule is false, whatever
the rest would give (in CEL, ``false && x`` is false even when ``x`` is an error), so the
library is not called. A guard that cannot decide (a value of another type, a missing one)
says nothing and the library decides, as it always does when every guard passes.

Simple tests: ``v``, ``!v`` (bool), ``v OP literal`` (``== != < <= > >=``, an int or a
plain string), ``v in [literal, ...]``, and a parenthesised ``||`` of those.
A rule with a comment (``//``), an escape or a triple-quoted string gets no guard.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Collection
from typing import Any

Resolve = Callable[[str], object]
Guard = Callable[[Resolve], bool | None]  # False: the rule is false; None/True: no verdict

_TOKEN = re.compile(r'"[^"\\\n]*"|\'[^\'\\\n]*\'|[A-Za-z_]\w*|\d+\w*|&&|\|\||[=!<>]=|\S')
_IDENT = re.compile(r"[A-Za-z_]\w*$")
_INT = re.compile(r"\d+$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq, "!=": operator.ne, "<": operator.lt, "<=": operator.le,
    ">": operator.gt, ">=": operator.ge,
}
_RESERVED = frozenset({"true", "false", "null", "in"})
_OPEN, _CLOSE = frozenset("([{"), frozenset(")]}")


def guards(source: str, names: Collection[str]) -> tuple[Guard, ...]:
    """The guards of ``source`` (a rule that compiled), over the variables ``names``."""
    if "\\" in source or '"""' in source or "'''" in source or \
            "//" in _STRINGS.sub('""', source):
        return ()  # escapes, triple quotes, comments: the simple tokenizer might misread
    tokens = _TOKEN.findall(source)
    parts = _split(tokens, "&&")
    if parts is None:
        return ()
    found = []
    for part in parts:
        guard = _conjunct(part, names)
        if guard is not None:
            found.append(guard)
    return tuple(found)


_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'')


def _split(tokens: list[str], on: str) -> list[list[str]] | None:
    """``tokens`` split at top-level ``on``; None when another operator of lower
    precedence (``||`` for ``&&``, ``?``) is at the top level or the brackets do not
    balance."""
    parts: list[list[str]] = [[]]
    depth = 0
    for tok in tokens:
        if tok in _OPEN:
            depth += 1
        elif tok in _CLOSE:
            depth -= 1
            if depth < 0:
                return None
        elif depth == 0 and tok == on:
            parts.append([])
            continue
        elif depth == 0 and (tok == "?" or (on == "&&" and tok == "||")):
            return None
        parts[-1].append(tok)
    return parts if depth == 0 and all(parts) else None


def _conjunct(tokens: list[str], names: Collection[str]) -> Guard | None:
    if len(tokens) > 2 and tokens[0] == "(" and tokens[-1] == ")":
        inner = _split(tokens[1:-1], "||")
        if inner is None:
            return None
        atoms = [_atom(t, names) for t in inner]
        if any(a is None for a in atoms):
            return None
        return _any([a for a in atoms if a is not None])
    return _atom(tokens, names)


def _any(atoms: list[Guard]) -> Guard:
    def guard(resolve: Resolve) -> bool | None:
        verdicts = [a(resolve) for a in atoms]
        if any(v is True for v in verdicts):
            return True
        return False if all(v is False for v in verdicts) else None
    return guard


def _atom(tokens: list[str], names: Collection[str]) -> Guard | None:
    if not tokens or not _variable(tokens[-1 if tokens[0] == "!" else 0], names):
        return None
    if len(tokens) == 1:
        return _is(tokens[0], True)
    if len(tokens) == 2 and tokens[0] == "!":
        return _is(tokens[1], False)
    name = tokens[0]
    if len(tokens) == 3 and tokens[1] in _OPS:
        literal = _literal(tokens[2])
        if literal is None:
            return None
        return _compare(name, _OPS[tokens[1]], literal)
    if len(tokens) >= 5 and tokens[1] == "in" and tokens[2] == "[" and tokens[-1] == "]":
        items = tokens[3:-1]
        if items[1::2] != [","] * (len(items) // 2) or len(items) % 2 == 0:
            return None
        values = [_literal(t) for t in items[0::2]]
        if any(v is None for v in values) or len({type(v) for v in values}) != 1:
            return None
        return _member(name, tuple(values))
    return None


def _variable(token: str, names: Collection[str]) -> bool:
    return bool(_IDENT.match(token)) and token in names and token not in _RESERVED


def _literal(token: str) -> int | str | None:
    if _INT.match(token):
        return int(token)
    if len(token) >= 2 and token[0] == token[-1] and token[0] in "\"'":
        return token[1:-1]
    return None


def _is(name: str, wanted: bool) -> Guard:
    def guard(resolve: Resolve) -> bool | None:
        value = resolve(name)
        return value is wanted if type(value) is bool else None
    return guard


def _compare(name: str, op: Callable[[Any, Any], bool], literal: int | str) -> Guard:
    kind = type(literal)

    def guard(resolve: Resolve) -> bool | None:
        value = resolve(name)
        return op(value, literal) if type(value) is kind else None
    return guard


def _member(name: str, values: tuple[int | str | None, ...]) -> Guard:
    kind = type(values[0])

    def guard(resolve: Resolve) -> bool | None:
        value = resolve(name)
        return value in values if type(value) is kind else None
    return guard
