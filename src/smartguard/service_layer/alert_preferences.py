"""Use cases: a card's alert preferences (channels per alert kind, balance-change threshold)
and the cardholder's phone number. Both are audited like protections and raise a security
alert, since someone who takes them over could silence the cardholder's alerts."""

from __future__ import annotations

from smartguard.domain import alerts as a
from smartguard.domain.alerts import AlertPreferences, preferences_to_dict
from smartguard.errors import Forbidden, NotFound, UnknownCardholder
from smartguard.service_layer import notify
from smartguard.service_layer.cards import card_for, check_phone
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.messages import OutboxMessage
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry


def get_preferences(uow: UnitOfWork, actor: Actor, card_id: str) -> AlertPreferences:
    card_for(uow, actor, card_id)
    return notify.preferences_for(uow, card_id)


def set_preferences(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                    new: AlertPreferences) -> AlertPreferences:
    """Replace the card's alert preferences with an already validated value."""
    record = card_for(uow, actor, card_id, lock=True)
    old = notify.preferences_for(uow, card_id)
    if preferences_to_dict(old) == preferences_to_dict(new):
        return old
    now = ctx.clock()
    uow.alert_preferences.put(card_id, new, now)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "set_alerts", card_id,
                             record.card.cardholder_id, preferences_to_dict(old),
                             preferences_to_dict(new)))
    notify.after_security_event(uow, ctx, record, "protection", name="alerts")
    return new


def change_phone(uow: UnitOfWork, ctx: Context, actor: Actor, cardholder_id: str,
                 phone: str) -> str:
    """Change the registered phone; both the old and the new number are told."""
    if actor.cardholder_id is not None and actor.cardholder_id != cardholder_id:
        raise Forbidden("this is another cardholder")
    holder = uow.cardholders.get(cardholder_id)
    if holder is None:
        raise UnknownCardholder(f"no cardholder {cardholder_id}")
    new = check_phone(phone)
    if new == holder.phone:
        return new
    now = ctx.clock()
    uow.cardholders.set_phone(cardholder_id, new)
    old_masked, new_masked = mask_phone(holder.phone), mask_phone(new)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "change_phone",
                             cardholder_id=cardholder_id, old=old_masked, new=new_masked))
    for number in (holder.phone, new):
        to = a.Recipient(holder.id, number, holder.language.value, holder.timezone)
        notify.emit(uow, ctx, a.security(to, "phone_changed", now, old=old_masked,
                                         new=new_masked))
    return new


def requeue_message(uow: UnitOfWork, ctx: Context, actor: Actor, message_id: str
                    ) -> OutboxMessage:
    """Send a dead-lettered message again (operators); its attempts start over."""
    if actor.cardholder_id is not None:
        raise Forbidden("only the bank requeues messages")
    if not uow.outbox.requeue(message_id):
        raise NotFound(f"no dead message {message_id}")
    message = uow.outbox.get(message_id)
    assert message is not None
    uow.audit.add(AuditEntry(ctx.clock(), actor.id, actor.channel, "outbox.requeue",
                             message.card_id, message.cardholder_id, "dead", message_id))
    return message


def mask_phone(phone: str) -> str:
    """``+8613800138000`` -> ``+86138****8000``."""
    return phone[:-8] + "****" + phone[-4:] if len(phone) > 8 else "****"
