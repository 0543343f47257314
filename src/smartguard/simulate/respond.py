"""What the simulated people do, each through the real use case: the cardholder reads an
SMS and replies ZF (``handle_inbound``), confirms a code (``Y <code>``, the same path),
gets a replacement card (``change_status``: unfreeze), announces a trip (``add_travel``);
acquirers reverse and merchants refund (``reverse``, ``authorize``); a criminal binds an
agreement (``register_agreement``); the check-up's advice is applied (advice.py)."""

from __future__ import annotations

import contextlib
from dataclasses import replace
from typing import TYPE_CHECKING

from smartguard.domain.cards import StatusAction
from smartguard.domain.errors import InvalidInput
from smartguard.domain.transactions import ReversalRequest
from smartguard.errors import InvalidState
from smartguard.service_layer import agreements, cards, travel
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.reverse import reverse
from smartguard.service_layer.sms_inbound import InboundSms, handle_inbound
from smartguard.simulate.advice import apply_advice
from smartguard.simulate.model import Binding, Payment, Reaction, Trip
from smartguard.simulate.requests import request

if TYPE_CHECKING:
    from smartguard.simulate.play import Player

PROCESSOR = Actor("simulator-processor", "api")
#: What the cardholder reads in an SMS and reacts to (a reply to their own ZF is not).
NOTICED = frozenset({"balance_change", "balance_inquiry", "decline", "verification",
                     "security"})
#: Outbox rows read after a fraudulent transaction: the newest of the whole outbox (by id,
#: the primary key: the simulator's ids grow), among them the rows the use case just wrote
#: (a few at most). Not the card's own newest: the outbox has no index by card, and looking
#: for a card's rows scans back to its fourth SMS, the whole outbox for a card with none.
LATEST = 16


def react(player: Player, uow: UnitOfWork, r: Reaction) -> None:
    if r.what == "retry" and r.payment is not None:
        player.pay(uow, r.uid, r.payment, first=False, tries=r.tries)
    elif r.what == "answer":
        _sms(player, uow, r.holder, r.text, r.uid)
    elif r.what == "stop":
        _sms(player, uow, r.holder, "ZF", r.uid)
        rng = player.person.rng(r.holder, r.attack, "reissue")
        player.push(player.clock.now + player.person.reissue(rng), replace(r, what="reissue"))
    elif r.what == "reissue":
        _reissue(player, uow, r)
    elif r.what == "refund" and r.payment is not None:
        player.pay(uow, r.uid, r.payment, first=False)
    elif r.what == "reverse":
        _reverse(player, uow, r)
    elif r.what == "learn":
        apply_advice(uow, player.ctx, _actor(player, r.holder), player.cards[r.holder][0])


def _actor(player: Player, holder: int) -> Actor:
    return Actor(f"cardholder-{holder}", "app", player.cards[holder][1])


def _sms(player: Player, uow: UnitOfWork, holder: int, text: str, uid: int) -> None:
    player.seq += 1
    phone = player.plan.holders[holder].phone
    handle_inbound(uow, player.ctx, InboundSms("sim", f"mo-{player.seq}", phone, text))


def _reissue(player: Player, uow: UnitOfWork, r: Reaction) -> None:
    """The stopped card is replaced: the stolen details no longer work (the attack is
    over), and the cardholder pays again (modelled as the same card unfrozen)."""
    player.dropped.add(r.attack)
    player.stopping.discard(r.holder)
    with contextlib.suppress(InvalidState):  # not frozen: nothing to undo
        cards.change_status(uow, player.ctx, _actor(player, r.holder),
                            player.cards[r.holder][0], StatusAction.UNFREEZE)


def _reverse(player: Player, uow: UnitOfWork, r: Reaction) -> None:
    player.stan += 1
    key = r.key
    reverse(uow, player.ctx, ReversalRequest(key[0], f"{player.stan % 1_000_000:06d}",
                                             f"V{player.stan:09d}", *key))


def noticed(player: Player, uow: UnitOfWork, uid: int, p: Payment) -> None:
    """A fraudulent transaction just sent the cardholder an SMS: if they read it, they
    reply ZF when they do (once per attack). Called right after the use case, so that its
    rows are the outbox's newest."""
    if p.holder in player.stopping:
        return
    card_id, now = player.cards[p.holder][0], player.clock.now
    sent = [m for m in uow.outbox.list(None, None, None, LATEST)
            if m.card_id == card_id and m.channel == "sms" and m.created_at == now
            and m.kind in NOTICED]
    if not sent:
        return
    holder = player.plan.holders[p.holder]
    read = player.person.reads(player.person.rng(uid, "read"), now, holder.home.timezone,
                               p.request.billing_amount)
    if read is None:
        return
    player.stopping.add(p.holder)
    player.push(read, Reaction("stop", p.holder, uid, attack=p.attack))


def bind(player: Player, uow: UnitOfWork, uid: int, b: Binding) -> None:
    """A criminal's binding (the cardholder gets the new-binding alert)."""
    if b.attack in player.dropped:
        return
    try:
        agreements.register_agreement(uow, player.ctx, PROCESSOR,
                                      CardRef(card_id=player.cards[b.holder][0]),
                                      b.agreement_id, b.payee)
    except InvalidState:
        return  # the card is frozen: no new bindings
    fake = Payment(b.at, b.holder, request("quick_pay", 0, "CN", None, "", b.payee, "6012",
                                           b.agreement_id), b.attack)
    noticed(player, uow, uid, fake)


def trip(player: Player, uow: UnitOfWork, t: Trip) -> None:
    with contextlib.suppress(InvalidInput):  # e.g. too many at a time: goes without
        travel.add_travel(uow, player.ctx, _actor(player, t.holder),
                          player.cards[t.holder][0], t.place, t.starts, t.ends)
