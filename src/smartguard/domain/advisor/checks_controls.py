"""Check-up: the controls beyond Smart Guard (SPEC 3.12). A gambling block is offered only
to a card that never paid a gambling merchant (in the history the check-up sees: 12
months); switching off the channels a card has not used for 90 days is offered once the
card's history is at least that old."""

from __future__ import annotations

from smartguard.domain.advisor.findings import Finding, Severity, set_protection
from smartguard.domain.advisor.subject import DORMANT, LOOKBACK, Subject
from smartguard.domain.advisor.text import Text
from smartguard.domain.controls.categories import Category, category_of
from smartguard.domain.controls.spending import CategoryControl, Switch, Switches
from smartguard.domain.controls.switches import switches_of
from smartguard.domain.controls.values import Protection

#: The switches' names in the check-up's words (zh-CN, en).
SWITCH_NAMES: dict[Switch, tuple[str, str]] = {
    Switch.ATM_CASH: ("ATM取现", "ATM cash"), Switch.POS: ("POS刷卡", "POS purchases"),
    Switch.ONLINE_DOMESTIC: ("境内网上支付", "online payments in mainland China"),
    Switch.ONLINE_OVERSEAS: ("境外网上支付", "online payments abroad"),
    Switch.CONTACTLESS: ("闪付", "contactless"), Switch.ABROAD: ("境外交易", "payments abroad"),
    Switch.QUICK_PAY: ("快捷支付", "quick payments"),
}


def gambling_block(s: Subject) -> list[Finding]:
    current = s.controls.categories.get(Category.GAMBLING)
    if current is not None and current.blocks_at(s.now):
        return []
    paid = [p for p in s.since(LOOKBACK)
            if p.approved and category_of(p.request.mcc) is Category.GAMBLING]
    if paid:
        return []  # the cardholder gambles: blocking it is their call, not our advice
    value = {**s.controls.categories,
             Category.GAMBLING: CategoryControl(True, current.daily_amount if current else None)}
    return [Finding(
        "category_open.gambling", Severity.LOW,
        Text("未禁止博彩类商户", "Gambling merchants are not blocked"),
        Text("您的卡从未在博彩商户付款；禁止后，被盗的卡号也无法用于赌博网站。解除禁止需经过冷静期",
             "Your card has never paid a gambling merchant; with them blocked, a stolen "
             "card number cannot be used at betting sites either. Lifting the block waits "
             "out a cool-down"),
        set_protection(Protection.CATEGORIES, value))]


def unused_channels(s: Subject) -> list[Finding]:
    if not s.history or s.history[0].at > s.now - DORMANT:
        return []  # too little history to call a channel unused
    used = {sw for p in s.since(DORMANT) if p.approved and p.request.is_debit
            for sw in switches_of(p.request)}
    unused = [sw for sw in Switch if s.controls.switches.is_on(sw) and sw not in used]
    if not unused:
        return []
    zh = "、".join(SWITCH_NAMES[sw][0] for sw in unused)
    en = ", ".join(SWITCH_NAMES[sw][1] for sw in unused)
    value = Switches(s.controls.switches.off | frozenset(unused))
    return [Finding(
        "switches_unused", Severity.LOW,
        Text(f"近90天未使用的渠道仍然开启：{zh}", f"Channels you have not used in 90 days are "
             f"on: {en}"),
        Text("关闭后这些渠道的支出会被拒绝，需要时可以随时打开或临时打开",
             "With them off, payments through them are declined; switch one back on, or "
             "open it for a while, whenever you need it"),
        set_protection(Protection.SWITCHES, value))]
