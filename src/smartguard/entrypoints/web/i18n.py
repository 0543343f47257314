"""zh-CN (the default) and English for the page and the console.

The catalogues are plain dicts (key -> (zh-CN, en)) rather than gettext files: they ship
as Python, need no compile step at install time, and a test can check that every key the
templates use exists in both languages. Validation errors come from the domain as
``InvalidInput(field, message, code)``; English shows the server's own message, zh-CN its
translation by code (with the server's message when a code has none).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.web.messages import MESSAGES
from smartguard.entrypoints.web.messages_advisor import ADVISOR_MESSAGES
from smartguard.entrypoints.web.messages_centre import CENTRE_MESSAGES
from smartguard.entrypoints.web.messages_console import CONSOLE_MESSAGES
from smartguard.entrypoints.web.messages_controls import CONTROL_MESSAGES
from smartguard.entrypoints.web.messages_rules import RULE_MESSAGES

LANGUAGES = ("zh-CN", "en")
DEFAULT = "zh-CN"
CATALOGUE: dict[str, tuple[str, str]] = {**MESSAGES, **CONSOLE_MESSAGES, **ADVISOR_MESSAGES,
                                         **CONTROL_MESSAGES, **RULE_MESSAGES,
                                         **CENTRE_MESSAGES}

#: Validation errors by code: (zh-CN, en or None for the server's own message).
ERRORS: dict[str, tuple[str, str | None]] = {
    "too_many_places": ("最多选择3个常用地", None),
    "places_required": ("请选择1至3个省份", None),
    "unknown_province": ("不是内地省份（港澳台属于境外）", None),
    "unknown_country": ("不是有效的国家或地区", None),
    "not_overseas": ("中国内地不是境外地区", None),
    "empty_window": ("开始时间和结束时间不能相同", None),
    "invalid_time": ("请按 时:分 输入时间，例如 23:00", None),
    "invalid_amount": ("金额必须大于0", None),
    "invalid_amount_text": ("请输入金额，例如 5000 或 5000.50", None),
    "invalid_count": ("请输入整数笔数", None),
    "above_ceiling": ("不能高于银行上限{limit}", "above the bank's ceiling of {limit}"),
    "invalid_phone": ("请输入登记的手机号码，例如 13800138000", None),
    "invalid_last4": ("请输入卡号后4位数字", None),
    "empty_window@ends_at": ("结束时间必须晚于开始时间", None),
    "invalid_datetime": ("请输入日期，例如 2026-12-04，可加时间，例如 09:00",
                         "Give a date such as 2026-12-04 or 4 Dec 2026, and a time such as "
                         "09:00 if you like."),
    "ambiguous_date": ("无法确定是几月几日，请把年份写在前面，例如 2026-12-04",
                       "This could be read two ways: write the month as a word (4 Dec 2026) "
                       "or the year first (2026-12-04)."),
    "no_such_day": ("没有这一天，请检查日期", "There is no such day: check the date."),
    "place_required": ("请选择目的地", None),
    "unknown_place": ("不是有效的省份或国家", None),
    "province_required": ("内地出行请选择具体省份", None),
    "in_the_past": ("结束时间必须晚于现在", None),
    "too_long": ("出行例外最长180天", None),
    "too_far": ("开始时间须在一年以内", None),
    "nonexistent_time": ("该时间因夏令时调整不存在", None),
    "too_many_travel_exceptions": ("最多同时保留10个出行例外，请先结束一个", None),
    "inconsistent": ("单笔限额不能高于日累计限额", None),
    "unknown_target": ("不是可选的项目", None),
    "unlock_length": ("临时解锁为15分钟至24小时", None),
    "invalid_merchant_id": ("商户编号为1至15个字符", None),
    "too_many_merchants": ("每个名单最多50个商户", None),
    "unknown_payment": ("找不到这笔交易的商户", None),
}

#: Refusals of a valid request at the wrong moment (InvalidState), by the server's words.
STATES: dict[str, tuple[str, str]] = {
    "the card is closed": ("此卡已销户", "The card is closed."),
    "the bank blocked this card; only the bank can unblock it": (
        "银行已冻结此卡，只有银行可以解除", "The bank blocked this card; only the bank can "
        "lift it."),
    "the challenge has expired; try the purchase again": (
        "验证已过期，请重新发起交易", "This request has expired; try the purchase again."),
    "the recommended fix changed since you saw it; run the check-up again": (
        "建议的修复已变化，请重新检测", "The recommended fix has changed; run the check-up "
        "again."),
    "the card's settings changed since this check-up; run it again": (
        "卡片设置已变化，请重新检测", "The card's settings changed; run the check-up again."),
    "this travel exception has already ended": ("该出行例外已经结束",
                                                "This travel exception has already ended."),
}


def translator(lang: str) -> Callable[..., str]:
    index = 0 if lang == "zh-CN" else 1

    def t(key: str, **values: Any) -> str:
        text = CATALOGUE[key][index]
        return text.format(**values) if values else text

    return t


def inline(name: str, lang: str) -> str:
    """A name as it reads inside an English sentence: sentence case, so "Quick payments"
    becomes "quick payments" while "ATM cash" and "POS purchases" keep their capitals (a
    first word in capitals is an abbreviation). zh-CN has no case: as it is."""
    if lang == "zh-CN" or len(name) < 2 or not name[0].isupper() or name[1].isupper():
        return name
    return name[0].lower() + name[1:]


def sentence(text: str, lang: str) -> str:
    """The first letter in capitals (a name that reads lower case mid-sentence, such as an
    English category name, used as a heading)."""
    return text if lang == "zh-CN" or not text else text[0].upper() + text[1:]


def error_text(exc: InvalidInput, lang: str, **values: Any) -> str:
    """The words shown next to the field ``exc.field``."""
    known = ERRORS.get(f"{exc.code}@{exc.field}") or ERRORS.get(exc.code)
    if known is None:
        return exc.message
    text = known[0] if lang == "zh-CN" else known[1]
    if text is None:
        return exc.message
    try:
        return text.format(**values)
    except KeyError:
        return exc.message


def state_text(message: str, lang: str) -> str:
    found = STATES.get(message)
    if found is None:
        if message.startswith("the challenge is already"):
            return ("这笔验证已经处理过了" if lang == "zh-CN"
                    else "This request was already answered.")
        return message
    return found[0] if lang == "zh-CN" else found[1]
