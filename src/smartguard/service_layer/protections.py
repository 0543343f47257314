"""Use cases: change one protection of a card. Every change is validated first (nothing is
half-changed), takes effect on the next transaction, and is audited with old and new value."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls import values as s
from smartguard.domain.controls.codec import controls_to_dict
from smartguard.domain.transactions import Channel
from smartguard.errors import Forbidden, InvalidInput, InvalidState
from smartguard.service_layer import notify
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, CardRecord


def set_protection(
    uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, change: s.ProtectionChange
) -> CardRecord:
    """Change one protection of the card; returns the card with its new controls."""
    return apply_change(uow, ctx, actor, card_for(uow, actor, card_id, lock=True), change)


def apply_change(uow: UnitOfWork, ctx: Context, actor: Actor, record: CardRecord,
                 change: s.ProtectionChange, alert: bool = True) -> CardRecord:
    """Write ``change`` to the card ``record`` (loaded with its row lock), audit it with
    old and new value and, unless ``alert`` is False (the caller words its own), send the
    security alert. Nothing is written when nothing changes."""
    if record.card.status is CardStatus.CLOSED:
        raise InvalidState("the card is closed")
    old = record.controls
    new = change.applied_to(old)
    if new == old:
        return record
    now = ctx.clock()
    name = change.protection.value
    card_id = record.card.id
    uow.cards.set_controls(card_id, new, now)
    uow.audit.add(AuditEntry(
        now, actor.id, actor.channel, f"set_controls.{name}", card_id,
        record.card.cardholder_id, controls_to_dict(old)[name], controls_to_dict(new)[name],
    ))
    if alert:
        notify.after_security_event(uow, ctx, record, "protection", name=name)
    return replace(record, controls=new)


def set_limits(
    uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, channel: Channel,
    limits: s.ChannelLimits,
) -> CardRecord:
    """Set one channel's personal limits, each at or below the bank's ceiling."""
    record = card_for(uow, actor, card_id)
    s.channel_limits(channel, limits, ceilings_for(uow, ctx, record.card.product))
    merged = {**record.controls.limits, channel: limits}
    return set_protection(uow, ctx, actor, card_id,
                          s.ProtectionChange(s.Protection.LIMITS, merged))


def ceilings_for(uow: UnitOfWork, ctx: Context, product: str) -> s.Ceilings:
    """The bank's ceilings for ``product``: as set by an operator, else from the
    configuration, else SmartGuard's defaults."""
    return uow.ceilings.get(product) or ctx.ceilings.get(product, s.DEFAULT_CEILINGS)


def set_ceilings(
    uow: UnitOfWork, ctx: Context, actor: Actor, product: str, new: s.Ceilings
) -> s.Ceilings:
    """Set the bank's ceilings for a card product (operators); every channel is given."""
    if actor.cardholder_id is not None:
        raise Forbidden("only the bank sets ceilings")
    if not product.strip() or len(product) > 40:
        raise InvalidInput("product", "name a card product (1 to 40 characters)")
    new = s.ceilings(new.channels, new.atm_cash_overseas_daily)
    old = ceilings_for(uow, ctx, product)
    now = ctx.clock()
    uow.ceilings.put(product, new, now)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "set_ceilings",
                             old=ceilings_to_dict(old), new=ceilings_to_dict(new)))
    return new


def ceilings_to_dict(c: s.Ceilings) -> dict[str, Any]:
    return {
        "channels": {ch.value: asdict(lim) for ch, lim in sorted(c.channels.items())},
        "atm_cash_overseas_daily": c.atm_cash_overseas_daily,
    }
