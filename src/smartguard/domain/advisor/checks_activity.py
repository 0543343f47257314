"""Check-up: what happened lately. Declines by locks, balance inquiries at self-service
terminals, night and overseas activity (last 30 days), and quick-payment agreements that
sleep (unused 90 days) or pay at night."""

from __future__ import annotations

from datetime import time

from smartguard.domain.advisor.findings import FREEZE, Finding, Fix, FixAction, Severity
from smartguard.domain.advisor.history import Past
from smartguard.domain.advisor.profile import Profile
from smartguard.domain.advisor.subject import DORMANT, RECENT, Subject, listing
from smartguard.domain.advisor.text import Text, count
from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import NightLock, NightScope, OverseasLock, Protection
from smartguard.domain.state import AgreementStatus

#: "Night" for the activity checks: the default night window, 23:00-05:00 local time.
NIGHT = NightLock(True, time(23), time(5))


def is_night(p: Past, timezone: str) -> bool:
    return NIGHT.covers(p.local(timezone).time())


def _freeze(s: Subject) -> Fix | None:
    return FREEZE if s.status is CardStatus.ACTIVE else None


def _lines(s: Subject, items: list[Past]) -> Text:
    return Text(listing(items, s.timezone, "zh-CN"), listing(items, s.timezone, "en"))


def lock_declines(s: Subject) -> list[Finding]:
    stopped = [p for p in s.since(RECENT) if p.lock_reasons]
    if not stopped:
        return []
    offline = any(p.request.is_offline for p in stopped)
    seen = _lines(s, stopped)
    return [Finding(
        "lock_declines", Severity.HIGH if offline else Severity.MEDIUM,
        Text(f"近30天账户安全锁拦截了{len(stopped)}笔交易",
             f"Your locks stopped {count(len(stopped), 'payment')} in the last 30 days"),
        Text(f"{seen.zh}。如果不是您本人，可能有人持有您的卡或卡号，建议立即冻结此卡",
             f"{seen.en}. If that was not you, someone may have your card or its number: "
             "freeze the card"),
        _freeze(s), tuple(p.id for p in stopped))]


def balance_inquiries(s: Subject, profile: Profile) -> list[Finding]:
    asked = [p for p in s.since(RECENT) if p.self_service_inquiry]
    if not asked:
        return []
    usual = {code for code, _ in profile.provinces} | set(
        s.controls.region_lock.places if s.controls.region_lock.enabled else ())
    odd = [p for p in asked if is_night(p, s.timezone) or not p.request.is_domestic
           or (usual and p.request.region not in usual)]
    seen = _lines(s, odd or asked)
    if not odd:
        return [Finding(
            "balance_inquiries", Severity.INFO,
            Text(f"近30天有{len(asked)}次自助查询余额",
                 f"{count(len(asked), 'balance inquiry', 'balance inquiries')} at ATMs or "
                 "kiosks in the last 30 days"),
            Text(f"{seen.zh}。都在您的常用地区和白天", f"{seen.en}. All in your usual places, "
                 "in the daytime"), None, tuple(p.id for p in asked))]
    return [Finding(
        "balance_inquiries", Severity.HIGH,
        Text(f"近30天有{len(odd)}次异常的自助余额查询",
             f"Unusual balance inquiries at ATMs or kiosks in the last 30 days: {len(odd)}"),
        Text(f"{seen.zh}。盗刷者常先查询余额再取现；如果不是您本人，建议立即冻结此卡",
             f"{seen.en}. Fraudsters check the balance before cashing out; if that was not "
             "you, freeze the card"), _freeze(s), tuple(p.id for p in odd))]


def _let_through(s: Subject) -> list[Past]:
    """Recent debits no lock stopped (declines by locks are ``lock_declines``)."""
    return [p for p in s.since(RECENT) if p.request.is_debit and not p.lock_reasons]


def night_activity(s: Subject) -> list[Finding]:
    night = [p for p in _let_through(s) if is_night(p, s.timezone)]
    if not night:
        return []
    online = any(not (p.request.is_offline and p.request.is_domestic) for p in night)
    current = s.controls.night_lock
    scope = NightScope.ALL if online or current.scope is NightScope.ALL else \
        NightScope.DOMESTIC
    wanted = NightLock(True, NIGHT.start, NIGHT.end, scope)
    fix = Fix(FixAction.SET_PROTECTION, protection=Protection.NIGHT_LOCK, value=wanted)
    seen = _lines(s, night)
    return [Finding(
        "night_activity", Severity.MEDIUM,
        Text(f"近30天有{len(night)}笔夜间交易（23:00至05:00）",
             f"{count(len(night), 'payment')} at night (23:00-05:00) in the last 30 days"),
        Text(f"{seen.zh}。如果这不是您的习惯，建议在23:00至05:00开启夜间锁"
             + ("（含网上和快捷支付）" if scope is NightScope.ALL else ""),
             f"{seen.en}. If you do not usually pay at night, turn the night lock on from "
             "23:00 to 05:00" + (", online payments included" if scope is NightScope.ALL
                                 else "")),
        fix, tuple(p.id for p in night))]


def overseas_activity(s: Subject) -> list[Finding]:
    abroad = [p for p in _let_through(s) if not p.request.is_domestic]
    found: list[Finding] = []
    lock = s.controls.overseas_lock
    offline = [p for p in abroad if p.request.is_offline
               and not (lock.enabled and p.request.country in lock.places)]
    if offline:
        places = lock.places if lock.enabled else ()
        seen = _lines(s, offline)
        found.append(Finding(
            "overseas_offline", Severity.MEDIUM,
            Text(f"近30天有{len(offline)}笔境外线下交易",
                 f"{count(len(offline), 'in-person payment')} abroad in the last 30 days"),
            Text(f"{seen.zh}。如果不是您本人，建议开启境外锁；出行时可设置出行例外",
                 f"{seen.en}. If that was not you, turn the overseas lock on; for a trip, "
                 "add a travel exception"),
            Fix(FixAction.SET_PROTECTION, protection=Protection.OVERSEAS_LOCK,
                value=OverseasLock(True, places)), tuple(p.id for p in offline)))
    online = [p for p in abroad if not p.request.card_present]
    if online and not s.controls.overseas_cnp_lock:
        seen = _lines(s, online)
        found.append(Finding(
            "overseas_online", Severity.MEDIUM,
            Text(f"近30天有{len(online)}笔境外网上支付",
                 f"{count(len(online), 'online payment')} to merchants abroad in the last 30 days"),
            Text(f"{seen.zh}。如果不是您本人，建议开启境外无卡支付锁",
                 f"{seen.en}. If that was not you, turn the overseas card-not-present lock on"),
            Fix(FixAction.SET_PROTECTION, protection=Protection.OVERSEAS_CNP_LOCK, value=True),
            tuple(p.id for p in online)))
    return found


def agreements(s: Subject) -> list[Finding]:
    found: list[Finding] = []
    night_window = s.since(DORMANT)
    for b in s.bindings:
        if b.status is not AgreementStatus.ACTIVE:
            continue
        fix = Fix(FixAction.SUSPEND_AGREEMENT, agreement_id=b.id)
        night = [p for p in night_window if p.request.agreement_id == b.id and p.real_debit
                 and is_night(p, s.timezone)]
        if night:
            seen = _lines(s, night)
            found.append(Finding(
                f"agreement_night.{b.id}", Severity.HIGH,
                Text(f"快捷支付「{b.payee}」在夜间扣款", f"Quick payment to {b.payee} took "
                     "money at night"),
                Text(f"{seen.zh}。夜间自动扣款常见于被隐藏的第三方绑定；建议暂停此协议",
                     f"{seen.en}. Night-time deductions are typical of hidden third-party "
                     "bindings: suspend this agreement"), fix, tuple(p.id for p in night)))
        elif s.now - b.idle_since() >= DORMANT:
            days = (s.now - b.idle_since()).days
            found.append(Finding(
                f"agreement_dormant.{b.id}", Severity.MEDIUM,
                Text(f"快捷支付「{b.payee}」已{days}天未使用",
                     f"Quick payment to {b.payee} unused for {days} days"),
                Text("长期不用的绑定一旦泄露，可被直接扣款；建议暂停（需要时可恢复）",
                     "An unused binding can still take money if it leaks: suspend it (you "
                     "can resume it later)"), fix))
    return found
