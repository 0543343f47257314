"""Use case: preview a change of protections on the card's own recorded transactions
(the replay itself is pure: ``domain/advisor/preview.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, timedelta

from smartguard.domain.advisor.preview import Preview, Surroundings, preview
from smartguard.domain.controls import values as s
from smartguard.domain.errors import InvalidInput
from smartguard.domain.periods import local_time
from smartguard.domain.transactions import Channel
from smartguard.service_layer import cards, history, protections
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.travel import allowance

DEFAULT_DAYS = 90
MAX_DAYS = 366


def proposed_controls(current: s.Controls, changes: Sequence[s.ProtectionChange],
                      limits: dict[Channel, s.ChannelLimits], ceilings: s.Ceilings
                      ) -> s.Controls:
    """``current`` with whole protections replaced by ``changes`` and channels' limits by
    ``limits`` (checked against the bank's ceilings)."""
    proposed = current
    for change in changes:
        if change.protection is s.Protection.LIMITS:
            raise InvalidInput("limits", "preview limits per channel")
        proposed = change.applied_to(proposed)
    for channel, value in limits.items():
        s.channel_limits(channel, value, ceilings)
    return replace(proposed, limits={**current.limits, **limits})


def preview_change(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                   changes: Sequence[s.ProtectionChange],
                   limits: dict[Channel, s.ChannelLimits],
                   days: int = DEFAULT_DAYS) -> tuple[Preview, s.Controls]:
    """What the proposed settings would have done to the last ``days`` days of the card's
    transactions; returns the preview and the proposed settings. Nothing is changed."""
    if isinstance(days, bool) or not 1 <= days <= MAX_DAYS:
        raise InvalidInput("days", f"must be between 1 and {MAX_DAYS}")
    card = cards.card_for(uow, actor, card_id)
    ceilings = protections.ceilings_for(uow, ctx, card.card.product)
    proposed = proposed_controls(card.controls, changes, limits, ceilings)
    now = ctx.clock()
    since = now - timedelta(days=days)
    tz = card.cardholder.timezone
    # Replay from the start of the month the window starts in, so monthly usage is right.
    month_start = local_time(since, tz).replace(day=1, hour=0, minute=0, second=0,
                                                microsecond=0)
    past = history.history(uow, card_id, month_start.astimezone(UTC))
    around = Surroundings(
        timezone=tz, ceilings=ceilings,
        agreements=history.agreements_today(uow, card_id),
        travel=tuple(allowance(r) for r in uow.travel.for_card(card_id, month_start)),
    )
    return preview(past, card.controls, proposed, around, since), proposed
