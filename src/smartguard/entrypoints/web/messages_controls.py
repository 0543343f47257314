"""The words of the controls tab (SPEC 3.12): key -> (zh-CN, en)."""

from __future__ import annotations

CONTROL_MESSAGES: dict[str, tuple[str, str]] = {
    "tab.controls": ("渠道与商户", "Channels & merchants"),
    "controls.intro": ("按渠道开关用卡，限制商户类别和商户，"
                       "临时打开一个锁，或让某项控制只提醒不拦截。",
                       "Switch channels on and off, limit merchant categories and merchants, "
                       "open a lock for a while, or let a control alert instead of decline."),
    "controls.switches": ("渠道开关", "Channel switches"),
    "controls.switches_hint": ("开关立即生效；关闭的渠道的支出将被拒绝。新卡全部开启。",
                               "A switch acts at once; payments through a channel that is off "
                               "are declined. All are on for a new card."),
    "controls.switches_bulk": ("一次改多个渠道（可先预览影响）",
                               "Change several at once (preview first)"),
    "controls.switches_bulk_hint": ("勾选表示开启。“预览影响”按近期交易演示"
                                    "这些改动将拦下哪些付款。",
                                    "Ticked means on. \u201cPreview\u201d replays your recent "
                                    "payments to show which ones these changes would decline."),
    "controls.state_open": ("不限制", "Not limited"),
    "controls.state_blocked": ("已禁止：此类商户的付款将被拒绝", "Blocked: payments to these "
                               "merchants are declined"),
    "controls.state_amount": ("每日最多{amount}", "Up to {amount} a day"),
    "controls.state_lifting": ("解除中：冷静期至{at}，此前仍然禁止", "Lifting: still blocked "
                               "until {at}"),
    "controls.allow_add": ("添加放行商户", "Add an allowed merchant"),
    "controls.alert_only_state": ("{count}项只提醒", "{count} alert only"),
    "controls.alert_only_none": ("未使用：各项控制照常拦截", "Not in use: every control "
                                 "declines as usual"),
    "controls.unlocks": ("临时解锁", "Timed unlock"),
    "controls.unlocks_hint": ("临时打开一个锁或开关（15分钟至24小时），"
                              "到时自动恢复，开始和结束时都会短信提醒您。",
                              "Open a lock or a switch for 15 minutes to 24 hours; it closes by "
                              "itself, and we text you when it opens and when it closes."),
    "controls.unlock_open": ("{name}已临时打开，至{until}", "{name} is open until {until}"),
    "controls.unlock_close": ("立即恢复", "Close now"),
    "controls.unlock_target": ("打开哪一项", "What to open"),
    "controls.unlock_minutes": ("打开多久", "For how long"),
    "controls.minutes": ("{count}分钟", "{count} minutes"),
    "controls.unlock_open_button": ("临时打开", "Open"),
    "controls.categories": ("商户类别", "Merchant categories"),
    "controls.categories_hint": ("按商户类别码（MCC）识别；没有类别码的交易不受此限制。",
                                 "Recognised by the merchant category code (MCC); a payment "
                                 "without one is not affected."),
    "controls.block_category": ("禁止此类商户", "Block this category"),
    "controls.category_amount": ("此类商户日累计限额（可不填）", "Daily amount for this "
                                 "category (optional)"),
    "controls.lifting": ("已申请解除，冷静期后于{at}生效，在此之前仍然禁止。",
                         "Lifting requested: it takes effect after the cool-down, on {at}; "
                         "until then the block stays."),
    "controls.merchants": ("商户名单", "Merchants"),
    "controls.merchants_hint": ("被屏蔽的商户一律拒绝；"
                                "放行名单中的商户可以通过安全锁和渠道开关（例如境外锁开启时的定期扣费）。",
                                "Blocked merchants are always declined; allowed merchants "
                                "pass your locks and switches (a recurring bill while the "
                                "overseas lock is on)."),
    "controls.blocked": ("已屏蔽", "Blocked"),
    "controls.allowed": ("放行名单", "Allowed"),
    "controls.none": ("暂无", "None"),
    "controls.remove": ("移出", "Remove"),
    "controls.merchant_id": ("商户编号（见交易记录）", "Merchant id (see your transactions)"),
    "controls.merchant_name": ("商户名称", "Merchant name"),
    "controls.allow_merchant": ("加入放行名单", "Allow this merchant"),
    "controls.block_merchant": ("屏蔽此商户", "Block this merchant"),
    "controls.alert_only": ("仅提醒模式", "Alert only"),
    "controls.alert_only_hint": ("勾选的控制不再拦截交易，"
                                 "而是放行并短信提醒您（如非本人操作可回复ZF止付）。",
                                 "A ticked control lets the payment through and texts you "
                                 "instead (not you? reply ZF to stop the card)."),
    "decision.alert_only": ("已放行并提醒：{reason}", "Let through with an alert: {reason}"),
    "controls.switches_off": ("已关闭的渠道", "Channels off"),
    "controls.merchant_counts": ("屏蔽{blocked}个，放行{allowed}个", "{blocked} blocked, "
                                 "{allowed} allowed"),
    "controls.alert_only_count": ("{count}项", "{count}"),
    "target.region_lock": ("地区锁", "Region lock"),
    "target.overseas_lock": ("境外锁", "Overseas lock"),
    "target.night_lock": ("夜间锁", "Night lock"),
    "target.overseas_cnp_lock": ("境外无卡支付锁", "Overseas card-not-present lock"),
    "target.switches.atm_cash": ("ATM取现", "ATM cash"),
    "target.switches.pos": ("POS刷卡消费", "POS purchases"),
    "target.switches.online_domestic": ("境内网上支付", "Online payments in mainland China"),
    "target.switches.online_overseas": ("境外网上支付", "Online payments abroad"),
    "target.switches.contactless": ("闪付（非接触）", "Contactless"),
    "target.switches.abroad": ("所有境外交易", "All payments abroad"),
    "target.switches.quick_pay": ("快捷支付", "Quick payments"),
}
