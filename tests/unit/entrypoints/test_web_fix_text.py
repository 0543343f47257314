"""What a one-tap fix says it will do (entrypoints/web/advisor.fix_text): each kind of
fix in its own words, never another protection's."""

from __future__ import annotations

from datetime import time

import pytest

from smartguard.domain.advisor.findings import Fix, FixAction
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.controls.values import Protection
from smartguard.domain.transactions import Channel
from smartguard.entrypoints.web import i18n
from smartguard.entrypoints.web.advisor import fix_text


def protection(p: Protection, value: object) -> Fix:
    return Fix(FixAction.SET_PROTECTION, protection=p, value=value)  # type: ignore[arg-type]


@pytest.mark.parametrize(("fix", "zh", "en"), [
    (protection(Protection.CATEGORIES, {Category.GAMBLING: CategoryControl(True)}),
     "禁止博彩、赌场及投注类商户", "block merchants of gambling, casinos and betting"),
    (protection(Protection.SWITCHES, Switches(frozenset({Switch.ATM_CASH, Switch.QUICK_PAY}))),
     "关闭ATM取现、快捷支付", "switch off ATM cash, quick payments"),
    (protection(Protection.OVERSEAS_CNP_LOCK, True), "开启境外无卡支付锁",
     "turn on the overseas card-not-present lock"),
    (protection(Protection.REGION_LOCK, s.region_lock(True, ["440000"])), "开启地区锁（广东",
     "turn on the region lock (Guangdong"),
    (protection(Protection.NIGHT_LOCK, s.night_lock(True, time(23), time(5))),
     "开启夜间锁（23:00–05:00，境内）", "turn on the night lock (23:00–05:00, domestic)"),
    (Fix(FixAction.SET_LIMITS, channel=Channel.ONLINE, value=s.ChannelLimits(daily_amount=50_000)),
     "将网上及快捷支付限额设为日累计", "set online and quick payment limits to "),
])
def test_each_fix_says_what_it_does(fix: Fix, zh: str, en: str) -> None:
    assert fix_text(fix, "zh-CN").startswith(zh)
    assert fix_text(fix, "en").startswith(en)
    if fix.protection is not Protection.OVERSEAS_CNP_LOCK:
        assert "境外无卡" not in fix_text(fix, "zh-CN")


@pytest.mark.parametrize(("name", "inline"), [
    ("Quick payments", "quick payments"), ("ATM cash", "ATM cash"),
    ("POS purchases", "POS purchases"), ("Online payments in mainland China",
                                         "online payments in mainland China"),
])
def test_names_read_in_sentence_case_inside_an_english_sentence(name: str, inline: str) -> None:
    assert i18n.inline(name, "en") == inline
    assert i18n.inline("快捷支付", "zh-CN") == "快捷支付"
    assert i18n.sentence(inline, "en")[0] == name[0]
