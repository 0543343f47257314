"""Use case: an SMS from a cardholder's phone (SPEC 3.5, 3.6), from the SMS centre (SMPP
``deliver_sm``) or the signed HTTP inbound hook.

Each message is handled once, keyed by the SMS centre's message id; a number that sends
too many is ignored for a while, except for a stop-payment (a freeze only ever protects: it
is acted on, and confirmed only if it changed the card, so a flood cannot buy replies); a
number no card is registered to changes nothing and gets no reply. Every message is
audited (the command, never its text or a code). Replies are written to the outbox in the
same transaction as the change they confirm.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from smartguard.domain import alerts as a
from smartguard.domain import sms_commands as sc
from smartguard.domain.cards import CardStatus, StatusAction
from smartguard.domain.challenges import Challenge, ChallengeStatus
from smartguard.domain.money import format_amount
from smartguard.domain.periods import local_time
from smartguard.service_layer import notify
from smartguard.service_layer.cards import change_status
from smartguard.service_layer.challenges import answer_challenge
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.messages import InboundRecord
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, CardRecord

MAX_CARDS = 20


@dataclass(frozen=True, slots=True)
class InboundSms:
    source: str  # where it came from: smpp, http
    message_id: str  # the SMS centre's id for this message
    phone: str  # the sender, E.164
    text: str


@dataclass(frozen=True, slots=True)
class RateLimit:
    """At most ``count`` messages per number in any ``window``; the rest are ignored."""

    count: int = 10
    window: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class InboundResult:
    outcome: str  # frozen, confirmed, rejected, help, unregistered, rate_limited, ...
    duplicate: bool = False
    card_id: str | None = None


@dataclass(frozen=True, slots=True)
class _Handled:
    outcome: str
    card: CardRecord | None = None


def handle_inbound(uow: UnitOfWork, ctx: Context, sms: InboundSms,
                   limit: RateLimit = RateLimit()) -> InboundResult:
    key = f"{sms.source}:{sms.message_id}"
    earlier = uow.inbound_sms.get(key)
    if earlier is not None:
        return InboundResult(earlier.outcome, duplicate=True)
    now = ctx.clock()
    command = sc.parse(sms.text)
    cards = uow.cards.search(None, sms.phone, MAX_CARDS)
    limited = uow.inbound_sms.count_since(sms.phone, now - limit.window) >= limit.count
    if limited and cards and isinstance(command, sc.StopCard):
        handled = _stop(uow, ctx, sms.phone, command.last4, cards, quiet=True)
    elif limited:
        handled = _Handled("rate_limited")
    elif not cards:
        handled = _Handled("unregistered")
    else:
        handled = _dispatch(uow, ctx, sms.phone, command, cards, now)
    uow.inbound_sms.add(InboundRecord(key, sms.phone, now, sc.describe(command),
                                      handled.outcome))
    card = handled.card
    uow.audit.add(AuditEntry(
        now, f"sms:{sms.phone}", "sms", "sms.inbound", card.card.id if card else None,
        card.card.cardholder_id if card else (cards[0].card.cardholder_id if cards else None),
        new={"message": key, "command": sc.describe(command), "outcome": handled.outcome}))
    return InboundResult(handled.outcome, card_id=card.card.id if card else None)


def _dispatch(uow: UnitOfWork, ctx: Context, phone: str, command: sc.Command,
              cards: list[CardRecord], now: datetime) -> _Handled:
    if isinstance(command, sc.StopCard):
        return _stop(uow, ctx, phone, command.last4, cards)
    if isinstance(command, sc.AnswerChallenge):
        return _answer(uow, ctx, phone, command, cards, now)
    _reply(uow, ctx, _holder(cards[0]), "help")
    return _Handled(f"help:{command.reason}")


def _holder(card: CardRecord) -> a.Recipient:
    """The cardholder behind ``card``, for a reply that is not about one card."""
    to = notify.recipient(card)
    return a.Recipient(to.cardholder_id, to.phone, to.language, to.timezone)


def _reply(uow: UnitOfWork, ctx: Context, to: a.Recipient, name: str, **values: str) -> None:
    notify.emit(uow, ctx, a.reply(to, name, **values))


def _actor(phone: str, card: CardRecord) -> Actor:
    return Actor(f"sms:{phone}", "sms", card.card.cardholder_id)


def _stop(uow: UnitOfWork, ctx: Context, phone: str, last4: str | None,
          cards: list[CardRecord], quiet: bool = False) -> _Handled:
    """``quiet`` (the number is rate-limited): the freeze is still done, but the only
    reply is the confirmation of a card this message froze."""
    open_cards = [c for c in cards if c.card.status is not CardStatus.CLOSED]
    if last4 is not None:
        chosen = [c for c in cards if c.card.last4 == last4]
        if not chosen and quiet:
            return _Handled("rate_limited")
        if not chosen:
            _reply(uow, ctx, _holder(cards[0]), "no_card", last4=last4)
            return _Handled("no_such_card")
    elif len(open_cards) == 1:
        chosen = open_cards
    elif quiet:
        return _Handled("rate_limited")  # which card? asking would be a reply
    else:
        listed = open_cards or cards
        lang = listed[0].cardholder.language.value
        _reply(uow, ctx, _holder(cards[0]), "which", example=listed[0].card.last4,
               cards=a.card_words([c.card.last4 for c in listed], lang))
        return _Handled("which_card")
    outcome = "frozen"
    for card in chosen:
        outcome = _freeze(uow, ctx, phone, card, quiet)
    return _Handled(outcome, chosen[0])


def _freeze(uow: UnitOfWork, ctx: Context, phone: str, card: CardRecord,
            quiet: bool = False) -> str:
    to = notify.recipient(card)
    status = card.card.status
    if status in (CardStatus.CLOSED, CardStatus.BLOCKED):
        outcome = "closed" if status is CardStatus.CLOSED else "bank_blocked"
        if quiet:
            return outcome + ":rate_limited"
        _reply(uow, ctx, to, outcome)
        return outcome
    change_status(uow, ctx, _actor(phone, card), card.card.id, StatusAction.FREEZE)
    if quiet and status is CardStatus.FROZEN:
        return "frozen:rate_limited"  # nothing changed: no reply
    _reply(uow, ctx, to, "frozen")
    return "frozen"


def _answer(uow: UnitOfWork, ctx: Context, phone: str, command: sc.AnswerChallenge,
            cards: list[CardRecord], now: datetime) -> _Handled:
    found = _challenge_by_code(uow, ctx, command.code, cards)
    if found is None or found[0].status is not ChallengeStatus.PENDING:
        _reply(uow, ctx, _holder(cards[0]), "bad_code")
        return _Handled("bad_code", found[1] if found else None)
    challenge, card = found
    to = notify.recipient(card)
    if challenge.expired(now):
        _reply(uow, ctx, to, "expired")
        return _Handled("expired", card)
    answer_challenge(uow, ctx, _actor(phone, card), challenge.id, command.confirm,
                     command.code)
    amount = format_amount(challenge.amount, challenge.currency)
    merchant = challenge.merchant_name or challenge.merchant_id
    if command.confirm:
        until = f"{local_time(challenge.expires_at, to.timezone):%H:%M}"
        _reply(uow, ctx, to, "confirmed", amount=amount, merchant=merchant, until=until)
        return _Handled("confirmed", card)
    _reply(uow, ctx, to, "rejected", amount=amount, merchant=merchant)
    return _Handled("rejected", card)


def _challenge_by_code(uow: UnitOfWork, ctx: Context, code: str, cards: list[CardRecord]
                       ) -> tuple[Challenge, CardRecord] | None:
    """The phone's challenge whose code this is (pending ones first)."""
    wanted = ctx.hash_code(code)
    for statuses in ((ChallengeStatus.PENDING,), None):
        for card in cards:
            for c in uow.challenges.for_card(card.card.id, statuses):
                if hmac.compare_digest(c.code_hash, wanted):
                    return c, card
    return None
