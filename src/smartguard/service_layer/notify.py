"""Write alerts to the outbox, inside the caller's unit of work (SPEC 5: every alert
written is delivered at least once). Nothing is sent from here: the notifier relays.

The use cases call the ``after_*`` functions once their effects are applied; the domain
(:mod:`smartguard.domain.alerts`) decides which alerts an event raises and words them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from smartguard.domain import alerts as a
from smartguard.domain.decisions import Decision
from smartguard.domain.transactions import MessageKind
from smartguard.service_layer.context import Context
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuthorizationRecord, CardRecord

DEFAULT_PREFERENCES = a.AlertPreferences()


def recipient(card: CardRecord) -> a.Recipient:
    h = card.cardholder
    return a.Recipient(h.id, h.phone, h.language.value, h.timezone, card.card.id,
                       card.card.last4)


def preferences_for(uow: UnitOfWork, card_id: str | None) -> a.AlertPreferences:
    if card_id is None:
        return DEFAULT_PREFERENCES
    return uow.alert_preferences.get(card_id) or DEFAULT_PREFERENCES


def emit(uow: UnitOfWork, ctx: Context, alert: a.Alert,
         prefs: a.AlertPreferences | None = None) -> list[OutboxMessage]:
    """Write ``alert`` to the outbox once per channel the cardholder and the bank chose."""
    if alert.kind in a.SMS_ONLY:
        channels = sorted(_SMS & ctx.alert_channels)
    else:
        prefs = prefs or preferences_for(uow, alert.to.card_id)
        if not prefs.wants(alert):
            return []
        channels = _channels(ctx, prefs, alert.kind)
    payload = dict(alert.data)
    written = [_message(ctx, alert, channel, payload) for channel in channels]
    if written:
        uow.outbox.add_all(written)
    return written


_SMS = frozenset({a.DeliveryChannel.SMS.value})


def _channels(ctx: Context, prefs: a.AlertPreferences, kind: a.AlertKind) -> list[str]:
    """The channels an alert of ``kind`` goes to: the cardholder's and the bank's choice."""
    return sorted({c.value for c in prefs.channels_for(kind)} & ctx.alert_channels)


def _message(ctx: Context, alert: a.Alert, channel: str, payload: dict[str, Any]
             ) -> OutboxMessage:
    sms = channel == a.DeliveryChannel.SMS.value
    to = alert.to
    return OutboxMessage(
        id=ctx.new_id("msg"), created_at=ctx.clock(), channel=channel,
        kind=alert.kind.value, event=alert.event, recipient=to.phone if sms else "",
        language=to.language, text=alert.text, payload=payload,
        card_id=to.card_id, cardholder_id=to.cardholder_id,
        # Codes go by SMS only; a webhook's text shows the mark, never the code.
        sealed=ctx.seal(alert.code) if alert.code and sms else None,
    )


def after_authorization(
    uow: UnitOfWork, ctx: Context, card: CardRecord, record: AuthorizationRecord,
    decision: Decision, code: str | None, expires_at: datetime | None,
) -> None:
    """Balance change, ATM balance inquiry, decline by a protection, verification code."""
    r = record.request
    moved = record.balance_after - card.account.balance
    moves = moved != 0 and r.kind is not MessageKind.BALANCE_INQUIRY
    if moves:
        balance_changed(uow, ctx, card, a.Movement(
            r.kind.value, moved, card.account.currency, record.balance_after,
            r.merchant_name or r.merchant_id), record.received_at)
    if code is None and not a.raises_more(r, decision):
        return  # the usual approval, or a decline by a bank limit: nothing more to say
    to = recipient(card)
    prefs = preferences_for(uow, card.card.id)
    for alert in a.authorization(to, r, decision, record.received_at, None):
        emit(uow, ctx, alert, prefs)
    if code is not None and record.challenge_id and expires_at is not None:
        emit(uow, ctx, a.verification(to, r, decision, record.challenge_id, code, expires_at,
                                      card.account.currency), prefs)


def after_balance_change(uow: UnitOfWork, ctx: Context, card: CardRecord, source: str,
                         amount: int, description: str, at: datetime) -> None:
    """A reversal or a posting moved ``amount`` (signed); ``card`` shows the new balance."""
    balance_changed(uow, ctx, card, a.Movement(
        source, amount, card.account.currency, card.account.balance, description), at)


def balance_changed(uow: UnitOfWork, ctx: Context, card: CardRecord, m: a.Movement,
                    at: datetime) -> None:
    """The balance-change alert (3.8) of ``m``: the same messages :func:`emit` writes for
    :func:`a.balance_change`, but stored without their text, which is worded when read
    (:func:`~smartguard.service_layer.messages.worded`). Every approved payment passes
    here, on the gateway's bound (docs/performance.md)."""
    c, h = card.card, card.cardholder
    prefs = preferences_for(uow, c.id)
    if not prefs.wants_movement(m.amount):
        return
    channels = _channels(ctx, prefs, a.AlertKind.BALANCE_CHANGE)
    if not channels:
        return
    payload = a.movement_data(c.id, c.last4, m, at)
    event, created, language = a.movement_event(m.amount), ctx.clock(), h.language.value
    uow.outbox.add_all([OutboxMessage(
        id=ctx.new_id("msg"), created_at=created, channel=channel,
        kind=a.AlertKind.BALANCE_CHANGE.value, event=event,
        recipient=h.phone if channel == "sms" else "", language=language, text=None,
        payload=payload, card_id=c.id, cardholder_id=h.id, timezone=h.timezone,
    ) for channel in channels])


def after_security_event(uow: UnitOfWork, ctx: Context, card: CardRecord, event: str,
                         **details: str) -> None:
    emit(uow, ctx, a.security(recipient(card), event, ctx.clock(), **details))


def account_card(uow: UnitOfWork, account_id: str) -> CardRecord | None:
    """The card that speaks for an account in alerts (its first one)."""
    account = uow.accounts.get(account_id)
    if account is None:
        return None
    cards = [c for c in uow.cards.for_cardholder(account.cardholder_id)
             if c.card.account_id == account_id]
    return cards[0] if cards else None
