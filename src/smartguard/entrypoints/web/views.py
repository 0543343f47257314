"""Records -> what the templates show, in the visitor's language and the cardholder's zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from smartguard.domain.alerts import CODE_MARK
from smartguard.domain.challenges import Challenge
from smartguard.domain.controls.categories import name as category_name
from smartguard.domain.controls.spending import Switch
from smartguard.domain.controls.values import Controls
from smartguard.domain.decisions import CARDHOLDER_REASONS, VERIFICATION_REASONS, Outcome
from smartguard.domain.explain import explain
from smartguard.domain.geography import COUNTRIES, COUNTRY_NAMES_ZH, PROVINCES, place_name
from smartguard.domain.money import format_amount
from smartguard.domain.periods import local_time
from smartguard.domain.transactions import EntryMode, MessageKind, TerminalType
from smartguard.entrypoints.web.i18n import CATALOGUE, inline, sentence, translator
from smartguard.service_layer.messages import OutboxMessage, text_of
from smartguard.service_layer.records import AuthorizationRecord, CardRecord, ReversalRecord


def when(at: datetime, timezone: str) -> str:
    return local_time(at, timezone).strftime("%Y-%m-%d %H:%M")


def places_text(codes: tuple[str, ...], lang: str) -> str:
    sep = "、" if lang == "zh-CN" else ", "
    return sep.join(place_name(c, lang) for c in codes)


def card_view(rec: CardRecord, lang: str) -> dict[str, Any]:
    t = translator(lang)
    c = rec.card
    status = c.status.value
    return {"id": c.id, "masked": c.masked, "last4": c.last4, "status": status,
            "status_text": t(f"status.{status}"), "status_hint": t(f"status.{status}_hint"),
            "balance": format_amount(rec.account.balance, rec.account.currency),
            "currency": rec.account.currency, "holder": rec.cardholder.name}


def glance(rec: CardRecord, lang: str) -> list[dict[str, Any]]:
    """Every protection, on or off, in one line each."""
    t = translator(lang)
    ctl: Controls = rec.controls
    base = f"/cards/{rec.card.id}"
    n, v = ctl.night_lock, ctl.verification
    cur = rec.account.currency
    rows = [
        ("locks.region", ctl.region_lock.enabled, places_text(ctl.region_lock.places, lang),
         "/locks#region_lock"),
        ("locks.overseas", ctl.overseas_lock.enabled,
         places_text(ctl.overseas_lock.places, lang) or t("overview.nowhere_abroad"),
         "/locks#overseas_lock"),
        ("locks.night", n.enabled, f"{n.start:%H:%M}–{n.end:%H:%M} "
         + t(f"locks.scope_{n.scope.value}_short"), "/locks#night_lock"),
        ("locks.cnp", ctl.overseas_cnp_lock, "", "/locks#overseas_cnp_lock"),
        ("verification.magstripe_short", v.magstripe, "", "/verification"),
        ("verification.large_short", v.large_purchase,
         t("overview.from_amount", amount=format_amount(v.large_threshold, cur)),
         "/verification"),
        ("limits.title", bool(ctl.limits),
         t("overview.limits_set", count=len(ctl.limits)) if ctl.limits else "", "/limits"),
        *_beyond(ctl, lang, t),
    ]
    return [{"name": t(key), "on": on, "text": text if on else "", "href": base + href}
            for key, on, text, href in rows]


def _listed(names: list[str], sep: str, lang: str) -> str:
    """Names as one phrase, in sentence case in English ("Contactless, quick payments")."""
    return sentence(sep.join(inline(n, lang) for n in names), lang)


def _beyond(ctl: Controls, lang: str, t: Callable[..., str]
            ) -> list[tuple[str, bool, str, str]]:
    """The controls beyond Smart Guard, one line each (on: something is set)."""
    off = [t(f"target.switches.{s.value}") for s in Switch if s in ctl.switches.off]
    cats = [category_name(c, lang) for c in ctl.categories]
    m = ctl.merchants
    opened = [t(f"target.{u.target}") for u in ctl.unlocks]
    zh = lang == "zh-CN"
    sep = "、" if zh else ", "
    return [
        ("controls.switches_off", bool(off), _listed(off, sep, lang), "/controls#channels"),
        # an English category name has commas of its own
        ("controls.categories", bool(cats), _listed(cats, "、" if zh else "; ", lang),
         "/controls#categories"),
        ("controls.merchants", bool(m.blocked or m.allowed), t(
            "controls.merchant_counts", blocked=len(m.blocked), allowed=len(m.allowed)),
         "/controls#merchants"),
        ("controls.unlocks", bool(opened), _listed(opened, sep, lang), "/controls#unlocks"),
        ("controls.alert_only", bool(ctl.alert_only), t(
            "controls.alert_only_count", count=len(ctl.alert_only)), "/controls#alert-only"),
    ]


def _what(rec: AuthorizationRecord, t: Callable[..., str]) -> str:
    q = rec.request
    kind = t(f"kind.{q.kind.value}")
    if q.terminal is TerminalType.NONE or not q.card_present:
        return t("what.online", kind=kind)
    return t("what.at", kind=kind, terminal=t(f"terminal.{q.terminal.value}"))


def _where(rec: AuthorizationRecord, lang: str) -> str:
    q = rec.request
    place = place_name(q.region, lang) if q.region and q.country == "CN" else \
        place_name(q.country, lang)
    return " · ".join(p for p in (q.merchant_name or q.merchant_id, place) if p)


def decision_item(rec: AuthorizationRecord, lang: str, timezone: str,
                  advice: bool = True, reversal: ReversalRecord | None = None
                  ) -> dict[str, Any]:
    """One decision in plain words; ``advice``: what the cardholder can do about it;
    ``reversal``: the acquirer's reversal applied to it, if any."""
    t = translator(lang)
    q = rec.request
    amount = format_amount(q.amount, q.currency) if q.kind is not \
        MessageKind.BALANCE_INQUIRY else ""
    reasons = [explain(v, lang) for v in rec.verdicts]
    if rec.outcome is Outcome.APPROVE:
        reasons = [t("decision.approved", balance=format_amount(rec.balance_after))]
    icon = channel_icon(rec)
    return {"id": rec.id, "outcome": rec.outcome.value, "icon": icon,
            "icon_text": t(f"icon.{icon}"),
            "outcome_text": t(f"outcome.{rec.outcome.value}"), "what": _what(rec, t),
            "amount": amount, "when": when(rec.received_at, timezone),
            "where": _where(rec, lang), "reasons": reasons,
            "advice": _advice(rec, t) if advice else "",
            "reversal": _reversal(rec, reversal, t, timezone),
            "merchant_id": q.merchant_id if q.is_debit else "",
            "alerts": [explain(v, lang) for v in rec.alerts]}


def channel_icon(rec: AuthorizationRecord) -> str:
    """Which picture the transaction gets: atm, transfer, online, tap, card."""
    q = rec.request
    if q.kind is MessageKind.TRANSFER:
        return "transfer"
    if q.terminal is TerminalType.ATM:
        return "atm"
    if q.terminal is TerminalType.NONE or not q.card_present:
        return "online"
    return "tap" if q.entry_mode is EntryMode.CONTACTLESS else "card"


def _reversal(rec: AuthorizationRecord, r: ReversalRecord | None, t: Callable[..., str],
              timezone: str) -> str:
    """``Reversed on …: ¥1,000.00 given back``, or for a partial reversal what took place."""
    if r is None or r.amount is None:
        return ""
    back = format_amount(r.amount)
    at = when(r.applied_at or r.received_at, timezone)
    if r.actual_amount is None:
        return t("decision.reversed", at=at, amount=back)
    took = format_amount(r.actual_amount, rec.request.currency)
    return t("decision.partly_reversed", at=at, amount=back, took=took)


def _advice(rec: AuthorizationRecord, t: Callable[..., str]) -> str:
    primary = rec.verdicts[0].reason if rec.verdicts else None
    if rec.outcome is Outcome.VERIFY or primary in VERIFICATION_REASONS:
        return t("decision.advice_verify")
    if rec.verdicts and rec.verdicts[0].detail.endswith(".bank"):
        return t("decision.advice_bank")
    if rec.outcome is Outcome.DECLINE and primary in CARDHOLDER_REASONS:
        return t("decision.advice_control")
    return ""


def challenge_item(c: Challenge, lang: str, timezone: str) -> dict[str, Any]:
    t = translator(lang)
    return {"id": c.id, "merchant": c.merchant_name or c.merchant_id,
            "amount": format_amount(c.amount, c.currency),
            "reason": t(f"challenge.{c.reason}") if c.reason else "",
            "created": when(c.created_at, timezone), "expires": when(c.expires_at, timezone)}


def provinces(lang: str) -> list[dict[str, str]]:
    return [{"code": code, "name": place_name(code, lang)} for code in PROVINCES]


def countries(lang: str) -> dict[str, list[dict[str, str]]]:
    """Overseas places: the common destinations first, then every other country."""
    def item(code: str) -> dict[str, str]:
        return {"code": code, "name": f"{place_name(code, lang)} ({code})"}

    common = [item(c) for c in COUNTRY_NAMES_ZH if c != "CN"]
    rest = sorted((item(c) for c in COUNTRIES if c not in COUNTRY_NAMES_ZH),
                  key=lambda c: c["name"])
    return {"common": common, "rest": rest}


def message_item(m: OutboxMessage, lang: str, timezone: str) -> dict[str, Any]:
    """One alert as the cardholder (or an operator) sees it: never a one-time code."""
    t = translator(lang)
    delivered = m.receipt == "DELIVRD"
    status = "delivered" if delivered else m.status.value
    return {"id": m.id, "when": when(m.created_at, timezone),
            "kind": t(f"alert_kind.{m.kind}") if f"alert_kind.{m.kind}" in CATALOGUE
            else m.kind, "channel": t(f"alert_channel.{m.channel}"),
            "text": text_of(m).replace(CODE_MARK, "******"), "status": status,
            "status_text": t(f"delivery.{status}"), "attempts": m.attempts,
            "error": m.last_error or "", "event": m.event}


TABS = ("overview", "checkup", "locks", "controls", "travel", "limits", "verification",
        "agreements", "alerts", "pending", "transactions")


def tabs(card_id: str, current: str, lang: str, pending: int) -> list[dict[str, Any]]:
    t = translator(lang)
    found = []
    for key in TABS:
        href = f"/cards/{card_id}" + ("" if key == "overview" else f"/{key}")
        label = t(f"tab.{key}") + (f" ({pending})" if key == "pending" and pending else "")
        found.append({"key": key, "href": href, "label": label, "current": key == current})
    return found


ZONES = {"Asia/Shanghai": "zone.shanghai", "Asia/Hong_Kong": "zone.hong_kong",
         "Asia/Macau": "zone.macau", "Asia/Taipei": "zone.taipei", "Asia/Urumqi": "zone.urumqi",
         "UTC": "zone.utc"}


def product_text(code: str, lang: str) -> str:
    """A card product in words (``debit_standard`` -> 标准借记卡), its code otherwise."""
    key = f"product.{code}"
    return translator(lang)(key) if key in CATALOGUE else code


def zone_text(zone: str, lang: str) -> str:
    """A time zone in words with its id (北京时间 (Asia/Shanghai))."""
    key = ZONES.get(zone)
    return f"{translator(lang)(key)} ({zone})" if key else zone


def language_text(code: str) -> str:
    return {"zh-CN": "中文（简体）", "en": "English"}.get(code, code)
