"""Use cases: the controls beyond Smart Guard (SPEC 3.12) — channel switches, merchant
categories (with the bank's cool-down), merchants, timed unlocks, alert-only mode. Each
builds the new value from the card's controls under its row lock and goes through
``protections.apply_change`` (audit, alert), so every channel changes them the same way:
the cool-down cannot be skipped by any of them."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from smartguard.domain import alerts as a
from smartguard.domain.controls import spending as sp
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.values import Controls, Protection, ProtectionChange
from smartguard.errors import InvalidInput, InvalidState
from smartguard.service_layer import notify
from smartguard.service_layer.cards import card_for
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.protections import apply_change
from smartguard.service_layer.records import CardRecord, UnlockRecord

#: Who closes an unlock that has run its time (the audit trail's actor).
ANNOUNCER = Actor("system:unlocks", "system")
#: How far back "block this merchant" looks for the payment it names.
RECENT = 500


def _change(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
            protection: Protection, value: sp.Switches | dict[Category, sp.CategoryControl]
            | sp.Merchants | frozenset[str]) -> CardRecord:
    record = card_for(uow, actor, card_id, lock=True)
    return apply_change(uow, ctx, actor, record, ProtectionChange(protection, value))


def set_switch(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
               switch: sp.Switch, on: bool) -> CardRecord:
    off = card_for(uow, actor, card_id, lock=True).controls.switches.off
    new = off - {switch} if on else off | {switch}
    return _change(uow, ctx, actor, card_id, Protection.SWITCHES, sp.Switches(new))


def set_switches(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                 off: frozenset[sp.Switch]) -> CardRecord:
    """Every switch at once (the page's form): those in ``off`` off, the others on."""
    return _change(uow, ctx, actor, card_id, Protection.SWITCHES, sp.Switches(off))


def set_category(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                 category: Category, blocked: bool, daily_amount: int | None) -> CardRecord:
    """Block or unblock a category and set its daily amount. Lifting a block the bank
    gives a cool-down to keeps it blocked until the cool-down has run (from the first
    request to lift it; blocking again cancels the lifting)."""
    wanted = sp.category_control(blocked, daily_amount)
    controls = card_for(uow, actor, card_id, lock=True).controls
    now = ctx.clock()
    current = controls.categories.get(category)
    wait = ctx.cooldowns.get(category, timedelta(0))
    if not blocked and current is not None and current.blocks_at(now) and wait:
        lifts = current.lifts_at or now + wait
        wanted = sp.CategoryControl(True, daily_amount, lifts)
    merged = {k: v for k, v in controls.categories.items() if k is not category}
    if wanted != sp.CategoryControl():
        merged[category] = wanted
    return _change(uow, ctx, actor, card_id, Protection.CATEGORIES, merged)


def set_merchant(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, merchant_id: str,
                 name: str, listed: str | None) -> CardRecord:
    """Put a merchant on the ``blocked`` or ``allowed`` list (taking it off the other), or
    off both (``listed`` None)."""
    mid, words = sp.merchant_id(merchant_id), sp.merchant_name(name)
    if listed not in (None, "blocked", "allowed"):
        raise InvalidInput("list", "one of: blocked, allowed", "unknown_list")
    m = card_for(uow, actor, card_id, lock=True).controls.merchants
    blocked = {k: v for k, v in m.blocked.items() if k != mid}
    allowed = {k: v for k, v in m.allowed.items() if k != mid}
    chosen = blocked if listed == "blocked" else allowed if listed == "allowed" else None
    if chosen is not None:
        if len(chosen) >= sp.MAX_MERCHANTS:
            raise InvalidInput("merchant_id", f"a list holds at most {sp.MAX_MERCHANTS} "
                               "merchants", "too_many_merchants")
        chosen[mid] = words or mid
    return _change(uow, ctx, actor, card_id, Protection.MERCHANTS, sp.Merchants(blocked, allowed))


def block_merchant_of(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                      authorization_id: str) -> CardRecord:
    """"Block this merchant" next to a payment: the merchant of one of the card's recent
    authorizations (approved or declined)."""
    card_for(uow, actor, card_id, lock=True)
    found = [r for r in uow.authorizations.for_card(card_id, RECENT) if r.id == authorization_id]
    if not found or not found[0].request.merchant_id:
        raise InvalidInput("authorization_id", "no recent payment of this card with a "
                           "merchant id", "unknown_payment")
    req = found[0].request
    return set_merchant(uow, ctx, actor, card_id, req.merchant_id,
                        req.merchant_name[:sp.MERCHANT_NAME_MAX], "blocked")


def set_alert_only(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, target: str,
                   on: bool) -> CardRecord:
    sp.target(target, sp.ALERT_TARGETS)
    old = card_for(uow, actor, card_id, lock=True).controls.alert_only
    new = old | {target} if on else old - {target}
    return _change(uow, ctx, actor, card_id, Protection.ALERT_ONLY, frozenset(new))


def set_alert_only_targets(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str,
                           targets: frozenset[str]) -> CardRecord:
    """Every alert-only target at once (the page's form)."""
    for name in targets:
        sp.target(name, sp.ALERT_TARGETS)
    return _change(uow, ctx, actor, card_id, Protection.ALERT_ONLY, targets)


def open_unlock(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, target: str,
                minutes: int) -> CardRecord:
    """Open ``target`` from now for ``minutes``; a running unlock of it is replaced. The
    cardholder is alerted now, and again when it closes (:func:`announce_due`)."""
    now = ctx.clock()
    unlock = sp.unlock(target, now, minutes)
    record = card_for(uow, actor, card_id, lock=True)
    for old in uow.unlocks.open_for(card_id, target):  # replaced: no close alert
        uow.unlocks.update(replace(old, ends_at=min(old.ends_at, now), end_announced_at=now))
    kept = _running(record.controls, now, drop=target)
    change = ProtectionChange(Protection.UNLOCKS, (*kept, unlock))
    updated = apply_change(uow, ctx, actor, record, change, alert=False)
    uow.unlocks.add(UnlockRecord(ctx.new_id("unl"), card_id, target, unlock.starts_at,
                                 unlock.ends_at, now, actor.id))
    _alert(uow, ctx, updated, "unlock_opened", target, unlock.ends_at)
    return updated


def close_unlock(uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, target: str
                 ) -> CardRecord:
    """Close an unlock before its end (the close alert goes at once)."""
    sp.target(target, sp.UNLOCK_TARGETS)
    now = ctx.clock()
    record = card_for(uow, actor, card_id, lock=True)
    rows = uow.unlocks.open_for(card_id, target)
    if not rows or all(r.ends_at <= now for r in rows):
        raise InvalidState(f"{target} has no open unlock")
    for row in rows:
        uow.unlocks.update(replace(row, ends_at=min(row.ends_at, now), end_announced_at=now))
    change = ProtectionChange(Protection.UNLOCKS, _running(record.controls, now, drop=target))
    updated = apply_change(uow, ctx, actor, record, change, alert=False)
    _alert(uow, ctx, updated, "unlock_closed", target, now)
    return updated


def announce_due(uow: UnitOfWork, ctx: Context, limit: int = 100) -> int:
    """Close every unlock whose time has run: off the card's controls (audited), and the
    close alert; returns how many were closed. The engine never waits for this: it
    compares the unlock's end itself."""
    now = ctx.clock()
    due = uow.unlocks.due(now, limit)
    for row in sorted(due, key=lambda r: r.card_id):  # row locks in card order
        uow.unlocks.update(replace(row, end_announced_at=now))
        record = uow.cards.get(row.card_id, True)
        if record is None:
            continue
        change = ProtectionChange(Protection.UNLOCKS, _running(record.controls, now))
        updated = apply_change(uow, ctx, ANNOUNCER, record, change, alert=False)
        _alert(uow, ctx, updated, "unlock_closed", row.target, row.ends_at)
    return len(due)


def _running(controls: Controls, now: datetime, drop: str | None = None
             ) -> tuple[sp.Unlock, ...]:
    return tuple(u for u in controls.unlocks if u.ends_at > now and u.target != drop)


def _alert(uow: UnitOfWork, ctx: Context, card: CardRecord, event: str, target: str,
           at: datetime) -> None:
    to = notify.recipient(card)
    notify.emit(uow, ctx, a.security(to, event, ctx.clock(), name=target,
                                     end=a.when(at, to)))
