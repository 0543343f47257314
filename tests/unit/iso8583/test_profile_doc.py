"""docs/iso8583-profile.md lists every response code SmartGuard can answer."""

from __future__ import annotations

import re
from pathlib import Path

from smartguard.domain.decisions import OTHER_RESPONSE_CODES, RESPONSE_CODES

DOC = Path(__file__).resolve().parents[3] / "docs" / "iso8583-profile.md"


def test_every_response_code_is_in_the_profile() -> None:
    documented = set(re.findall(r"^\| (\w\w) \|", DOC.read_text(encoding="utf-8"), re.M))
    assert set(RESPONSE_CODES.values()) | set(OTHER_RESPONSE_CODES.values()) <= documented
