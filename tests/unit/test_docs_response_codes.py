"""docs/decisions.md states every reason's response code exactly as the code does."""

from __future__ import annotations

import re
from pathlib import Path

from smartguard.domain.decisions import RESPONSE_CODES

DOC = Path(__file__).resolve().parents[2] / "docs" / "decisions.md"


def test_response_code_table_in_docs_matches_the_code() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| (\w\w) \|", DOC.read_text(encoding="utf-8"), re.M)
    documented = dict(rows)
    assert documented == {reason.value: code for reason, code in RESPONSE_CODES.items()}
