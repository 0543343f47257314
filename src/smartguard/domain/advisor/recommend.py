"""Recommendations from the cardholder's own history (SPEC 3.9): lock places where the card
is really used, a night window that misses the hours it is really used, limits a margin
above the real maximum. With too little history, safe defaults, and the answer says so.
The rules are documented in docs/advisor.md; each has a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from smartguard.domain.advisor.profile import ChannelUse, Profile
from smartguard.domain.advisor.text import Text, both_places, count
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Switches
from smartguard.domain.controls.values import (
    DEFAULT_LARGE_THRESHOLD,
    MAX_PLACES,
    Ceilings,
    ChannelCeiling,
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    OverseasLock,
    RegionLock,
    Verification,
)
from smartguard.domain.money import format_amount
from smartguard.domain.transactions import Channel

#: Recommended limits are the real maximum plus half (x 3/2), rounded up to 100 CNY.
MARGIN = (3, 2)
STEP = 10_000
#: Hours a night window may cover (22:00-06:00), the default window (23:00-05:00), and the
#: shortest window worth recommending.
NIGHT_BAND = (22, 23, 0, 1, 2, 3, 4, 5)
DEFAULT_NIGHT = (23, 0, 1, 2, 3, 4)
MIN_NIGHT_HOURS = 4


def _cny(yuan: int) -> int:
    return yuan * 100


#: Safe defaults for a channel with no history: per transaction, day, daily count, month.
SAFE_LIMITS: Mapping[Channel, ChannelLimits] = {
    Channel.ATM_CASH: ChannelLimits(_cny(2_000), _cny(5_000), 5, _cny(20_000)),
    Channel.ATM_TRANSFER: ChannelLimits(_cny(5_000), _cny(5_000), 5, _cny(20_000)),
    Channel.POS: ChannelLimits(_cny(10_000), _cny(20_000), 20, _cny(50_000)),
    Channel.ONLINE: ChannelLimits(_cny(2_000), _cny(5_000), 10, _cny(20_000)),
}


class Basis(StrEnum):
    HISTORY = "history"  # from the cardholder's own transactions
    DEFAULTS = "defaults"  # safe defaults: too little history (or none for this item)


Value = (RegionLock | OverseasLock | NightLock | bool | Verification | ChannelLimits
         | Switches | Mapping[Category, CategoryControl])


@dataclass(frozen=True, slots=True)
class Recommendation:
    value: Value | None  # None: nothing can be recommended (``why`` says so)
    basis: Basis
    why: Text


@dataclass(frozen=True, slots=True)
class Recommendations:
    basis: Basis
    days: int
    debits: int
    note: Text
    region_lock: Recommendation
    overseas_lock: Recommendation
    night_lock: Recommendation
    overseas_cnp_lock: Recommendation
    verification: Recommendation
    limits: Mapping[Channel, Recommendation]


def recommend(profile: Profile, controls: Controls, ceilings: Ceilings) -> Recommendations:
    enough = profile.enough
    if enough:
        note = Text(f"根据您近{profile.days}天的{profile.debits}笔交易",
                    f"From your {profile.debits} payments in the last {profile.days} days")
    else:
        note = Text("交易记录太少，以下为安全默认设置",
                    "Too little history to learn from: these are safe defaults")
    return Recommendations(
        basis=Basis.HISTORY if enough else Basis.DEFAULTS,
        days=profile.days, debits=profile.debits, note=note,
        region_lock=_region(profile),
        overseas_lock=_overseas(profile),
        night_lock=_night(profile),
        overseas_cnp_lock=_overseas_cnp(profile),
        verification=_verification(controls),
        limits={ch: _limits(profile, ch, ceilings) for ch in Channel},
    )


def _region(p: Profile) -> Recommendation:
    if not p.enough:
        return Recommendation(None, Basis.DEFAULTS, Text(
            "交易记录太少，无法判断您的常用省份，请自行选择",
            "Too little history to tell your usual provinces: choose them yourself"))
    if not p.provinces:
        return Recommendation(None, Basis.HISTORY, Text(
            "您近期没有境内线下交易，请自行选择常用省份",
            "No in-person payments in China lately: choose your usual provinces yourself"))
    chosen = tuple(code for code, _ in p.provinces[:MAX_PLACES])
    zh, en = both_places(chosen)
    if len(p.provinces) > MAX_PLACES:
        why = Text(f"您近{p.days}天在{len(p.provinces)}个省份用卡，最常用的是{zh}",
                   f"You used the card in {len(p.provinces)} provinces in {p.days} days; "
                   f"most often in {en}")
    else:
        why = Text(f"您近{p.days}天只在{zh}线下用卡，建议锁定这些地区",
                   f"In the last {p.days} days you used the card in person only in {en}: "
                   "lock to those")
    return Recommendation(RegionLock(True, chosen), Basis.HISTORY, why)


def _overseas(p: Profile) -> Recommendation:
    if not p.enough:
        return Recommendation(OverseasLock(True, ()), Basis.DEFAULTS, Text(
            "安全默认：关闭境外线下交易，出行前可设置出行例外",
            "Safe default: no in-person payments abroad; add a travel exception before a trip"))
    chosen = tuple(code for code, _ in p.countries[:MAX_PLACES])
    if not chosen:
        why = Text(f"您近{p.days}天没有在境外线下用卡",
                   f"You did not use the card in person abroad in {p.days} days")
    else:
        zh, en = both_places(chosen)
        why = Text(f"您近{p.days}天在境外只在{zh}用卡", f"Abroad, you used the card only in {en}")
    return Recommendation(OverseasLock(True, chosen), Basis.HISTORY, why)


def _overseas_cnp(p: Profile) -> Recommendation:
    if not p.enough:
        return Recommendation(True, Basis.DEFAULTS, Text(
            "安全默认：关闭境外商户的网上支付",
            "Safe default: no online payments to merchants abroad"))
    if p.overseas_online:
        return Recommendation(False, Basis.HISTORY, Text(
            f"您近{p.days}天有{p.overseas_online}笔境外网上支付，保持开放",
            f"Online payments to merchants abroad in {p.days} days: {p.overseas_online}; "
            "keep it open"))
    return Recommendation(True, Basis.HISTORY, Text(
        f"您近{p.days}天没有境外网上支付", f"No online payments abroad in {p.days} days"))


def _verification(c: Controls) -> Recommendation:
    v = c.verification
    threshold = v.large_threshold if v.large_purchase else DEFAULT_LARGE_THRESHOLD
    return Recommendation(Verification(True, True, threshold), Basis.DEFAULTS, Text(
        f"磁条刷卡和{format_amount(threshold)}及以上的消费需要您确认",
        f"Confirm magnetic-stripe swipes and purchases of {format_amount(threshold)} or more"))


def _night(p: Profile) -> Recommendation:
    if not p.enough:
        return Recommendation(NightLock(True, time(23), time(5)), Basis.DEFAULTS, Text(
            "安全默认：23:00至05:00关闭境内线下交易",
            "Safe default: no in-person payments in China from 23:00 to 05:00"))
    for hours, scope in ((p.debit_hours, NightScope.ALL), (p.offline_hours, NightScope.DOMESTIC)):
        window = night_window(hours)
        if window is not None:
            return _night_rec(p, window, scope)
    return Recommendation(None, Basis.HISTORY, Text(
        "您经常在夜间用卡，不建议开启夜间锁", "You often use the card at night: a night lock "
        "would stop you"))


def _night_rec(p: Profile, window: tuple[int, int], scope: NightScope) -> Recommendation:
    start, end = f"{window[0]:02d}:00", f"{window[1]:02d}:00"
    if scope is NightScope.ALL:
        why = Text(f"您近{p.days}天从未在{start}至{end}用卡（含网上和快捷支付）",
                   f"In {p.days} days you never paid between {start} and {end}, online or "
                   "in person")
    else:
        why = Text(f"您近{p.days}天从未在{start}至{end}线下用卡",
                   f"In {p.days} days you never paid in person between {start} and {end}")
    lock = NightLock(True, time(window[0]), time(window[1]), scope)
    return Recommendation(lock, Basis.HISTORY, why)


def night_window(busy: frozenset[int]) -> tuple[int, int] | None:
    """The night window (start hour, end hour) to recommend when the card is used in the
    local ``busy`` hours: the default 23-05 if it is free, else the longest free run of
    hours within 22-06 (the earliest of equals), if it lasts at least 4 hours."""
    if not busy & set(DEFAULT_NIGHT):
        return 23, 5
    best: list[int] = []
    run: list[int] = []
    for hour in NIGHT_BAND:
        run = [] if hour in busy else [*run, hour]
        if len(run) > len(best):
            best = run
    if len(best) < MIN_NIGHT_HOURS:
        return None
    return best[0], (best[-1] + 1) % 24


def _limits(p: Profile, channel: Channel, ceilings: Ceilings) -> Recommendation:
    cap = ceilings.channels[channel]
    use = p.channel(channel)
    if not p.enough or not use.count:
        safe = _capped(SAFE_LIMITS[channel], cap)
        why = (Text("交易记录太少，采用安全默认限额", "Too little history: safe default limits")
               if not p.enough else
               Text(f"您近{p.days}天没有使用此渠道，采用安全默认限额",
                    f"You did not use this channel in {p.days} days: safe default limits"))
        return Recommendation(safe, Basis.DEFAULTS, why)
    limits = _capped(with_margin(use), cap)
    return Recommendation(limits, Basis.HISTORY, Text(
        f"您单日最多用{format_amount(use.max_day)}（{use.max_day_count}笔），单笔最多"
        f"{format_amount(use.max_txn)}，限额留出五成余量",
        f"Your largest day was {format_amount(use.max_day)} "
        f"({count(use.max_day_count, 'payment')}), "
        f"your largest payment {format_amount(use.max_txn)}: limits with a 50% margin"))


def margin(amount: int) -> int:
    """``amount`` x 3/2, rounded up to a multiple of 100 CNY (at least 100 CNY)."""
    up = -(-amount * MARGIN[0] // MARGIN[1])
    return max(STEP, -(-up // STEP) * STEP)


def with_margin(use: ChannelUse) -> ChannelLimits:
    per_txn = margin(use.max_txn)
    daily = max(margin(use.max_day), per_txn)
    monthly = max(margin(use.max_month), daily)
    count = max(-(-use.max_day_count * MARGIN[0] // MARGIN[1]), use.max_day_count + 2)
    return ChannelLimits(per_txn, daily, count, monthly)


def _capped(limits: ChannelLimits, cap: ChannelCeiling) -> ChannelLimits:
    def low(a: int | None, b: int) -> int:
        return b if a is None else min(a, b)

    return ChannelLimits(low(limits.per_txn, cap.per_txn),
                         low(limits.daily_amount, cap.daily_amount),
                         low(limits.daily_count, cap.daily_count),
                         low(limits.monthly_amount, cap.monthly_amount))
