"""Use cases: enrol cardholders, accounts and cards; change a card's status."""

from __future__ import annotations

import re
from dataclasses import replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from smartguard.domain.cards import (
    Account,
    Card,
    Cardholder,
    CardStatus,
    Language,
    StatusAction,
    next_status,
)
from smartguard.domain.controls.values import Controls
from smartguard.domain.errors import InvalidInput
from smartguard.domain.money import MAX_AMOUNT, normalize_currency
from smartguard.domain.pan import check_pan, visible_parts
from smartguard.errors import (
    Conflict,
    Forbidden,
    InvalidState,
    UnknownCard,
    UnknownCardholder,
)
from smartguard.service_layer import notify
from smartguard.service_layer.context import Actor, Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, CardRecord

E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")


def check_phone(phone: str) -> str:
    if not E164.match(phone):
        raise InvalidInput("phone", "must be an E.164 number such as +8613800138000",
                           "invalid_phone")
    return phone


def check_timezone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("timezone", f"'{name}' is not an IANA time zone",
                           "invalid_timezone") from None
    return name


def enrol_cardholder(
    uow: UnitOfWork, ctx: Context, actor: Actor, name: str, phone: str,
    language: str = "zh-CN", timezone: str = "Asia/Shanghai",
) -> Cardholder:
    try:
        lang = Language(language)
    except ValueError:
        raise InvalidInput("language", "must be 'zh-CN' or 'en'") from None
    if not name.strip():
        raise InvalidInput("name", "must not be empty")
    holder = Cardholder(ctx.new_id("chd"), name.strip(), check_phone(phone), lang,
                        check_timezone(timezone))
    now = ctx.clock()
    uow.cardholders.add(holder, now)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "enrol_cardholder",
                             cardholder_id=holder.id, new={"phone": _masked(phone)}))
    return holder


def open_account(
    uow: UnitOfWork, ctx: Context, actor: Actor, cardholder_id: str, currency: str = "CNY",
    balance: int = 0,
) -> Account:
    if uow.cardholders.get(cardholder_id) is None:
        raise UnknownCardholder(f"no cardholder {cardholder_id}")
    code = normalize_currency(currency)
    if code is None:
        raise InvalidInput("currency", f"'{currency}' is not an ISO 4217 currency",
                           "unknown_currency")
    if isinstance(balance, bool) or not 0 <= balance <= MAX_AMOUNT:
        raise InvalidInput("balance", "must be between 0 and 999999999999 minor units")
    account = Account(ctx.new_id("acc"), cardholder_id, code, balance)
    uow.accounts.add(account, ctx.clock())
    return account


def enrol_card(
    uow: UnitOfWork, ctx: Context, actor: Actor, pan: str, account_id: str,
    product: str = "debit_standard", controls: Controls | None = None,
) -> CardRecord:
    check_pan(pan)
    account = uow.accounts.get(account_id)
    if account is None:
        raise InvalidInput("account_id", f"no account {account_id}", "unknown_account")
    pan_hash = ctx.hash_pan(pan)
    if uow.cards.by_pan_hash(pan_hash) is not None:
        raise Conflict("a card with this number is already enrolled")
    first6, last4 = visible_parts(pan)
    card = Card(ctx.new_id("card"), account.cardholder_id, account.id, first6, last4, product)
    now = ctx.clock()
    uow.cards.add(card, pan_hash, controls or Controls(), now)
    uow.audit.add(AuditEntry(now, actor.id, actor.channel, "enrol_card", card.id,
                             account.cardholder_id, new={"card": card.masked}))
    record = uow.cards.get(card.id)
    assert record is not None
    return record


#: The security alert each status change raises.
STATUS_EVENTS = {StatusAction.FREEZE: "frozen", StatusAction.UNFREEZE: "unfrozen",
                 StatusAction.BLOCK: "blocked", StatusAction.UNBLOCK: "unblocked",
                 StatusAction.CLOSE: "closed"}

#: What a cardholder may do to their own card; the rest is the bank's (SPEC 1).
CARDHOLDER_ACTIONS = frozenset({StatusAction.FREEZE, StatusAction.UNFREEZE})


def change_status(
    uow: UnitOfWork, ctx: Context, actor: Actor, card_id: str, action: StatusAction
) -> CardRecord:
    """Freeze, unfreeze, block, unblock or close. An actor acting for a cardholder may only
    freeze and unfreeze; nobody may unfreeze by SMS."""
    if actor.cardholder_id is not None and action not in CARDHOLDER_ACTIONS:
        raise Forbidden(f"only the bank may {action.value} a card")
    if actor.channel == "sms" and action is StatusAction.UNFREEZE:
        raise Forbidden("a card cannot be unfrozen by SMS; use the app or the web page")
    record = card_for(uow, actor, card_id, lock=True)
    current = record.card.status
    target = next_status(current, action, _before_block(uow, card_id, action))
    if target is None:
        raise InvalidState(_refusal(current, action))
    if target is not current:
        now = ctx.clock()
        uow.cards.set_status(card_id, target, now)
        uow.audit.add(AuditEntry(now, actor.id, actor.channel, action.value, card_id,
                                 record.card.cardholder_id, current.value, target.value))
        if actor.channel != "sms":  # an SMS stop-payment gets its own reply instead
            notify.after_security_event(uow, ctx, record, STATUS_EVENTS[action])
    return replace(record, card=replace(record.card, status=target))


def _before_block(uow: UnitOfWork, card_id: str, action: StatusAction) -> CardStatus | None:
    """For an unblock: the card's status before the bank's latest block (from its audit
    trail, written in the same transaction as every status change)."""
    if action is not StatusAction.UNBLOCK:
        return None
    entry = uow.audit.last(card_id, StatusAction.BLOCK.value)
    try:
        return CardStatus(entry.old) if entry is not None else None
    except ValueError:
        return None


def card_for(uow: UnitOfWork, actor: Actor, card_id: str, lock: bool = False) -> CardRecord:
    """Load a card the actor may act on (its own cardholder's, for a scoped actor);
    ``lock`` when the caller is about to change it."""
    record = uow.cards.get(card_id, lock)
    if record is None:
        raise UnknownCard(f"no card {card_id}")
    if actor.cardholder_id is not None and actor.cardholder_id != record.card.cardholder_id:
        raise Forbidden("this card belongs to another cardholder")
    return record


def _refusal(current: CardStatus, action: StatusAction) -> str:
    if current is CardStatus.CLOSED:
        return "the card is closed"
    if current is CardStatus.BLOCKED and action is StatusAction.UNFREEZE:
        return "the bank blocked this card; only the bank can unblock it"
    return f"cannot {action.value} a card that is {current.value}"


def _masked(phone: str) -> str:
    return phone[:-8] + "****" + phone[-4:] if len(phone) > 8 else "****"

