"""Texts of the check-up, the preview, quick-payment agreements and travel exceptions:
key -> (zh-CN, en)."""

from __future__ import annotations

ADVISOR_MESSAGES: dict[str, tuple[str, str]] = {
    "tab.checkup": ("安全检测", "Check-up"),
    "tab.agreements": ("快捷支付", "Quick payments"),
    "tab.travel": ("出行例外", "Travel"),
    # check-up
    "checkup.score": ("账户安全评分", "Security score"),
    "checkup.intro": ("根据您的设置和交易记录检测。", "From your settings and your own "
                      "transactions."),
    "checkup.none": ("没有发现问题。", "Nothing to fix."),
    "checkup.fix": ("一键修复", "Fix it"),
    "checkup.fix_does": ("一键修复将：{fix}", "Fixing it will: {fix}"),
    "checkup.link": ("查看账户安全评分和一键修复建议", "See your security score and one-click "
                     "fixes"),
    "severity.high": ("高风险", "High"),
    "severity.medium": ("中风险", "Medium"),
    "severity.low": ("低风险", "Low"),
    "severity.info": ("提示", "Info"),
    "fix.freeze": ("止付（冻结）此卡", "freeze this card"),
    "fix.suspend": ("暂停快捷支付协议 {agreement}", "suspend quick-payment agreement "
                    "{agreement}"),
    "fix.limits": ("将{channel}限额设为{limits}", "set {channel} limits to {limits}"),
    "fix.limit_per_txn": ("单笔{value}", "{value} per transaction"),
    "fix.limit_daily_amount": ("日累计{value}", "{value} a day"),
    "fix.limit_daily_count": ("每日{value}笔", "{value} a day"),
    "fix.limit_monthly_amount": ("月累计{value}", "{value} a month"),
    "fix.switches_off": ("关闭{channels}", "switch off {channels}"),
    "fix.block_categories": ("禁止{categories}类商户", "block merchants of {categories}"),
    "fix.turn_on": ("开启{name}", "turn on the {name}"),
    "fix.turn_on_at": ("开启{name}（{detail}）", "turn on the {name} ({detail})"),
    "fix.verification": ("开启磁条卡消费验证和大额消费核实（{amount}及以上）",
                         "turn on magnetic-stripe and large-purchase verification "
                         "({amount} or more)"),
    # preview
    "preview.button": ("预览影响", "Preview"),
    "preview.title": ("按这项更改重放近{days}天的{count}笔交易：", "Replaying your {count} "
                      "transactions of the last {days} days with this change:"),
    "preview.declined": ("会被拒绝的交易（{count}笔）：", "It would have declined {count}:"),
    "preview.verification": ("会要求您确认的交易（{count}笔）：", "It would have asked you to "
                             "confirm {count}:"),
    "preview.approved": ("会被放行的交易（{count}笔）：", "It would have let {count} through:"),
    "preview.nothing": ("这项更改不会改变任何一笔交易的结果。", "It would not have changed any "
                        "of them."),
    "preview.not_saved": ("尚未保存：确认无误后请点击“保存”。", "Nothing is saved yet: press "
                          "\u201cSave\u201d if this is what you want."),
    # quick-payment agreements
    "agreements.intro": ("您的卡绑定的第三方快捷支付协议。不认识的请立即解除。",
                         "Third parties your card is bound to for quick payments. Revoke any "
                         "you do not recognise."),
    "agreements.none": ("此卡没有快捷支付协议。", "This card has no quick-payment agreement."),
    "agreements.id": ("协议号", "Agreement"),
    "agreements.since": ("签约时间", "Since"),
    "agreements.last_used": ("最近使用", "Last used"),
    "agreements.used_today": ("今日已用", "Used today"),
    "agreements.suspend": ("暂停", "Suspend"),
    "agreements.resume": ("恢复", "Resume"),
    "agreements.revoke": ("解除", "Revoke"),
    "agreements.revoke_hint": ("解除后无法恢复，对方需重新签约。", "Revoking is final: the third "
                               "party would have to sign a new agreement."),
    "agreements.per_txn": ("单笔限额（元）", "Per payment (yuan)"),
    "agreements.daily": ("日累计限额（元）", "Per day (yuan)"),
    "agreements.limits_hint": ("留空表示不另设限额（仍受网上支付限额约束）。",
                               "Empty: no limit of its own (online payment limits still "
                               "apply)."),
    "agreements.save_limits": ("保存限额", "Save limits"),
    "agreement.active": ("正常", "Active"),
    "agreement.suspended": ("已暂停", "Suspended"),
    "agreement.revoked": ("已解除", "Revoked"),
    "agreement.never": ("从未使用", "Never"),
    # travel exceptions
    "travel.intro": ("出行期间临时放开地区锁（某个省份）或境外锁（某个国家或地区），到期自动恢复。",
                     "Open the region lock for one province, or the overseas lock for one "
                     "country or region, while you travel; it closes by itself."),
    "travel.add": ("新增出行例外", "Add a trip"),
    "travel.place": ("目的地", "Destination"),
    "travel.choose": ("请选择", "Choose"),
    "travel.starts": ("开始时间", "From"),
    "travel.ends": ("结束时间", "Until"),
    "travel.zone": ("时间按您的时区计算：{zone}。最长180天。", "Times are in your time zone: "
                    "{zone}. At most 180 days."),
    "travel.save": ("保存", "Save"),
    "travel.format_start": ("例如 {example}（24小时制）。只写日期则从当天0点起。",
                            "For example {example} (24-hour clock). A date alone starts at "
                            "00:00."),
    "travel.format_end": ("例如 {example}。只写日期则到当天23:59。",
                          "For example {example}. A date alone lasts until 23:59."),
    "travel.pick": ("选择日期", "Pick a date"),
    "travel.calendar": ("选择{name}", "Choose: {name}"),
    "travel.prev_month": ("上个月", "Previous month"),
    "travel.next_month": ("下个月", "Next month"),
    "travel.time": ("时间（24小时制）", "Time (24-hour)"),
    "travel.done": ("完成", "Done"),
    "travel.cancel": ("提前结束", "End it now"),
    "travel.scheduled": ("未开始", "Scheduled"),
    "travel.active": ("生效中", "Active"),
    "travel.ended": ("已结束", "Ended"),
    "travel.cancelled": ("已取消", "Cancelled"),
    "travel.kind_region": ("放开地区锁", "Opens the region lock"),
    "travel.kind_overseas": ("放开境外锁", "Opens the overseas lock"),
    "locks.provinces_all": ("内地省份", "Mainland provinces"),
    # results
    "done.fixed": ("已修复，下一笔交易起生效。", "Fixed. It applies from the next transaction."),
    "done.agreement_suspend": ("已暂停，通过该协议的支付将被拒绝。", "Suspended: payments "
                               "through it will be declined."),
    "done.agreement_resume": ("已恢复。", "Resumed."),
    "done.agreement_revoke": ("已解除。", "Revoked."),
    "done.travel_added": ("已保存出行例外，开始和结束时会短信通知您。", "Saved. You will get an "
                          "SMS when it starts and when it ends."),
    "done.travel_cancelled": ("已结束出行例外。", "The trip's exception has ended."),
}
