"""The check-up's advice applied to a card, as a cardholder who follows it would: every
recommendation that has a value, through the ordinary use cases (validated, audited)."""

from __future__ import annotations

from smartguard.domain.controls import values as s
from smartguard.domain.controls.values import ChannelLimits
from smartguard.service_layer import checkup, protections
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork

_LOCKS = (s.Protection.REGION_LOCK, s.Protection.OVERSEAS_LOCK, s.Protection.NIGHT_LOCK,
          s.Protection.OVERSEAS_CNP_LOCK, s.Protection.VERIFICATION)


def apply_advice(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str) -> int:
    """Apply the recommendations learnt from the card's own history; how many changed."""
    recs = checkup.recommendations(uow, ctx, actor, card_id)
    changed = 0
    for protection in _LOCKS:
        value = getattr(recs, protection.value).value
        if value is None or isinstance(value, ChannelLimits):
            continue
        protections.set_protection(uow, ctx, actor, card_id,
                                   s.ProtectionChange(protection, value))
        changed += 1
    for channel, rec in recs.limits.items():
        if isinstance(rec.value, ChannelLimits):
            protections.set_limits(uow, ctx, actor, card_id, channel, rec.value)
            changed += 1
    return changed
