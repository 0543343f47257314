"""What the engine answers: an outcome, every triggered reason, and the primary one.

``RESPONSE_CODES`` is the one table mapping reasons to ISO 8583 response codes (field 39);
``docs/decisions.md`` documents it and a test keeps the two in step.
"""

from __future__ import annotations

from enum import StrEnum
from typing import NamedTuple


class Outcome(StrEnum):
    APPROVE = "approve"
    DECLINE = "decline"
    VERIFY = "verification_required"


class Reason(StrEnum):
    CARD_CLOSED = "card_closed"
    CARD_BLOCKED = "card_blocked"
    CARD_FROZEN = "card_frozen"
    REGION_LOCK = "region_lock"
    OVERSEAS_LOCK = "overseas_lock"
    NIGHT_LOCK = "night_lock"
    OVERSEAS_CNP_LOCK = "overseas_cnp_lock"
    MERCHANT_BLOCKED = "merchant_blocked"
    ATM_CASH_OFF = "atm_cash_off"
    POS_OFF = "pos_off"
    ONLINE_DOMESTIC_OFF = "online_domestic_off"
    ONLINE_OVERSEAS_OFF = "online_overseas_off"
    CONTACTLESS_OFF = "contactless_off"
    ABROAD_OFF = "abroad_off"
    QUICK_PAY_OFF = "quick_pay_off"
    CATEGORY_BLOCKED = "category_blocked"
    CATEGORY_LIMIT = "category_limit"
    AGREEMENT_UNKNOWN = "agreement_unknown"
    AGREEMENT_SUSPENDED = "agreement_suspended"
    AGREEMENT_REVOKED = "agreement_revoked"
    AGREEMENT_LIMIT = "agreement_limit"
    AMOUNT_LIMIT = "amount_limit"
    FREQUENCY_LIMIT = "frequency_limit"
    INSUFFICIENT_FUNDS = "insufficient_funds"
    MAGSTRIPE_VERIFICATION = "magstripe_verification"
    LARGE_PURCHASE_VERIFICATION = "large_purchase_verification"
    RULE_DECLINE = "rule_decline"  # a bank monitoring rule (detail: rule id|zh|en)
    RULE_VERIFICATION = "rule_verification"


VERIFICATION_REASONS = frozenset(
    {Reason.MAGSTRIPE_VERIFICATION, Reason.LARGE_PURCHASE_VERIFICATION,
     Reason.RULE_VERIFICATION}
)
#: The bank's monitoring rules (docs/rules.md).
RULE_REASONS = frozenset({Reason.RULE_DECLINE, Reason.RULE_VERIFICATION})
LOCK_REASONS = frozenset(
    {Reason.REGION_LOCK, Reason.OVERSEAS_LOCK, Reason.NIGHT_LOCK, Reason.OVERSEAS_CNP_LOCK}
)
#: A switched-off channel (SPEC 3.12), each with its own reason.
SWITCH_REASONS = frozenset({
    Reason.ATM_CASH_OFF, Reason.POS_OFF, Reason.ONLINE_DOMESTIC_OFF,
    Reason.ONLINE_OVERSEAS_OFF, Reason.CONTACTLESS_OFF, Reason.ABROAD_OFF,
    Reason.QUICK_PAY_OFF,
})
#: Merchant and merchant-category controls (SPEC 3.12).
MERCHANT_REASONS = frozenset(
    {Reason.MERCHANT_BLOCKED, Reason.CATEGORY_BLOCKED, Reason.CATEGORY_LIMIT}
)
#: Reasons that come from a control the cardholder set (a decline alert is sent for them).
CARDHOLDER_REASONS = (LOCK_REASONS | SWITCH_REASONS | MERCHANT_REASONS | VERIFICATION_REASONS
                      | {Reason.CARD_FROZEN, Reason.AMOUNT_LIMIT, Reason.FREQUENCY_LIMIT,
                         Reason.AGREEMENT_SUSPENDED, Reason.AGREEMENT_REVOKED,
                         Reason.AGREEMENT_LIMIT})

APPROVED = "00"
VERIFICATION_REQUIRED = "1A"  # "additional customer authentication required" (as Visa SCA)

#: ISO 8583 field 39 for each reason. Codes for requests that never reach the engine
#: (unknown card 14, format error 30, ...) are in ``OTHER_RESPONSE_CODES``.
RESPONSE_CODES: dict[Reason, str] = {
    Reason.CARD_CLOSED: "62",
    Reason.CARD_BLOCKED: "62",
    Reason.CARD_FROZEN: "62",
    Reason.REGION_LOCK: "57",
    Reason.OVERSEAS_LOCK: "57",
    Reason.NIGHT_LOCK: "57",
    Reason.OVERSEAS_CNP_LOCK: "57",
    Reason.MERCHANT_BLOCKED: "57",
    Reason.ATM_CASH_OFF: "57",
    Reason.POS_OFF: "57",
    Reason.ONLINE_DOMESTIC_OFF: "57",
    Reason.ONLINE_OVERSEAS_OFF: "57",
    Reason.CONTACTLESS_OFF: "57",
    Reason.ABROAD_OFF: "57",
    Reason.QUICK_PAY_OFF: "57",
    Reason.CATEGORY_BLOCKED: "57",
    Reason.CATEGORY_LIMIT: "61",
    Reason.AGREEMENT_UNKNOWN: "57",
    Reason.AGREEMENT_SUSPENDED: "57",
    Reason.AGREEMENT_REVOKED: "57",
    Reason.AGREEMENT_LIMIT: "61",
    Reason.AMOUNT_LIMIT: "61",
    Reason.FREQUENCY_LIMIT: "65",
    Reason.INSUFFICIENT_FUNDS: "51",
    Reason.MAGSTRIPE_VERIFICATION: VERIFICATION_REQUIRED,
    Reason.LARGE_PURCHASE_VERIFICATION: VERIFICATION_REQUIRED,
    Reason.RULE_DECLINE: "59",
    Reason.RULE_VERIFICATION: VERIFICATION_REQUIRED,
}

OTHER_RESPONSE_CODES: dict[str, str] = {
    "approved": APPROVED,
    "invalid_transaction": "12",
    "invalid_amount": "13",
    "unknown_card": "14",
    "format_error": "30",
    "duplicate_conflict": "94",
    "system_error": "96",
}


class Verdict(NamedTuple):
    """One rule's finding: the reason and a short machine-readable detail. An
    ``alert_only`` finding lets the request through and alerts the cardholder. A named
    tuple rather than a frozen dataclass: rules make one per objection, and a frozen
    dataclass costs several times as much to build (docs/performance.md)."""

    reason: Reason
    detail: str = ""
    alert_only: bool = False


class Decision(NamedTuple):
    """The engine's answer (a named tuple, cheap to build: see :class:`Verdict`)."""

    outcome: Outcome
    verdicts: tuple[Verdict, ...] = ()
    challenge_used: str | None = None  # id of the confirmed challenge this approval used up
    alerts: tuple[Verdict, ...] = ()  # findings of controls in alert-only mode

    @property
    def primary(self) -> Reason | None:
        return self.verdicts[0].reason if self.verdicts else None

    @property
    def reasons(self) -> tuple[Reason, ...]:
        return tuple(v.reason for v in self.verdicts)

    @property
    def response_code(self) -> str:
        primary = self.primary
        if self.outcome is Outcome.APPROVE or primary is None:
            return APPROVED
        return RESPONSE_CODES[primary]

    @property
    def approved(self) -> bool:
        return self.outcome is Outcome.APPROVE
