"""The words of alerts and SMS replies, in zh-CN and en (one table, so a translator sees
every text in one place). Templates use ``str.format`` fields; ``alerts.py`` fills them."""

from __future__ import annotations

#: Every text starts with the sender's name, as Chinese SMS rules ask (【签名】).
SIGNATURE = ("【SmartGuard】", "SmartGuard: ")

#: (zh-CN, en) for each template name.
TEXTS: dict[str, tuple[str, str]] = {
    "movement": ("您{card}的卡{when}{what}{move}{amount}{detail}，余额{balance}。",
                 "{card}: {amount} {move}{detail} on {when}. Balance {balance}."),
    "inquiry": ("您{card}的卡{when}在{terminal}{place}查询余额。如非本人操作，回复ZF {last4}止付。",
                "{card}: balance inquiry at {terminal}{place} on {when}. Not you? Reply ZF "
                "{last4} to stop the card."),
    "decline": ("您{card}的卡{when}{what}{amount}{detail}已被拦截：{reason}。{act}",
                "{card}: {what} of {amount}{detail} on {when} was stopped: {reason}. {act}"),
    "act_stop": ("如非本人操作，回复ZF {last4}止付。",
                 "Not you? Reply ZF {last4} to stop the card."),
    "act_unfreeze": ("如为本人操作，请在App或网页解冻。",
                     "If this was you, unfreeze the card in the app or on the web page."),
    "verify": ("您{card}的卡在{merchant}消费{amount}需要您确认（{reason}）。验证码{code}，{until}前"
               "有效。确认请回复Y {code}，拒绝请回复N {code}。",
               "{card}: a purchase of {amount} at {merchant} needs your confirmation ({reason})."
               " Code {code}, valid until {until}. Reply Y {code} to confirm or N {code} to "
               "reject."),
    "sign_in": ("您的网页登录验证码为{code}，{until}前有效。"
                "请勿告诉任何人，银行工作人员不会索要验证码。",
                "Your web sign-in code is {code}, valid until {until}. Never share it; the bank "
                "will never ask for it."),
    "protection": ("您{card}的卡的{name}已于{when}更改。"
                   "如非本人操作，回复ZF {last4}止付并联系银行。",
                   "{card}: your {name} setting was changed on {when}. Not you? Reply ZF "
                   "{last4} to stop the card and call the bank."),
    "frozen": ("您{card}的卡已于{when}止付（冻结），所有支出将被拒绝。"
               "解冻请使用App或网页，短信无法解冻。",
               "{card} was frozen on {when}; every payment from it will be declined. Unfreeze "
               "it in the app or on the web page (not by SMS)."),
    "unfrozen": ("您{card}的卡已于{when}解冻。如非本人操作，回复ZF {last4}止付。",
                 "{card} was unfrozen on {when}. Not you? Reply ZF {last4} to stop it again."),
    "blocked": ("银行已于{when}冻结您{card}的卡，如有疑问请联系银行。",
                "The bank blocked {card} on {when}. Call the bank if you have questions."),
    "unblocked": ("银行已于{when}解除您{card}的卡的冻结。", "The bank unblocked {card} on {when}."),
    "closed": ("您{card}的卡已于{when}销户。", "{card} was closed on {when}."),
    "phone_changed": ("您的预留手机号已于{when}由{old}更改为{new}。如非本人操作，请立即联系银行。",
                      "Your registered phone number was changed from {old} to {new} on {when}. "
                      "Not you? Call the bank at once."),
    "alert_only": ("您{card}的卡{when}{what}{amount}{detail}已放行，"
                   "但触发了您设为仅提醒的{reason}。{act}",
                   "{card}: {what} of {amount}{detail} on {when} went through, but it hit a "
                   "control you set to alert only: {reason}. {act}"),
    "unlock_opened": ("您{card}的卡的{name}已临时打开，将于{end}自动恢复。"
                      "如非本人操作，回复ZF {last4}止付。",
                      "{card}: your {name} is open until {end}, then it closes by itself. Not "
                      "you? Reply ZF {last4} to stop the card."),
    "unlock_closed": ("您{card}的卡的{name}已于{end}恢复。", "{card}: your {name} closed again on "
                      "{end}."),
    # The advisor: travel exceptions and new quick-payment bindings
    "travel_started": ("您{card}的卡出行例外已生效：{start}至{end}可在{place}线下用卡。"
                       "如非本人操作，回复ZF {last4}止付。",
                       "{card}: travel exception on, the card works in person in {place} from "
                       "{start} to {end}. Not you? Reply ZF {last4} to stop the card."),
    "travel_ended": ("您{card}的卡在{place}的出行例外已于{end}结束，账户安全锁恢复原设置。",
                     "{card}: the travel exception for {place} ended on {end}; your locks "
                     "are as before."),
    "agreement_registered": ("您{card}的卡已绑定快捷支付「{payee}」{limit}。如非本人操作，"
                             "请在App解除绑定并回复ZF {last4}止付。",
                             "{card} was bound to quick payment by {payee}{limit}. Not you? "
                             "Revoke it in the app and reply ZF {last4} to stop the card."),
    # Replies to SMS commands (SPEC 3.5, 3.6)
    "reply_frozen": ("您{card}的卡已止付（冻结），所有支出将被拒绝。"
                     "解冻请使用App或网页，短信无法解冻。",
                     "{card} is now frozen; every payment from it will be declined. Unfreeze "
                     "it in the app or on the web page (not by SMS)."),
    "reply_bank_blocked": ("您{card}的卡已被银行冻结，无需止付；如有疑问请联系银行。",
                           "{card} is already blocked by the bank; call the bank if you have "
                           "questions."),
    "reply_closed": ("您{card}的卡已销户，无需止付。", "{card} is closed; nothing to stop."),
    "reply_which": ("此号码绑定了多张卡：{cards}。请回复ZF加卡号后四位，如ZF {example}。",
                    "This number has several cards: {cards}. Reply ZF and the last 4 digits, "
                    "e.g. ZF {example}."),
    "reply_no_card": ("此号码下没有尾号{last4}的卡，未作任何更改。",
                      "No card ending {last4} is registered to this number; nothing changed."),
    "reply_confirmed": ("已确认：请在{until}前重新发起在{merchant}的{amount}消费。",
                        "Confirmed: retry the {amount} purchase at {merchant} before {until}."),
    "reply_rejected": ("已拒绝在{merchant}的{amount}消费。如非本人操作，回复ZF {last4}止付。",
                       "Rejected the {amount} purchase at {merchant}. Not you? Reply ZF {last4} "
                       "to stop the card."),
    "reply_bad_code": ("验证码无效或已使用，未作任何更改。",
                       "That code is not valid or was already used; nothing changed."),
    "reply_expired": ("验证码已过期，请重新发起交易。",
                      "That code has expired; try the purchase again."),
    "reply_help": ("回复ZF或ZF 卡号后四位止付；回复Y 验证码确认交易，N 验证码拒绝交易。",
                   "Reply ZF (or ZF and the card's last 4 digits) to stop your card; Y <code> "
                   "to confirm a payment, N <code> to reject it."),
}

CARD = ("尾号{last4}", "card ending {last4}")

#: What a transaction was, in words: (zh-CN verb phrase, en noun phrase).
KINDS: dict[str, tuple[str, str]] = {
    "purchase": ("消费", "purchase"),
    "cash_withdrawal": ("取现", "cash withdrawal"),
    "transfer": ("转账", "transfer"),
    "refund": ("退款", "refund"),
    "balance_inquiry": ("查询", "balance inquiry"),
    "reversal": ("冲正", "reversal"),
    "posting": ("", ""),
}

#: Which way money moved: (zh-CN, en).
MOVES = {"debit": ("支出", "spent"), "credit": ("收入", "received")}

#: Why a purchase needs confirmation, in a few words.
VERIFY_REASONS = {"magstripe_verification": ("磁条刷卡", "magnetic-stripe card read"),
                  "large_purchase_verification": ("大额消费", "large purchase"),
                  "rule_verification": ("银行风险监控", "the bank's fraud monitoring")}

TERMINALS = {"atm": ("ATM", "an ATM"), "kiosk": ("自助终端", "a self-service kiosk"),
             "pos": ("POS", "a POS"), "none": ("网上", "online")}

#: Protections by their API name, for "your X setting was changed".
PROTECTION_NAMES: dict[str, tuple[str, str]] = {
    "region_lock": ("地区锁", "region lock"),
    "overseas_lock": ("境外锁", "overseas lock"),
    "night_lock": ("夜间锁", "night lock"),
    "overseas_cnp_lock": ("境外无卡支付锁", "overseas card-not-present lock"),
    "verification": ("附加验证", "payment verification"),
    "limits": ("交易限额", "transaction limits"),
    "switches": ("渠道开关", "channel switches"),
    "categories": ("商户类别限制", "merchant categories"),
    "merchants": ("商户名单", "merchant lists"),
    "unlocks": ("临时解锁", "timed unlocks"),
    "alert_only": ("仅提醒模式", "alert-only mode"),
    "switches.atm_cash": ("ATM取现开关", "ATM cash switch"),
    "switches.pos": ("POS消费开关", "POS purchases switch"),
    "switches.online_domestic": ("境内网上支付开关", "domestic online payments switch"),
    "switches.online_overseas": ("境外网上支付开关", "overseas online payments switch"),
    "switches.contactless": ("闪付开关", "contactless switch"),
    "switches.abroad": ("境外交易开关", "payments abroad switch"),
    "switches.quick_pay": ("快捷支付开关", "quick payments switch"),
    "alerts": ("提醒设置", "alert settings"),
}

MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
             "Dec")


def text(template: str, language: str, **values: str) -> str:
    """``template`` in ``language`` with ``values`` filled in (no signature)."""
    return TEXTS[template][index(language)].format(**values)


def index(language: str) -> int:
    return 0 if language == "zh-CN" else 1
