"""docs/rules.md lists every variable a rule may name (windows as ``count_W_C``...)."""

from __future__ import annotations

import re
from pathlib import Path

from smartguard.domain.activity import CHANNELS, WINDOWS
from smartguard.domain.rule_variables import SAMPLES

DOC = (Path(__file__).parents[3] / "docs" / "rules.md").read_text("utf-8")
NAMED = set(re.findall(r"`([A-Za-z_0-9]+)`", DOC))


def documented_as(name: str) -> str:
    for window in (*WINDOWS, "30d"):
        for channel in (*CHANNELS, "quick_pay"):
            name = name.replace(f"_{window}_{channel}", f"_W_{channel}")
        if name.endswith(f"_{window}") and name.split("_")[0] in ("count", "sum"):
            name = name[: -len(window)] + "W"
    for channel in CHANNELS:
        name = name.replace(f"_W_{channel}", "_W_C")
    return name


def test_every_variable_is_in_the_docs() -> None:
    missing = [n for n in SAMPLES if n not in NAMED and documented_as(n) not in NAMED]
    assert missing == []


def test_the_docs_name_no_variable_that_does_not_exist() -> None:
    table = DOC[DOC.index("## Variables"):DOC.index("## Lifecycle")]
    rows = re.findall(r"^\| (`[^|]+)\|", table, re.MULTILINE)
    named = {n for row in rows for n in re.findall(r"`([A-Za-z_0-9]+)`", row)}
    known = set(SAMPLES) | {documented_as(n) for n in SAMPLES}
    assert named - known == set()
