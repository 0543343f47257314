"""Authorization requests as terminals send them, by channel: the one place the simulator
builds an :class:`AuthorizationRequest`."""

from __future__ import annotations

from dataclasses import replace

from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.simulate.places import local_amount

K, T, E = MessageKind, TerminalType, EntryMode
#: channel -> (kind, terminal, entry mode, PIN verified)
CHANNELS: dict[str, tuple[MessageKind, TerminalType, EntryMode, bool]] = {
    "chip": (K.PURCHASE, T.POS, E.CHIP, False),
    "contactless": (K.PURCHASE, T.POS, E.CONTACTLESS, False),
    "magstripe": (K.PURCHASE, T.POS, E.MAGSTRIPE, False),
    "online": (K.PURCHASE, T.NONE, E.ECOMMERCE, False),
    "quick_pay": (K.PURCHASE, T.NONE, E.CREDENTIAL_ON_FILE, False),
    "atm_cash": (K.CASH_WITHDRAWAL, T.ATM, E.CHIP, True),
    "atm_inquiry": (K.BALANCE_INQUIRY, T.ATM, E.CHIP, True),
    "atm_transfer": (K.TRANSFER, T.ATM, E.CHIP, True),
    # a cloned card: only the magnetic stripe was copied (with the PIN, filmed)
    "clone_atm": (K.CASH_WITHDRAWAL, T.ATM, E.MAGSTRIPE, True),
    "clone_inquiry": (K.BALANCE_INQUIRY, T.ATM, E.MAGSTRIPE, True),
    "refund": (K.REFUND, T.NONE, E.ECOMMERCE, False),
}
CARD_NOT_PRESENT = frozenset({"online", "quick_pay", "refund"})


def request(channel: str, fen: int, country: str, region: str | None, city: str,
            merchant: str, mcc: str, agreement: str | None = None) -> AuthorizationRequest:
    kind, terminal, entry, pin = CHANNELS[channel]
    present = channel not in CARD_NOT_PRESENT
    currency, amount = local_amount(country, fen) if fen else ("CNY", 0)
    if country != "CN":
        region = None
    return AuthorizationRequest(
        kind=kind, amount=amount, currency=currency, billing_amount=fen, terminal=terminal,
        card_present=present, entry_mode=entry, country=country,
        region=region if present else None, pin_verified=pin, merchant_id=merchant,
        merchant_name=merchant, mcc=mcc, city=city if present else "",
        agreement_id=agreement,
    )


def request_for(q: AuthorizationRequest, fen: int) -> AuthorizationRequest:
    """``q`` for another amount (in the card's currency, and in the merchant's)."""
    currency, amount = local_amount(q.country, fen)
    return replace(q, amount=amount, currency=currency, billing_amount=fen)
