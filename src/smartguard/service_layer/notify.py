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
        channels: frozenset[str] = frozenset({a.DeliveryChannel.SMS.value})
    else:
        prefs = prefs or preferences_for(uow, alert.to.card_id)
        if not prefs.wants(alert):
            return []
        channels = frozenset(c.value for c in prefs.channels_for(alert.kind))
    payload = dict(alert.data)
    written = [_message(ctx, alert, channel, payload)
               for channel in sorted(channels & ctx.alert_channels)]
    if written:
        uow.outbox.add_all(written)
    return written


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
    to = recipient(card)
    r = record.request
    moved = record.balance_after - card.account.balance
    movement = None
    if moved and r.kind is not MessageKind.BALANCE_INQUIRY:
        movement = a.Movement(r.kind.value, moved, card.account.currency,
                              record.balance_after, r.merchant_name or r.merchant_id)
    prefs = preferences_for(uow, card.card.id)
    for alert in a.authorization(to, r, decision, record.received_at, movement):
        emit(uow, ctx, alert, prefs)
    if code is not None and record.challenge_id and expires_at is not None:
        emit(uow, ctx, a.verification(to, r, decision, record.challenge_id, code, expires_at,
                                      card.account.currency), prefs)


def after_balance_change(uow: UnitOfWork, ctx: Context, card: CardRecord, source: str,
                         amount: int, description: str, at: datetime) -> None:
    """A reversal or a posting moved ``amount`` (signed); ``card`` shows the new balance."""
    m = a.Movement(source, amount, card.account.currency, card.account.balance, description)
    emit(uow, ctx, a.balance_change(recipient(card), m, at))


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
