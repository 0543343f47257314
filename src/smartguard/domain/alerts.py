"""Which alerts an event raises, and their text (SPEC 3.5, 3.7, 3.8, 3.11).

Pure: the service layer hands in what happened (a decision, a balance movement, a security
event) and gets back :class:`Alert` values; it writes them to the outbox in the same
transaction. A one-time code never appears in an alert's text: the text carries
:data:`CODE_MARK` and the code travels sealed beside it until the SMS is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from smartguard.domain import alert_texts as t
from smartguard.domain.decisions import CARDHOLDER_REASONS, Decision, Outcome, Reason
from smartguard.domain.errors import InvalidInput
from smartguard.domain.explain import explain
from smartguard.domain.geography import place_name
from smartguard.domain.money import MAX_AMOUNT, format_amount
from smartguard.domain.periods import local_time
from smartguard.domain.transactions import SELF_SERVICE, AuthorizationRequest, MessageKind

CODE_MARK = "{code}"


class AlertKind(StrEnum):
    BALANCE_CHANGE = "balance_change"  # 3.8
    BALANCE_INQUIRY = "balance_inquiry"  # 3.7, at an ATM or self-service kiosk
    DECLINE = "decline"  # 3.11, by a cardholder's own protection
    VERIFICATION = "verification"  # 3.5, with the one-time code (SMS only)
    SECURITY = "security"  # protection changed, card frozen/unfrozen, phone changed
    REPLY = "sms_reply"  # an answer to an SMS command
    SIGN_IN = "sign_in"  # a one-time code to sign in to the web page (SMS only)


class DeliveryChannel(StrEnum):
    SMS = "sms"
    WEBHOOK = "webhook"


#: What a cardholder chooses channels for (replies always go back by SMS).
CHOOSABLE = (AlertKind.BALANCE_CHANGE, AlertKind.BALANCE_INQUIRY, AlertKind.DECLINE,
             AlertKind.VERIFICATION, AlertKind.SECURITY)
#: Kinds that always go by SMS whatever the preferences: a code must reach the cardholder,
#: and a security event must reach the phone even if someone else changed the settings.
ALWAYS_SMS = frozenset({AlertKind.VERIFICATION, AlertKind.SECURITY, AlertKind.REPLY})
#: Kinds that go by SMS only, whatever the preferences (a reply; a sign-in code).
SMS_ONLY = frozenset({AlertKind.REPLY, AlertKind.SIGN_IN})
#: Kinds carrying a one-time code that is useless (and not sent) once it expires.
EXPIRING = frozenset({AlertKind.VERIFICATION, AlertKind.SIGN_IN})
ALL_CHANNELS = frozenset(DeliveryChannel)


@dataclass(frozen=True, slots=True)
class AlertPreferences:
    """A card's alert choices: channels per kind (default: every channel) and the smallest
    balance change that is worth an alert (default 0: all)."""

    channels: Mapping[AlertKind, frozenset[DeliveryChannel]] = field(default_factory=dict)
    balance_threshold: int = 0

    def channels_for(self, kind: AlertKind) -> frozenset[DeliveryChannel]:
        chosen = self.channels.get(kind, ALL_CHANNELS)
        return chosen | {DeliveryChannel.SMS} if kind in ALWAYS_SMS else chosen

    def wants(self, alert: Alert) -> bool:
        if alert.kind is AlertKind.BALANCE_CHANGE:
            return self.wants_movement(int(alert.data["amount"]))
        return True

    def wants_movement(self, amount: int) -> bool:
        """Whether a balance change of ``amount`` (signed) is worth an alert."""
        return amount != 0 and abs(amount) >= self.balance_threshold


def preferences(channels: Mapping[str, list[str]], balance_threshold: int) -> AlertPreferences:
    """Validated preferences from plain values (the API's and the store's)."""
    if isinstance(balance_threshold, bool) or not 0 <= balance_threshold <= MAX_AMOUNT:
        raise InvalidInput("balance_threshold", "must be 0 or more minor units")
    chosen: dict[AlertKind, frozenset[DeliveryChannel]] = {}
    for name, values in channels.items():
        try:
            kind = AlertKind(name)
            picked = frozenset(DeliveryChannel(v) for v in values)
        except ValueError:
            raise InvalidInput(f"channels.{name}", "kinds: " + ", ".join(CHOOSABLE)
                               + "; channels: sms, webhook", "unknown_alert") from None
        if kind not in CHOOSABLE:
            raise InvalidInput(f"channels.{name}", "replies cannot be configured")
        if kind in ALWAYS_SMS and DeliveryChannel.SMS not in picked:
            raise InvalidInput(f"channels.{name}", "verification codes and security alerts "
                               "always go by SMS", "sms_required")
        chosen[kind] = picked
    return AlertPreferences(chosen, balance_threshold)


def preferences_to_dict(p: AlertPreferences) -> dict[str, Any]:
    return {"channels": {k.value: sorted(p.channels_for(k)) for k in CHOOSABLE},
            "balance_threshold": p.balance_threshold}


@dataclass(frozen=True, slots=True)
class Recipient:
    """Who an alert is for and how to word it."""

    cardholder_id: str
    phone: str
    language: str = "zh-CN"
    timezone: str = "Asia/Shanghai"
    card_id: str | None = None
    last4: str = ""


@dataclass(frozen=True, slots=True)
class Alert:
    kind: AlertKind
    event: str  # finer name for webhook receivers: "balance_change.debit", "security.frozen"
    to: Recipient
    text: str  # the SMS text, signature included
    data: Mapping[str, Any]  # event details for webhooks (minor units, ids, codes of reasons)
    code: str | None = None  # a one-time code standing in ``text`` as CODE_MARK


@dataclass(frozen=True, slots=True)
class Movement:
    """A change of balance: ``amount`` is signed (debit < 0), in the card's currency."""

    source: str  # a MessageKind value, "reversal" or "posting"
    amount: int
    currency: str
    balance: int
    description: str = ""  # merchant name or posting description


def _i(to: Recipient) -> int:
    return t.index(to.language)


def _card(to: Recipient) -> str:
    return t.CARD[_i(to)].format(last4=to.last4)


def when(moment: datetime, to: Recipient) -> str:
    """Wall-clock time in the cardholder's zone: ``11月25日14:20`` / ``Nov 25 14:20``."""
    return _when(moment, to.language, to.timezone)


def _when(moment: datetime, language: str, timezone: str) -> str:
    local = local_time(moment, timezone)
    clock = f"{local.hour:02d}:{local.minute:02d}"  # (strftime is slow on the hot path)
    if language == "zh-CN":
        return f"{local.month}月{local.day}日{clock}"
    return f"{t.MONTHS_EN[local.month - 1]} {local.day} {clock}"


def _alert(kind: AlertKind, event: str, to: Recipient, template: str, data: dict[str, Any],
           secret: str | None = None, **values: str) -> Alert:
    fields = {"card": _card(to), "last4": to.last4, **values}
    body = t.SIGNATURE[_i(to)] + t.text(template, to.language, **fields)
    base = {"card_id": to.card_id, "last4": to.last4 or None}
    return Alert(kind, event, to, body, {**base, **data}, secret)


def balance_change(to: Recipient, m: Movement, at: datetime) -> Alert:
    """3.8: amount, merchant or description, time and new balance."""
    data = movement_data(to.card_id, to.last4, m, at)
    return Alert(AlertKind.BALANCE_CHANGE, movement_event(m.amount), to,
                 movement_text(to.language, to.timezone, data), data)


def movement_event(amount: int) -> str:
    return "balance_change.debit" if amount < 0 else "balance_change.credit"


def movement_data(card_id: str | None, last4: str, m: Movement, at: datetime
                  ) -> dict[str, Any]:
    """What a balance-change alert carries (webhooks get it as is); its text is worded from
    it by :func:`movement_text`, at once or when the message is read (:func:`word`)."""
    return {"card_id": card_id, "last4": last4 or None, "source": m.source,
            "amount": m.amount, "currency": m.currency, "balance": m.balance,
            "description": m.description, "at": at.isoformat()}


def movement_text(language: str, timezone: str, data: Mapping[str, Any]) -> str:
    """The SMS text of a balance change (3.8) from its :func:`movement_data`."""
    i = t.index(language)
    amount, currency, description = data["amount"], data["currency"], data["description"]
    what = t.KINDS.get(data["source"], ("", ""))[i]
    detail = (f"（{description}）" if description else "") if i == 0 else \
        _detail_en(what, description)
    last4 = data["last4"] or ""
    moment = datetime.fromisoformat(data["at"])
    return t.SIGNATURE[i] + t.TEXTS["movement"][i].format(
        card=t.CARD[i].format(last4=last4), when=_when(moment, language, timezone),
        what=what if i == 0 else "", move=t.MOVES["debit" if amount < 0 else "credit"][i],
        amount=format_amount(abs(amount), currency), detail=detail,
        balance=format_amount(data["balance"], currency))


def word(kind: str, language: str, timezone: str | None, data: Mapping[str, Any]) -> str:
    """The text of an alert stored without one (a balance change is worded when it is
    read: the authorization's transaction stores only its data)."""
    if kind != AlertKind.BALANCE_CHANGE or timezone is None:
        raise ValueError(f"a {kind} alert is stored with its text")
    return movement_text(language, timezone, data)


def _detail_en(what: str, description: str) -> str:
    if what and description:
        return f" ({what} at {description})"
    return f" ({what or description})" if what or description else ""


def balance_inquiry(to: Recipient, r: AuthorizationRequest, at: datetime) -> Alert:
    """3.7: a balance inquiry at an ATM or kiosk, with time and place."""
    i = _i(to)
    code = r.region if r.is_domestic and r.region else r.country
    name = place_name(code, to.language) if code else ""
    place = (f"（{name}）" if name else "") if i == 0 else (f" in {name}" if name else "")
    return _alert(AlertKind.BALANCE_INQUIRY, "balance_inquiry", to, "inquiry",
                  {"terminal": r.terminal.value, "place": code, "city": r.city,
                   "merchant_name": r.merchant_name, "at": at.isoformat()},
                  when=when(at, to), terminal=t.TERMINALS[r.terminal.value][i], place=place)


def decline(to: Recipient, r: AuthorizationRequest, d: Decision, at: datetime) -> Alert:
    """3.11: what was stopped and why, in plain words, and how to act."""
    i = _i(to)
    primary = d.verdicts[0]
    act = "act_unfreeze" if primary.reason is Reason.CARD_FROZEN else "act_stop"
    merchant = r.merchant_name
    detail = (f"（{merchant}）" if merchant else "") if i == 0 else \
        (f" at {merchant}" if merchant else "")
    return _alert(
        AlertKind.DECLINE, "decline", to, "decline",
        {"reasons": [v.reason.value for v in d.verdicts], "amount": r.amount,
         "currency": r.currency, "merchant_name": merchant, "kind": r.kind.value,
         "at": at.isoformat()},
        when=when(at, to), what=t.KINDS[r.kind.value][i],
        amount=format_amount(r.amount, r.currency), detail=detail,
        reason=explain(primary, to.language), act=t.text(act, to.language, last4=to.last4))


def verification(to: Recipient, r: AuthorizationRequest, d: Decision, challenge_id: str,
                 code: str, expires_at: datetime, currency: str) -> Alert:
    """3.5: the purchase, why it needs confirming, the code and until when it is valid."""
    reason = d.verdicts[0].reason.value
    words = t.VERIFY_REASONS.get(reason, (reason, reason))[_i(to)]
    until = f"{local_time(expires_at, to.timezone):%H:%M}"
    return _alert(
        AlertKind.VERIFICATION, "verification", to, "verify",
        {"challenge_id": challenge_id, "reason": reason, "amount": r.billing_amount,
         "merchant_name": r.merchant_name, "expires_at": expires_at.isoformat()},
        secret=code, code=CODE_MARK, merchant=r.merchant_name or r.merchant_id, until=until,
        reason=words, amount=format_amount(r.billing_amount, currency))


def authorization(to: Recipient, r: AuthorizationRequest, d: Decision, at: datetime,
                  movement: Movement | None) -> list[Alert]:
    """The alerts one decided authorization raises (the verification alert, which needs the
    new challenge, comes from :func:`verification`)."""
    found: list[Alert] = []
    if movement is not None and movement.amount != 0:
        found.append(balance_change(to, movement, at))
    if _inquiry_alert(r, d):
        found.append(balance_inquiry(to, r, at))
    if _decline_alert(d):
        found.append(decline(to, r, d, at))
    if _alert_only(d):
        found.append(alert_only(to, r, d, at))
    return found


def raises_more(r: AuthorizationRequest, d: Decision) -> bool:
    """Whether :func:`authorization` raises anything besides a balance change (so the
    usual approval or a decline by a bank limit costs no recipient and no preferences)."""
    return _inquiry_alert(r, d) or _decline_alert(d) or _alert_only(d)


def _alert_only(d: Decision) -> bool:
    return bool(d.alerts) and d.outcome is Outcome.APPROVE


def alert_only(to: Recipient, r: AuthorizationRequest, d: Decision, at: datetime) -> Alert:
    """SPEC 3.12: a payment let through by a control in alert-only mode (one alert, whatever
    the number of such controls), with the way to act."""
    i = _i(to)
    merchant = r.merchant_name
    detail = (f"（{merchant}）" if merchant else "") if i == 0 else \
        (f" at {merchant}" if merchant else "")
    return _alert(
        AlertKind.DECLINE, "alert_only", to, "alert_only",
        {"alerts": [v.reason.value for v in d.alerts], "amount": r.amount,
         "currency": r.currency, "merchant_name": merchant, "kind": r.kind.value,
         "at": at.isoformat()},
        when=when(at, to), what=t.KINDS[r.kind.value][i],
        amount=format_amount(r.amount, r.currency), detail=detail,
        reason=explain(d.alerts[0], to.language),
        act=t.text("act_stop", to.language, last4=to.last4))


def _inquiry_alert(r: AuthorizationRequest, d: Decision) -> bool:
    return r.kind is MessageKind.BALANCE_INQUIRY and r.terminal in SELF_SERVICE \
        and d.outcome is Outcome.APPROVE


def _decline_alert(d: Decision) -> bool:
    return d.outcome is Outcome.DECLINE and (d.primary in CARDHOLDER_REASONS
                                             or d.primary is Reason.RULE_DECLINE)


def security(to: Recipient, event: str, at: datetime, **details: str) -> Alert:
    """A security event: ``protection`` (details: name), ``frozen``, ``unfrozen``,
    ``blocked``, ``unblocked``, ``closed``, ``phone_changed`` (details: old, new)."""
    values = dict(details)
    if "name" in details:
        values["name"] = t.PROTECTION_NAMES.get(details["name"], (details["name"],) * 2)[_i(to)]
    return _alert(AlertKind.SECURITY, f"security.{event}", to, event,
                  {"event": event, **details, "at": at.isoformat()},
                  when=when(at, to), **values)


def sign_in_code(to: Recipient, code: str, expires_at: datetime) -> Alert:
    """A code to sign in to the web page, and until when it is valid."""
    until = f"{local_time(expires_at, to.timezone):%H:%M}"
    return _alert(AlertKind.SIGN_IN, "sign_in.code", to, "sign_in",
                  {"expires_at": expires_at.isoformat()}, secret=code, code=CODE_MARK,
                  until=until)


def reply(to: Recipient, name: str, **values: str) -> Alert:
    """An answer to an SMS command (template ``reply_<name>``)."""
    return _alert(AlertKind.REPLY, f"sms_reply.{name}", to, f"reply_{name}",
                  {"reply": name}, **values)


def card_words(last4s: list[str], language: str) -> str:
    """``尾号1234、尾号5678`` / ``ending 1234, 5678``."""
    if language == "zh-CN":
        return "、".join(f"尾号{x}" for x in last4s)
    return "ending " + ", ".join(last4s)
