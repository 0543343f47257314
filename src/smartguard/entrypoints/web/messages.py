"""Every text of the web page and the console: key -> (zh-CN, en). ``{name}`` fields are
filled by :func:`smartguard.entrypoints.web.i18n.translator`. A test renders every page in
both languages, so a missing key fails there, not in front of a cardholder."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "app.name": ("SmartGuard 智能卫士", "SmartGuard"),
    "test_clock.banner": ("测试环境：时钟已设定为", "Test environment: the clock is set to"),
    "a11y.skip": ("跳到正文", "Skip to content"),
    "nav.label": ("页面导航", "Sections"),
    "nav.sign_out": ("退出", "Sign out"),
    "common.on": ("已开启", "On"),
    "common.off": ("未开启", "Off"),
    "common.save": ("保存", "Save"),
    # sign in
    "signin.title": ("登录", "Sign in"),
    "signin.intro": ("输入银行卡号后4位和在银行登记的手机号码，我们会发送短信验证码。",
                     "Enter the last 4 digits of your card and the mobile number registered "
                     "with the bank; we will text you a code."),
    "signin.last4": ("卡号后4位", "Last 4 digits of the card"),
    "signin.phone": ("登记手机号码", "Registered mobile number"),
    "signin.phone_hint": ("例如 13800138000 或 +8613800138000",
                          "For example 13800138000 or +8613800138000"),
    "signin.send_code": ("发送验证码", "Text me a code"),
    "signin.safety": ("银行工作人员不会向您索要验证码。",
                      "The bank will never ask you for this code."),
    "signin.code_title": ("输入短信验证码", "Enter the code we texted you"),
    "signin.code_intro": ("如果卡号和手机号码与银行记录一致，验证码已发送到该手机，5分钟内有效。",
                          "If the card and the number match the bank's records, a code is on "
                          "its way to that phone. It is valid for 5 minutes."),
    "signin.code": ("6位验证码", "6-digit code"),
    "signin.verify": ("登录", "Sign in"),
    "signin.again": ("没收到？重新获取验证码", "No code? Ask for a new one"),
    "signin.wrong_code": ("验证码错误或已过期", "The code is wrong or has expired"),
    "signin.throttled": ("尝试次数过多，请15分钟后再试",
                         "Too many attempts; try again in 15 minutes"),
    "signin.no_sms": ("银行未开通短信，无法发送验证码，暂时无法登录",
                      "The bank sends no SMS, so no code can be sent: sign-in is not "
                      "available"),
    # cards and tabs
    "cards.choose": ("您的银行卡", "Your cards"),
    "tab.overview": ("安全中心", "Security centre"),
    "tab.locks": ("安全锁", "Locks"),
    "tab.limits": ("交易限额", "Limits"),
    "tab.verification": ("附加验证", "Verification"),
    "tab.alerts": ("提醒", "Alerts"),
    "tab.pending": ("待确认交易", "To confirm"),
    "tab.transactions": ("交易记录", "Transactions"),
    "status.active": ("正常", "Active"),
    "status.frozen": ("已止付（冻结）", "Frozen"),
    "status.blocked": ("银行已冻结", "Blocked by the bank"),
    "status.closed": ("已销户", "Closed"),
    "status.active_hint": ("发现可疑交易？立即止付，所有付款都会被拒绝，之后可在此解除。",
                           "See something you don't recognise? Freeze the card: every payment "
                           "is declined until you unfreeze it here."),
    "status.frozen_hint": ("此卡已止付，所有付款都会被拒绝。", "This card is frozen: every "
                           "payment is declined."),
    "status.blocked_hint": ("银行已冻结此卡（如挂失），请联系银行解除。", "The bank blocked this "
                            "card (e.g. reported lost); only the bank can lift it."),
    "status.closed_hint": ("此卡已销户。", "This card is closed."),
    # overview
    "overview.card": ("银行卡", "Card"),
    "overview.status": ("状态", "Status"),
    "overview.balance": ("可用余额", "Available balance"),
    "overview.holder": ("持卡人", "Cardholder"),
    "overview.freeze": ("立即止付（冻结此卡）", "Freeze this card now"),
    "overview.unfreeze": ("解除止付", "Unfreeze"),
    "overview.pending": ("有{count}笔交易等待您确认。", "{count} transaction(s) wait for your "
                         "answer."),
    "overview.answer": ("去确认", "Answer now"),
    "overview.glance": ("保护一览", "Protections at a glance"),
    "overview.change": ("修改", "Change"),
    "overview.nowhere_abroad": ("境外不可线下交易", "no usual place abroad"),
    "overview.from_amount": ("{amount}及以上", "{amount} or more"),
    "overview.limits_set": ("已设置{count}个渠道", "set for {count} channel(s)"),
    "overview.recent": ("最近交易", "Recent transactions"),
    "overview.all_transactions": ("查看全部交易", "All transactions"),
    # locks
    "locks.intro": ("安全锁随时开关，下一笔交易即生效。", "Switch any lock on or off at any "
                    "time; it applies from the next transaction."),
    "locks.region": ("地区锁", "Region lock"),
    "locks.region_hint": ("选择1至3个常用省份；在其他省份的线下交易（ATM、POS）将被拒绝。",
                          "Pick 1 to 3 usual provinces; card-present transactions (ATM, POS) "
                          "anywhere else in mainland China are declined."),
    "locks.region_on": ("开启地区锁", "Region lock on"),
    "locks.provinces": ("常用省份（最多3个）", "Usual provinces (at most 3)"),
    "locks.overseas": ("境外锁", "Overseas lock"),
    "locks.overseas_hint": ("可选择0至3个境外常用地；其他境外地区的线下交易将被拒绝。"
                            "港澳台属于境外。",
                            "Pick 0 to 3 usual places abroad; card-present transactions "
                            "anywhere else abroad are declined. Hong Kong, Macao and Taiwan "
                            "count as abroad."),
    "locks.overseas_on": ("开启境外锁", "Overseas lock on"),
    "locks.countries": ("境外常用地（最多3个）", "Usual places abroad (at most 3)"),
    "locks.countries_common": ("常去地区", "Common destinations"),
    "locks.countries_rest": ("其他国家和地区", "Every other country or region"),
    "locks.night": ("夜间锁", "Night lock"),
    "locks.night_hint": ("夜间时段内的线下交易将被拒绝。默认23:00至次日05:00。",
                         "Card-present transactions inside the night window are declined. "
                         "By default 23:00 to 05:00."),
    "locks.night_on": ("开启夜间锁", "Night lock on"),
    "locks.night_start": ("开始时间", "Starts at"),
    "locks.night_end": ("结束时间", "Ends at"),
    "locks.night_scope": ("适用范围", "Applies to"),
    "locks.scope_domestic": ("仅境内交易", "Domestic transactions only"),
    "locks.scope_all": ("全部交易（含境外及网上支付）", "All transactions (abroad and online "
                        "too)"),
    "locks.scope_domestic_short": ("境内", "domestic"),
    "locks.scope_all_short": ("全部交易", "all transactions"),
    "locks.night_zone": ("时间按您的时区计算：{zone}。", "Times are in your time zone: "
                         "{zone}."),
    "locks.cnp": ("境外无卡支付锁", "Overseas card-not-present lock"),
    "locks.cnp_hint": ("开启后，境外商户的网上（无卡）支付将被拒绝。", "When on, online "
                       "(card-not-present) payments at merchants abroad are declined."),
    "locks.cnp_on": ("开启境外无卡支付锁", "Overseas card-not-present lock on"),
    # limits
    "limits.title": ("个性化限额", "Personal limits"),
    "limits.intro": ("为每个渠道设置自己的限额，不能高于银行上限。留空表示仅受银行上限约束。",
                     "Set your own limits per channel, at or below the bank's ceiling. "
                     "Leave a field empty to keep only the bank's ceiling."),
    "limits.per_txn": ("单笔限额（元）", "Per transaction (yuan)"),
    "limits.daily_amount": ("日累计限额（元）", "Per day (yuan)"),
    "limits.daily_count": ("每日笔数", "Transactions per day"),
    "limits.monthly_amount": ("月累计限额（元）", "Per month (yuan)"),
    "limits.ceiling": ("银行上限：{value}", "Bank ceiling: {value}"),
    "limits.count": ("{count}笔", "{count}"),
    "limits.overseas_note": ("境外ATM取现每日另受银行上限{amount}约束。", "Cash abroad is also "
                             "capped by the bank at {amount} a day."),
    "channel.atm_cash": ("ATM取现", "ATM cash withdrawal"),
    "channel.atm_transfer": ("ATM转账", "ATM transfer"),
    "channel.pos": ("POS消费", "POS purchase"),
    "channel.online": ("网上及快捷支付", "Online and quick payment"),
    # verification
    "verification.title": ("附加验证", "Extra verification"),
    "verification.intro": ("需要验证的交易会先被拒绝，并短信通知您；"
                           "您确认后，同一商户的重试将被批准。",
                           "A transaction that needs verification is declined first and you "
                           "get an SMS; once you confirm, a retry at the same merchant is "
                           "approved."),
    "verification.magstripe": ("磁条刷卡消费需要我确认", "Magnetic-stripe purchases need my "
                               "confirmation"),
    "verification.large": ("大额消费需要我确认", "Large purchases need my confirmation"),
    "verification.threshold": ("大额标准（元）", "Large means at least (yuan)"),
    "verification.threshold_hint": ("默认5,000元", "5,000 yuan by default"),
    "verification.magstripe_short": ("磁条卡消费验证", "Magnetic-stripe verification"),
    "verification.large_short": ("大额消费核实", "Large-purchase verification"),
    # pending verifications
    "pending.title": ("待确认交易", "Transactions to confirm"),
    "pending.none": ("没有等待确认的交易。", "Nothing waits for your answer."),
    "pending.when": ("{created}发起，{expires}前有效", "Asked at {created}, valid until "
                     "{expires}"),
    "pending.confirm": ("是我本人，确认", "Yes, it's me"),
    "pending.reject": ("不是我，拒绝", "No, it's not me"),
    "pending.explain": ("确认后，请在有效期内在同一商户重新支付（金额不超过确认金额）。",
                        "After you confirm, pay again at the same merchant (for at most the "
                        "confirmed amount) before it expires."),
    "challenge.magstripe_verification": ("磁条刷卡消费需要您确认", "A magnetic-stripe purchase "
                                         "needs your confirmation"),
    "challenge.large_purchase_verification": ("大额消费需要您确认", "A large purchase needs "
                                              "your confirmation"),
    "challenge_status.pending": ("待确认", "pending"),
    "challenge_status.confirmed": ("已确认", "confirmed"),
    "challenge_status.rejected": ("已拒绝", "rejected"),
    "challenge_status.used": ("已使用", "used"),
    # transactions
    "transactions.intro": ("每笔交易的结果和原因。", "Every transaction, with what was decided "
                           "and why."),
    "transactions.none": ("还没有交易。", "No transactions yet."),
    "outcome.approve": ("已批准", "Approved"),
    "outcome.decline": ("已拒绝", "Declined"),
    "outcome.verification_required": ("待您确认", "Needs your confirmation"),
    "decision.approved": ("交易已批准，余额{balance}", "Approved; balance {balance}"),
    "decision.reversed": ("{at} 已冲正：{amount} 已退回", "Reversed {at}: {amount} given back"),
    "decision.partly_reversed": ("{at} 部分冲正：实际交易{took}，{amount} 已退回",
                                 "Partly reversed {at}: {took} took place, {amount} given "
                                 "back"),
    "decision.advice_verify": ("如果是您本人，请在“待确认交易”中确认后重新支付；"
                               "不是您本人请拒绝并止付。",
                               "If it was you, confirm it under \u201cTo confirm\u201d and pay "
                               "again; if not, reject it and freeze the card."),
    "decision.advice_control": ("这是您设置的保护拦截的。如果是您本人，可以修改设置后重试；"
                                "如果不是您，请立即止付。",
                                "One of your protections stopped it. If it was you, change the "
                                "setting and try again; if not, freeze the card now."),
    "decision.advice_bank": ("这是银行规定的上限，无法在此修改；如有需要请联系银行。",
                             "This is the bank's ceiling, which cannot be changed here; "
                             "call the bank if you need more."),
    "what.at": ("{terminal}{kind}", "{kind} at {terminal}"),
    "what.online": ("网上{kind}", "Online {kind}"),
    "kind.purchase": ("消费", "purchase"),
    "kind.cash_withdrawal": ("取现", "cash withdrawal"),
    "kind.transfer": ("转账", "transfer"),
    "kind.balance_inquiry": ("余额查询", "balance inquiry"),
    "kind.refund": ("退款", "refund"),
    "terminal.atm": ("ATM", "an ATM"),
    "terminal.pos": ("POS", "a shop (POS)"),
    "terminal.kiosk": ("自助终端", "a self-service kiosk"),
    "terminal.none": ("网上", "online"),
    # alerts
    "alerts.settings": ("提醒设置", "Alert settings"),
    "alerts.intro": ("选择每类提醒的发送方式。", "Choose how each kind of alert reaches you."),
    "alerts.always_sms": ("验证码和安全提醒总是发短信，以免被他人关闭。",
                          "Codes and security alerts always go by SMS, so nobody else can "
                          "silence them."),
    "alerts.threshold": ("余额变动提醒起点（元）", "Alert balance changes from (yuan)"),
    "alerts.threshold_hint": ("0 表示每笔变动都提醒", "0 means every change"),
    "alerts.recent": ("最近的提醒", "Recent alerts"),
    "alerts.all": ("查看全部提醒", "All alerts"),
    "alerts.none": ("还没有提醒。", "No alerts yet."),
    "alert_kind.balance_change": ("余额变动提醒", "Balance changes"),
    "alert_kind.balance_inquiry": ("自助渠道余额查询提醒", "Balance inquiries at ATMs and "
                                   "kiosks"),
    "alert_kind.decline": ("交易拦截提醒", "Stopped transactions"),
    "alert_kind.verification": ("交易确认验证码", "Verification codes"),
    "alert_kind.security": ("安全提醒", "Security alerts"),
    "alert_kind.sms_reply": ("短信回复", "SMS replies"),
    "alert_kind.sign_in": ("网页登录验证码", "Web sign-in codes"),
    "alert_channel.sms": ("短信", "SMS"),
    "alert_channel.webhook": ("银行App通知", "Bank app notification"),
    "delivery.pending": ("待发送", "Waiting to be sent"),
    "delivery.sent": ("已发送", "Sent"),
    "delivery.delivered": ("已送达", "Delivered"),
    "delivery.dead": ("发送失败", "Could not be sent"),
    # results of actions
    "done.saved": ("已保存，下一笔交易起生效。", "Saved. It applies from the next transaction."),
    "done.frozen": ("此卡已止付，所有付款都会被拒绝。", "The card is frozen: every payment is "
                    "declined."),
    "done.unfrozen": ("已解除止付。", "The card is unfrozen."),
    "done.confirmed": ("已确认。请在有效期内在同一商户重新支付。", "Confirmed. Pay again at the "
                       "same merchant before it expires."),
    "done.rejected": ("已拒绝。如果您不认识这笔交易，请立即止付此卡。", "Rejected. If you don't "
                      "recognise this transaction, freeze the card now."),
    "done.requeued": ("已重新排队发送。", "Queued to be sent again."),
    "done.blocked": ("此卡已被冻结（银行）。", "The card is blocked."),
    "done.unblocked": ("此卡已解除冻结。", "The card is unblocked."),
    # errors
    "error.back": ("返回", "Back"),
    "error.403": ("表单已过期", "The form has expired"),
    "error.403_text": ("请刷新页面后重试。", "Reload the page and try again."),
    "error.404": ("找不到页面", "Not found"),
    "error.not_found": ("找不到这张卡或这个页面。", "There is no such card or page here."),
    "error.409": ("暂时无法完成", "This cannot be done now"),
    "error.422": ("输入有误", "Something in the form is wrong"),
    "error.422_text": ("请检查输入后重试。", "Check what you entered and try again."),
    "error.500": ("出错了", "Something went wrong"),
    "error.500_text": ("请稍后再试。", "Please try again later."),
    "error.503": ("服务暂不可用", "Service unavailable"),
    "error.503_text": ("请稍后再试。", "Please try again in a moment."),
    "errors.too_many_places": ("最多选择3个常用地", "choose at most 3 places"),
}
