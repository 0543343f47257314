"""The words of the security centre, the pickers, "Not me" and the phone navigation:
key -> (zh-CN, en)."""

from __future__ import annotations

CENTRE_MESSAGES: dict[str, tuple[str, str]] = {
    "centre.title": ("安全中心", "Security centre"),
    "centre.score": ("安全评分", "Security score"),
    "centre.out_of": ("满分100", "out of 100"),
    "centre.band_good": ("安全状况良好", "Well protected"),
    "centre.band_fair": ("还可以更安全", "Could be safer"),
    "centre.band_poor": ("存在风险，建议立即处理", "At risk: act now"),
    "centre.meaning_good": ("评分来自您的设置和您自己的交易记录。发现{count}项可改进之处。",
                            "The score comes from your settings and your own transactions. "
                            "{count} thing(s) could be better."),
    "centre.meaning_fair": ("评分来自您的设置和您自己的交易记录。有{count}项建议，"
                            "一键即可修复。",
                            "The score comes from your settings and your own transactions. "
                            "{count} suggestion(s), each fixed in one tap."),
    "centre.meaning_poor": ("评分来自您的设置和您自己的交易记录。有{count}项风险，"
                            "请尽快修复。",
                            "The score comes from your settings and your own transactions. "
                            "{count} risk(s): fix them soon."),
    "centre.fixes": ("一键修复", "One-tap fixes"),
    "centre.all_findings": ("查看完整检测报告", "See the full check-up"),
    "centre.protections": ("我的保护", "My protections"),
    "centre.protections_hint": ("打开或关闭立即生效，下一笔交易起按新设置处理。",
                                "A switch acts at once: the next transaction follows it."),
    "centre.details": ("详情", "Details"),
    "centre.more": ("更多控制", "More controls"),
    "centre.switched_on": ("已开启{name}。", "{name} is on."),
    "centre.switched_off": ("已关闭{name}。", "{name} is off."),
    "centre.undo": ("撤销", "Undo"),
    "centre.confirm_title": ("关闭{name}？", "Turn off {name}?"),
    "centre.confirm_lowers": ("关闭后此卡的保护会降低：", "Turning it off lowers this card's "
                              "protection:"),
    "centre.confirm_off": ("确定关闭", "Turn it off"),
    "centre.keep_on": ("保持开启", "Keep it on"),
    "centre.working": ("正在保存…", "Saving…"),
    "centre.failed": ("未能保存，请重试。", "Not saved; try again."),
    "centre.needs.region_lock": ("请先选择1至3个常用省份，再开启地区锁。",
                                 "Choose 1 to 3 provinces first, then turn the region lock on."),
    "centre.needs.overseas_lock": ("请先设置境外锁。", "Set up the overseas lock first."),
    "centre.needs.night_lock": ("请先设置夜间时段。", "Set the night hours first."),
    "centre.needs.overseas_cnp_lock": ("请先查看详情。", "See the details first."),
    "centre.needs.magstripe": ("请先查看详情。", "See the details first."),
    "centre.needs.large_purchase": ("请先设置大额标准。", "Set the large amount first."),
    "centre.go_set": ("去设置", "Set it up"),
    "done.needs_places": ("请先选择1至3个常用省份，再开启地区锁。",
                          "Choose 1 to 3 provinces first, then turn the region lock on."),
    # the current setting of each switch, in words
    "centre.on.region_lock": ("仅可在{places}线下用卡", "Card-present payments only in "
                              "{places}"),
    "centre.off.region_lock": ("全国各地都可线下用卡", "Card-present payments anywhere in "
                               "mainland China"),
    "centre.on.overseas_lock": ("境外仅可在{places}线下用卡", "Abroad, card-present payments "
                                "only in {places}"),
    "centre.on.overseas_nowhere": ("境外不可线下用卡", "No card-present payment abroad"),
    "centre.off.overseas_lock": ("境外各地都可线下用卡", "Card-present payments anywhere "
                                 "abroad"),
    "centre.on.night_lock_domestic": ("每天{start}至{end}拒绝境内线下交易",
                                      "Every day {start}–{end}: card-present payments in "
                                      "China declined"),
    "centre.on.night_lock_all": ("每天{start}至{end}拒绝所有支出", "Every day {start}–{end}: "
                                 "every payment declined"),
    "centre.off.night_lock": ("夜间也可正常用卡", "The card works at night as by day"),
    "centre.on.overseas_cnp_lock": ("拒绝境外网站和App的无卡支付", "Online payments to "
                                    "merchants abroad declined"),
    "centre.off.overseas_cnp_lock": ("境外网站和App可以扣款", "Merchants abroad can charge "
                                     "the card online"),
    "centre.on.magstripe": ("磁条刷卡需要您短信确认", "Magnetic-stripe payments wait for "
                            "your confirmation"),
    "centre.off.magstripe": ("磁条刷卡无需确认（复制卡可直接使用）", "Magnetic-stripe "
                             "payments go through unasked (a copied card works)"),
    "centre.on.large_purchase": ("{amount}及以上的消费需要您确认", "Purchases of {amount} "
                                 "or more wait for your confirmation"),
    "centre.off.large_purchase": ("大额消费无需确认", "Large purchases go through unasked"),
    # navigation on a phone
    "nav.more": ("左右滑动查看更多", "Swipe for more"),
    # pickers
    "picker.count": ("已选{n}/{max}", "{n} of {max} chosen"),
    "picker.remove": ("移除", "Remove"),
    "picker.none": ("没有找到", "Nothing found"),
    "picker.search_provinces": ("搜索省份", "Search provinces"),
    "picker.search_countries": ("搜索国家或地区", "Search countries and regions"),
    "presets.label": ("快速选择", "Quick picks"),
    "presets.usage": ("按我的用卡{value}", "From my usage {value}"),
    "presets.safe": ("安全默认{value}", "Safe default {value}"),
    "presets.ceiling": ("银行上限{value}", "Bank ceiling {value}"),
    "presets.none": ("不设个人限额", "No personal limit"),
    # channel pictures
    "icon.atm": ("ATM", "ATM"),
    "icon.online": ("网上支付", "Online"),
    "icon.tap": ("闪付", "Contactless"),
    "icon.transfer": ("转账", "Transfer"),
    "icon.card": ("刷卡", "Card"),
    # not me
    "notme.link": ("不是我", "Not me"),
    "notme.title": ("不是我本人的交易", "A transaction I did not make"),
    "notme.which": ("这笔交易", "This transaction"),
    "notme.freeze_title": ("立即止付此卡", "Freeze the card now"),
    "notme.freeze_hint": ("止付后所有付款都会被拒绝，之后可随时解除。",
                          "Every payment is declined until you unfreeze it."),
    "notme.block_title": ("屏蔽这个商户", "Block this merchant"),
    "notme.block_hint": ("以后这个商户的扣款都会被拒绝，其他商户不受影响。",
                         "This merchant's payments are declined from now on; others are not "
                         "affected."),
    "notme.blocked": ("这个商户已被屏蔽。", "This merchant is blocked."),
    "notme.no_merchant": ("这笔交易没有商户编号（如ATM取现），请止付此卡并联系银行。",
                          "This transaction names no merchant (an ATM, say): freeze the card "
                          "and call the bank."),
    "notme.next_title": ("接下来", "What to do next"),
    "notme.step_call": ("致电银行客服（卡背面的电话）说明这笔交易不是您本人所为，"
                        "申请调查和退款；如卡已丢失，请挂失。",
                        "Call the bank (the number on the back of the card): say you did not "
                        "make it and ask them to investigate and refund it; report the card "
                        "lost if it is."),
    "notme.step_check": ("查看其他交易，是否还有不认识的。", "Look through your other "
                         "transactions for any you do not recognise."),
    "notme.step_bindings": ("检查快捷支付绑定，暂停不认识的。", "Check your quick-payment "
                            "bindings and suspend any you do not know."),
    "notme.step_codes": ("任何人（包括自称银行或警方的人）索要验证码都是诈骗，请勿透露。",
                         "Anyone asking for a code, even as the bank or the police, is a "
                         "fraudster: never give it."),
    "done.merchant_blocked": ("已屏蔽这个商户，下一笔交易起生效。", "The merchant is blocked "
                              "from the next transaction."),
    # stored values in words (the console)
    "product.debit_standard": ("标准借记卡", "Standard debit card"),
    "zone.shanghai": ("北京时间", "China time"),
    "zone.hong_kong": ("香港时间", "Hong Kong time"),
    "zone.macau": ("澳门时间", "Macao time"),
    "zone.taipei": ("台北时间", "Taipei time"),
    "zone.urumqi": ("乌鲁木齐时间", "Urumqi time"),
    "zone.utc": ("协调世界时", "Coordinated Universal Time"),
    "console.language": ("语言", "Language"),
    # channel switches in the centre
    "centre.channel_on": ("已开启：可以通过此渠道付款", "On: payments through it go ahead"),
    "centre.channel_off": ("已关闭：此渠道的付款将被拒绝", "Off: payments through it are "
                           "declined"),
    "centre.confirm_on_title": ("打开{name}？", "Turn {name} on?"),
    "centre.channel_on_risk": ("此渠道的付款将重新放行。", "payments through this channel "
                               "go ahead again."),
    "centre.confirm_on_lowers": ("打开后此卡的保护会降低：", "Turning it on lowers this card's "
                                 "protection:"),
    "centre.confirm_on": ("确定打开", "Turn it on"),
    "centre.keep_off": ("保持关闭", "Keep it off"),
    # the controls tab's form that turns several channels on at once
    "centre.channels_on_risk": ("这些渠道的付款将重新放行。", "payments through these "
                                "channels go ahead again."),
    "centre.confirm_on_many_lowers": ("打开后此卡的保护会降低：", "Turning them on lowers "
                                      "this card's protection:"),
    "centre.confirm_on_many": ("确定打开", "Turn them on"),
    "centre.keep_off_many": ("保持关闭", "Keep them off"),
}
