"""Check-up: protections that are off, limits far above real use, an unverified phone."""

from __future__ import annotations

from dataclasses import replace

from smartguard.domain.advisor.findings import (
    Finding,
    Fix,
    FixAction,
    Severity,
    set_protection,
)
from smartguard.domain.advisor.recommend import Recommendation, Recommendations
from smartguard.domain.advisor.subject import Subject
from smartguard.domain.advisor.text import Text
from smartguard.domain.controls.values import ChannelLimits, Protection, Verification
from smartguard.domain.money import format_amount
from smartguard.domain.transactions import Channel

#: A channel's daily limit is "far above" real use when it is over this many times the
#: recommended one (which already has a 50% margin over the real maximum).
FAR_ABOVE = 2

_OFF = {
    "region_lock": (Severity.MEDIUM, Text("地区锁未开启", "Region lock is off"), Text(
        "开启后，只有您的常用省份可以线下刷卡、取现",
        "With it on, only your usual provinces accept the card in person")),
    "overseas_lock": (Severity.MEDIUM, Text("境外锁未开启", "Overseas lock is off"), Text(
        "盗刷常用复制卡在境外取现；开启后境外线下交易只在您选的地方有效",
        "Cloned cards are often cashed out abroad; with it on, the card works in person "
        "abroad only where you chose")),
    "night_lock": (Severity.MEDIUM, Text("夜间锁未开启", "Night lock is off"), Text(
        "深夜是盗刷高发时段；开启后夜间时段的交易会被拒绝",
        "Most card fraud happens at night; with it on, payments in the night window are "
        "declined")),
    "overseas_cnp_lock": (Severity.MEDIUM, Text("境外无卡支付锁未开启",
                                                "Overseas card-not-present lock is off"), Text(
        "卡号泄露后常被用于境外网站消费；开启后境外商户的网上支付会被拒绝",
        "Stolen card numbers are mostly used on foreign websites; with it on, online "
        "payments to merchants abroad are declined")),
}


def protections_off(s: Subject, recs: Recommendations) -> list[Finding]:
    c = s.controls
    found: list[Finding] = []
    state = {"region_lock": c.region_lock.enabled, "overseas_lock": c.overseas_lock.enabled,
             "night_lock": c.night_lock.enabled, "overseas_cnp_lock": c.overseas_cnp_lock}
    recs_by_name: dict[str, Recommendation] = {
        "region_lock": recs.region_lock, "overseas_lock": recs.overseas_lock,
        "night_lock": recs.night_lock, "overseas_cnp_lock": recs.overseas_cnp_lock}
    for name, on in state.items():
        rec = recs_by_name[name]
        if on or rec.value is False:  # off, and rightly so (the cardholder uses it)
            continue
        severity, title, why = _OFF[name]
        if rec.value is None:  # nothing we can recommend: tell, do not count it
            severity = Severity.INFO
        found.append(Finding(f"protection_off.{name}", severity, title,
                             _join(why, rec.why), set_protection(Protection(name), rec.value)))
    return found + _verification_off(s, recs)


def _verification_off(s: Subject, recs: Recommendations) -> list[Finding]:
    v = s.controls.verification
    rec = recs.verification.value
    assert isinstance(rec, Verification)
    found = []
    if not v.magstripe:
        found.append(Finding(
            "protection_off.magstripe_verification", Severity.HIGH,
            Text("磁条交易验证未开启", "Magnetic-stripe verification is off"),
            Text("复制卡只能以磁条方式刷卡；开启后磁条刷卡消费需要您确认",
                 "Cloned cards can only be swiped by magnetic stripe; with it on, you confirm "
                 "every swipe"),
            set_protection(Protection.VERIFICATION, replace(v, magstripe=True))))
    if not v.large_purchase:
        found.append(Finding(
            "protection_off.large_purchase_verification", Severity.LOW,
            Text("大额消费核实未开启", "Large-purchase verification is off"),
            _join(Text("开启后大额消费需要您确认", "With it on, you confirm large purchases"),
                  recs.verification.why),
            set_protection(Protection.VERIFICATION, replace(
                v, large_purchase=True, large_threshold=rec.large_threshold))))
    return found


def limits_high(s: Subject, recs: Recommendations) -> list[Finding]:
    found = []
    for channel in Channel:
        rec = recs.limits[channel]
        if not isinstance(rec.value, ChannelLimits) or rec.value.daily_amount is None:
            continue
        current = _effective_daily(s, channel)
        if current <= FAR_ABOVE * rec.value.daily_amount:
            continue
        found.append(Finding(
            f"limit_high.{channel.value}", Severity.LOW,
            Text(f"{_CHANNEL[channel][0]}限额远高于实际使用",
                 f"{_CHANNEL[channel][1]} limits are far above your real use"),
            _join(Text(f"当前日限额{format_amount(current)}，建议"
                       f"{format_amount(rec.value.daily_amount)}",
                       f"Your daily limit is {format_amount(current)}; we suggest "
                       f"{format_amount(rec.value.daily_amount)}"), rec.why),
            Fix(FixAction.SET_LIMITS, channel=channel, value=rec.value)))
    return found


def phone_unverified(s: Subject) -> list[Finding]:
    if s.phone_verified:
        return []
    return [Finding(
        "phone_unverified", Severity.MEDIUM,
        Text("手机号码未验证", "Your phone number is not verified"),
        Text("交易提醒和短信止付都依赖这个号码；请到网点或在手机银行验证",
             "Alerts and SMS stop-payment rely on this number; verify it at a branch or in "
             "the bank's app"))]


_CHANNEL = {
    Channel.ATM_CASH: ("ATM取现", "ATM cash"),
    Channel.ATM_TRANSFER: ("ATM转账", "ATM transfer"),
    Channel.POS: ("POS消费", "POS purchase"),
    Channel.ONLINE: ("网上及快捷支付", "Online and quick payment"),
}


def _effective_daily(s: Subject, channel: Channel) -> int:
    ceiling = s.ceilings.channels[channel].daily_amount
    assert ceiling is not None
    personal = s.controls.limits.get(channel)
    if personal is None or personal.daily_amount is None:
        return ceiling
    return min(personal.daily_amount, ceiling)


def _join(a: Text, b: Text) -> Text:
    return Text(f"{a.zh}。{b.zh}。", f"{a.en}. {b.en}.")
