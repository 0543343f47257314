"""Authorization requests, reversals and postings: frozen values built at the edge."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from smartguard.domain.errors import InvalidInput


class MessageKind(StrEnum):
    PURCHASE = "purchase"
    CASH_WITHDRAWAL = "cash_withdrawal"
    TRANSFER = "transfer"
    BALANCE_INQUIRY = "balance_inquiry"
    REFUND = "refund"  # refund or other credit to the card


class TerminalType(StrEnum):
    ATM = "atm"
    POS = "pos"
    KIOSK = "kiosk"  # self-service kiosk (自助终端)
    NONE = "none"  # card not present: e-commerce, quick payment


def check_consistent(kind: MessageKind, amount: int, terminal: TerminalType) -> None:
    """A request whose parts contradict each other is refused (``invalid_transaction``:
    ISO 8583 answers 12), never decided as if it made sense."""
    if kind is MessageKind.BALANCE_INQUIRY and amount != 0:
        raise InvalidInput("amount", "a balance inquiry carries no amount (0)",
                           "invalid_transaction")
    if kind is MessageKind.PURCHASE and terminal is TerminalType.ATM:
        raise InvalidInput("terminal", "a purchase is not made at an ATM (cash_withdrawal, "
                           "transfer or balance_inquiry are)", "invalid_transaction")


class EntryMode(StrEnum):
    CHIP = "chip"
    CONTACTLESS = "contactless"
    MAGSTRIPE = "magstripe"
    MAGSTRIPE_FALLBACK = "magstripe_fallback"
    MANUAL = "manual"
    ECOMMERCE = "ecommerce"
    CREDENTIAL_ON_FILE = "credential_on_file"


class Channel(StrEnum):
    """The channels personal limits are set per (SPEC 3.4)."""

    ATM_CASH = "atm_cash"
    ATM_TRANSFER = "atm_transfer"
    POS = "pos"
    ONLINE = "online"  # card-not-present and quick payment


DEBIT_KINDS = frozenset(
    {MessageKind.PURCHASE, MessageKind.CASH_WITHDRAWAL, MessageKind.TRANSFER}
)
MAGSTRIPE_MODES = frozenset({EntryMode.MAGSTRIPE, EntryMode.MAGSTRIPE_FALLBACK})
SELF_SERVICE = frozenset({TerminalType.ATM, TerminalType.KIOSK})


@dataclass(frozen=True, slots=True)
class AuthorizationRequest:
    """What the guard is asked to decide. Amounts are minor units; ``billing_amount`` is in
    the card's currency and is what limits and funds are judged on."""

    kind: MessageKind
    amount: int
    currency: str
    billing_amount: int
    terminal: TerminalType
    card_present: bool
    entry_mode: EntryMode
    country: str  # ISO 3166-1 alpha-2 of the merchant/terminal
    region: str | None = None  # ISO 3166-2:CN province for domestic transactions
    pin_verified: bool = False
    merchant_id: str = ""
    merchant_name: str = ""
    mcc: str = ""
    city: str = ""
    acquirer_id: str = ""
    stan: str = ""
    rrn: str = ""
    transmission_time: str = ""  # as sent (ISO 8583 field 7, MMDDhhmmss); identity only
    agreement_id: str | None = None  # third-party quick-payment agreement

    @property
    def is_debit(self) -> bool:
        return self.kind in DEBIT_KINDS

    @property
    def is_domestic(self) -> bool:
        return self.country == "CN"

    @property
    def is_offline(self) -> bool:
        """线下交易: card present at an ATM, kiosk or POS, taking money out."""
        return (
            self.card_present
            and self.terminal is not TerminalType.NONE
            and self.kind in DEBIT_KINDS
        )

    @property
    def channel(self) -> Channel:
        if not self.card_present or self.terminal is TerminalType.NONE:
            return Channel.ONLINE
        if self.terminal in SELF_SERVICE:
            if self.kind is MessageKind.TRANSFER:
                return Channel.ATM_TRANSFER
            if self.kind is MessageKind.CASH_WITHDRAWAL:
                return Channel.ATM_CASH
        return Channel.POS

    @property
    def idempotency_key(self) -> tuple[str, str, str]:
        return (self.acquirer_id, self.stan, self.transmission_time)


@dataclass(frozen=True, slots=True)
class ReversalRequest:
    """Undo an authorization, named by its original idempotency key (ISO 8583 field 90).

    A *partial* reversal states the amount that really took place (``actual_amount``, in
    the original's transaction currency; ISO 8583 field 95): an ATM that dispensed ¥300 of
    ¥500 reverses ¥200. ``actual_amount`` None is a full reversal."""

    acquirer_id: str
    stan: str
    transmission_time: str
    original_acquirer_id: str
    original_stan: str
    original_transmission_time: str
    amount: int | None = None  # the original amount, when the sender states it
    repeat: bool = False  # 0401/0421: a repeat of an earlier reversal
    actual_amount: int | None = None  # partial: what really took place; None: full

    def __post_init__(self) -> None:
        if self.actual_amount is not None and self.actual_amount <= 0:
            raise InvalidInput("actual_amount", "a partial reversal's actual amount is "
                               "above 0 (nothing took place: a full reversal)")

    @property
    def idempotency_key(self) -> tuple[str, str, str]:
        return (self.acquirer_id, self.stan, self.transmission_time)

    @property
    def original_key(self) -> tuple[str, str, str]:
        return (self.original_acquirer_id, self.original_stan, self.original_transmission_time)


def given_back(original: AuthorizationRequest, actual_amount: int | None) -> int:
    """What a reversal gives back, in the card's currency (the original's billing amount):
    all of it for a full reversal, else the part above ``actual_amount``. Across currencies
    the actual amount is converted at the original's own rate, rounded half up to the
    minor unit; an actual amount at or above the original gives nothing back."""
    billing = original.billing_amount
    if actual_amount is None:
        return billing
    if actual_amount >= original.amount:
        return 0
    kept = (billing * actual_amount * 2 + original.amount) // (original.amount * 2)
    return billing - kept


@dataclass(frozen=True, slots=True)
class Posting:
    """A balance movement reported by core banking; ``amount`` is signed (credit > 0)."""

    posting_id: str
    account_id: str
    amount: int
    description: str = ""
