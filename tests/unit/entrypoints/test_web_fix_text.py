"""What a one-tap fix says it will do (entrypoints/web/advisor.fix_text): each kind of
fix in its own words, never another protection's."""

from __future__ import annotations

import pytest

from smartguard.domain.advisor.findings import Fix, FixAction
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.controls.values import Protection
from smartguard.entrypoints.web.advisor import fix_text


def protection(p: Protection, value: object) -> Fix:
    return Fix(FixAction.SET_PROTECTION, protection=p, value=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fix", "zh", "en"), [
    (protection(Protection.CATEGORIES, {Category.GAMBLING: CategoryControl(True)}),
     "禁止博彩、赌场及投注类商户", "block merchants of gambling, casinos and betting"),
    (protection(Protection.SWITCHES, Switches(frozenset({Switch.ATM_CASH, Switch.QUICK_PAY}))),
     "关闭ATM取现、快捷支付", "switch off ATM cash, Quick payments"),
    (protection(Protection.OVERSEAS_CNP_LOCK, True), "开启境外无卡支付锁",
     "turn on the Overseas card-not-present lock"),
])
def test_each_fix_says_what_it_does(fix: Fix, zh: str, en: str) -> None:
    assert fix_text(fix, "zh-CN").startswith(zh)
    assert fix_text(fix, "en").startswith(en)
    if fix.protection is not Protection.OVERSEAS_CNP_LOCK:
        assert "境外无卡" not in fix_text(fix, "zh-CN")
