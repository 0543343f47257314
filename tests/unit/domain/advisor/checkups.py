"""Helpers for check-up tests: a well-protected card, and running the check-up."""

from __future__ import annotations

from datetime import time
from typing import Any

from smartguard.domain.advisor.checkup import Report, check_up
from smartguard.domain.advisor.findings import Finding
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl
from smartguard.domain.controls.values import (
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    OverseasLock,
    RegionLock,
    Verification,
)
from smartguard.domain.transactions import Channel
from tests.builders import cny
from tests.unit.domain.advisor.ledger import Ledger, steady

#: Everything on, limits close to what ``steady`` uses: the check-up has nothing to say.
GUARDED = Controls(
    region_lock=RegionLock(True, ("CN-HA",)),
    overseas_lock=OverseasLock(True, ()),
    night_lock=NightLock(True, time(23), time(5), NightScope.ALL),
    overseas_cnp_lock=True,
    verification=Verification(True, True, cny(5_000)),
    limits={**{ch: ChannelLimits(cny(1_000), cny(1_000), 5, cny(5_000)) for ch in Channel},
            Channel.POS: ChannelLimits(cny(100), cny(200), 5, cny(3_000))},
    categories={Category.GAMBLING: CategoryControl(True)},
)


def quiet() -> Ledger:
    ledger = Ledger()
    steady(ledger, 60)
    return ledger


def run(ledger: Ledger, controls: Controls = GUARDED, **kw: Any) -> Report:
    kw.setdefault("phone_verified", True)
    return check_up(ledger.subject(controls, **kw))


def ids(report: Report) -> list[str]:
    return [f.id for f in report.findings]


def only(report: Report, finding_id: str) -> Finding:
    found = report.finding(finding_id)
    assert found is not None, f"no {finding_id} in {ids(report)}"
    return found
