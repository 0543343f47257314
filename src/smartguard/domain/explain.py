"""Plain-words explanations of decisions, in zh-CN and en, for alerts, pages and the API."""

from __future__ import annotations

from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.categories import name as category_name
from smartguard.domain.decisions import RULE_REASONS, Reason, Verdict
from smartguard.domain.geography import place_name
from smartguard.domain.money import format_amount

_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.CARD_CLOSED: ("卡片已销户", "the card is closed"),
    Reason.CARD_BLOCKED: ("银行已冻结此卡（如挂失），请联系银行",
                          "the bank has blocked this card (e.g. reported lost); contact the bank"),
    Reason.CARD_FROZEN: ("您已对此卡止付（冻结）", "you have frozen (stopped) this card"),
    Reason.REGION_LOCK: ("地区锁：{place}不是您设置的常用地",
                         "region lock: {place} is not one of your usual provinces"),
    Reason.OVERSEAS_LOCK: ("境外锁：{place}不是您设置的境外常用地",
                           "overseas lock: {place} is not one of your usual places abroad"),
    Reason.NIGHT_LOCK: ("夜间锁：{detail}在您设置的夜间时段内",
                        "night lock: {detail} is inside your night window"),
    Reason.OVERSEAS_CNP_LOCK: ("境外无卡支付锁：已关闭境外商户的无卡（网上）支付",
                               "overseas card-not-present lock: online payments at overseas "
                               "merchants are off"),
    Reason.MERCHANT_BLOCKED: ("您已屏蔽这家商户", "you blocked this merchant"),
    Reason.ATM_CASH_OFF: ("您已关闭ATM取现", "you switched off ATM cash"),
    Reason.POS_OFF: ("您已关闭POS刷卡消费", "you switched off POS purchases"),
    Reason.ONLINE_DOMESTIC_OFF: ("您已关闭境内网上支付", "you switched off online payments "
                                 "at merchants in mainland China"),
    Reason.ONLINE_OVERSEAS_OFF: ("您已关闭境外网上支付", "you switched off online payments "
                                 "at overseas merchants"),
    Reason.CONTACTLESS_OFF: ("您已关闭闪付（非接触）支付", "you switched off contactless "
                             "payments"),
    Reason.ABROAD_OFF: ("您已关闭境外交易：{place}", "you switched off all payments abroad: "
                        "{place}"),
    Reason.QUICK_PAY_OFF: ("您已关闭快捷支付", "you switched off quick payments"),
    Reason.CATEGORY_BLOCKED: ("您已屏蔽{category}类商户", "you blocked {category} merchants"),
    Reason.CATEGORY_LIMIT: ("超过您为{category}类商户设置的日累计限额",
                            "above your daily amount for {category} merchants"),
    Reason.AGREEMENT_UNKNOWN: ("此卡没有这份快捷支付协议",
                               "this card has no such quick-payment agreement"),
    Reason.AGREEMENT_SUSPENDED: ("您已暂停这份快捷支付协议",
                                 "you suspended this quick-payment agreement"),
    Reason.AGREEMENT_REVOKED: ("这份快捷支付协议已解除",
                               "this quick-payment agreement was revoked"),
    Reason.AGREEMENT_LIMIT: ("超过这份快捷支付协议的限额",
                             "above this quick-payment agreement's limit"),
    Reason.AMOUNT_LIMIT: ("超过{whose}{channel}{limit}", "above {whose} {channel} {limit}"),
    Reason.FREQUENCY_LIMIT: ("超过{whose}{channel}每日笔数", "above {whose} daily number of "
                             "{channel} transactions"),
    Reason.INSUFFICIENT_FUNDS: ("余额不足", "insufficient funds"),
    Reason.MAGSTRIPE_VERIFICATION: ("磁条刷卡消费需要您确认",
                                    "a magnetic-stripe purchase needs your confirmation"),
    Reason.RULE_DECLINE: ("银行风险监控：{message}", "the bank's fraud monitoring: {message}"),
    Reason.RULE_VERIFICATION: ("银行风险监控：{message}", "the bank's fraud monitoring: {message}"),
    Reason.LARGE_PURCHASE_VERIFICATION: ("大额消费（{amount}及以上）需要您确认",
                                         "a large purchase ({amount} or more) needs your "
                                         "confirmation"),
}

_CHANNEL = {
    "atm_cash": ("ATM取现", "ATM cash"), "atm_cash_overseas": ("境外ATM取现", "overseas ATM cash"),
    "atm_transfer": ("ATM转账", "ATM transfer"), "pos": ("POS消费", "POS purchase"),
    "online": ("网上及快捷支付", "online and quick payment"),
}
_LIMIT = {
    "per_txn": ("单笔限额", "per-transaction limit"),
    "daily_amount": ("日累计限额", "daily amount limit"),
    "monthly_amount": ("月累计限额", "monthly amount limit"),
    "daily_count": ("每日笔数", "daily count"),
}
_CATEGORY_REASONS = (Reason.CATEGORY_BLOCKED, Reason.CATEGORY_LIMIT)
_WHOSE = {"personal": ("您设置的", "your"), "bank": ("银行规定的", "the bank's")}


def explain(verdict: Verdict, language: str = "zh-CN") -> str:
    """One reason in plain words."""
    i = 0 if language == "zh-CN" else 1
    template = _TEXT[verdict.reason][i]
    detail = verdict.detail
    values = {"detail": detail, "place": place_name(detail, language) if detail else "",
              "amount": format_amount(int(detail)) if detail.isdigit() else detail}
    if verdict.reason in (Reason.AMOUNT_LIMIT, Reason.FREQUENCY_LIMIT):
        channel, limit, whose = ([*detail.split("."), "", "", ""])[:3]
        values |= {"channel": _CHANNEL.get(channel, (channel, channel))[i],
                   "limit": _LIMIT.get(limit, (limit, limit))[i],
                   "whose": _WHOSE.get(whose, ("", "the"))[i]}
    if verdict.reason in _CATEGORY_REASONS:
        known = detail in Category.__members__.values()
        values["category"] = category_name(Category(detail), language) if known else detail
    if verdict.reason in RULE_REASONS:
        values["message"] = rule_message(detail, i)
    if verdict.reason is Reason.REGION_LOCK and detail == "region_unknown":
        return ("地区锁：无法确定交易所在省份", "region lock: the transaction's province is "
                "unknown")[i]
    return template.format(**values)


def rule_detail(rule_id: str, message_zh: str, message_en: str) -> str:
    """A rule's verdict keeps the rule and its message as they were at the decision."""
    return "|".join((rule_id, message_zh.replace("|", "/"), message_en.replace("|", "/")))


def rule_message(detail: str, i: int) -> str:
    parts = detail.split("|")
    return parts[1 + i] if len(parts) == 3 else detail
