"""ISO 8583 fields <-> SmartGuard's domain values: the one place that knows the profile
(docs/iso8583-profile.md). Requests become :class:`AuthorizationRequest` or
:class:`ReversalRequest`; answers are built from the use cases' results; SmartGuard errors
become response codes in :func:`response_code_for`.

The PAN (field 2) is hashed here and goes no further; fields 35 and 52 are never read
beyond the presence of 52.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from smartguard import errors as e
from smartguard.adapters.iso8583.codec import Fields
from smartguard.domain.decisions import APPROVED, OTHER_RESPONSE_CODES
from smartguard.domain.geography import country_code, province_code
from smartguard.domain.money import ALPHA_TO_NUMERIC, NUMERIC_CURRENCIES, check_amount
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    ReversalRequest,
    TerminalType,
    check_consistent,
)
from smartguard.service_layer.authorize import CardRef

AUTHORIZATIONS = frozenset({"0100", "0200"})
REVERSALS = frozenset({"0400", "0401", "0420", "0421"})
NETWORK = frozenset({"0800"})
FORMAT_ERROR = OTHER_RESPONSE_CODES["format_error"]
INVALID_TRANSACTION = OTHER_RESPONSE_CODES["invalid_transaction"]
SYSTEM_ERROR = OTHER_RESPONSE_CODES["system_error"]

PROCESSING: dict[str, MessageKind] = {
    "00": MessageKind.PURCHASE, "01": MessageKind.CASH_WITHDRAWAL,
    "20": MessageKind.REFUND, "31": MessageKind.BALANCE_INQUIRY,
    "40": MessageKind.TRANSFER,
}
ENTRY_MODES: dict[str, EntryMode] = {
    "01": EntryMode.MANUAL, "02": EntryMode.MAGSTRIPE, "90": EntryMode.MAGSTRIPE,
    "05": EntryMode.CHIP, "07": EntryMode.CONTACTLESS, "91": EntryMode.CONTACTLESS,
    "80": EntryMode.MAGSTRIPE_FALLBACK, "81": EntryMode.ECOMMERCE,
    "10": EntryMode.CREDENTIAL_ON_FILE,
}
#: Field 25 -> (terminal type, card present).
CONDITIONS: dict[str, tuple[TerminalType, bool]] = {
    "00": (TerminalType.POS, True), "02": (TerminalType.ATM, True),
    "27": (TerminalType.KIOSK, True), "05": (TerminalType.POS, False),
    "01": (TerminalType.NONE, False), "08": (TerminalType.NONE, False),
    "59": (TerminalType.NONE, False),
}
NETWORK_CODES = {"001": "sign_on", "002": "sign_off", "301": "echo"}
AUTH_ECHO = ("3", "4", "7", "11", "12", "13", "32", "37", "41", "49")
REVERSAL_ECHO = ("3", "4", "7", "11", "32", "37", "41", "49", "90", "95")


def response_mti(mti: str) -> str | None:
    """0100 -> 0110, 0401 -> 0410, 0421 -> 0430; None for a message that is not a request
    or an advice (a response sent to us is never answered)."""
    if len(mti) != 4 or not mti.isdigit() or mti[2] not in "0248":
        return None
    if mti[2] == "8":
        return mti[:2] + "10"
    return mti[:2] + str(int(mti[2]) + 1) + "0"


def _digits(fields: Fields, key: str, size: int | None = None, required: bool = True,
            name: str = "") -> str:
    value = fields.get(key)
    if value is None:
        if required:
            raise e.InvalidInput(key, f"field {key} ({name}) is required", "format_error")
        return ""
    if not value.isascii() or not value.isdigit() or (size and len(value) != size):
        raise e.InvalidInput(key, f"field {key} ({name}) must be {size or 'some'} digits",
                             "format_error")
    return value


def _amount(fields: Fields, key: str) -> int:
    value = fields.get(key, "")
    if len(value) != 12 or not value.isascii() or not value.isdigit():
        raise e.InvalidInput(key, f"field {key} must be a 12-digit amount", "invalid_amount")
    return int(value)


def _currency(fields: Fields, key: str) -> str:
    code = NUMERIC_CURRENCIES.get(_digits(fields, key, 3, name="currency"))
    if code is None:
        raise e.InvalidInput(key, f"field {key} is not a supported ISO 4217 numeric currency",
                             "unknown_currency")
    return code


def acquirer(value: str) -> str:
    """Acquirer ids are numbers: ``00010000001`` (field 90) is ``10000001`` (field 32)."""
    return value.lstrip("0") or "0"


def key_fields(fields: Fields) -> tuple[str, str, str]:
    """The idempotency key of a request: acquirer id (32), STAN (11), transmission time (7)."""
    return (acquirer(_digits(fields, "32", name="acquirer id")),
            _digits(fields, "11", 6, name="STAN"),
            _digits(fields, "7", 10, name="transmission time"))


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    city: str
    country: str
    region: str | None


def place(value: str | None) -> Place:
    """Field 43: name (1-25), city (26-36), province (37-38, GB/T 2260 or ISO 3166-2:CN
    letters, blank when none), country (39-40, ISO 3166-1 alpha-2)."""
    if value is None or len(value) != 40:
        raise e.InvalidInput("43", "field 43 (card acceptor name/location) is required, "
                             "40 characters", "format_error")
    country = country_code(value[38:40], "43")
    province = value[36:38].strip()
    region = province_code(province, "43") if country == "CN" and province else None
    return Place(value[:25].strip(), value[25:36].strip(), country, region)


def to_authorization(
    fields: Fields, hash_pan: Callable[[str], str]
) -> tuple[CardRef, AuthorizationRequest, bool]:
    """The card, the request and whether a billing amount (field 6) was given."""
    kind = PROCESSING.get(_digits(fields, "3", 6, name="processing code")[:2])
    if kind is None:
        raise e.InvalidInput("3", "unsupported processing code", "invalid_transaction")
    if "2" not in fields:
        raise e.InvalidInput("2", "field 2 (PAN) is required", "format_error")
    ref = CardRef.from_pan(fields["2"], hash_pan)
    acq, stan, sent = key_fields(fields)
    amount, currency = _amount(fields, "4"), _currency(fields, "49")
    billing_given = "6" in fields
    billing = _amount(fields, "6") if billing_given else amount
    check_amount("4", amount, zero=kind is MessageKind.BALANCE_INQUIRY)
    entry = ENTRY_MODES.get(_digits(fields, "22", 3, name="POS entry mode")[:2])
    condition = CONDITIONS.get(_digits(fields, "25", 2, name="POS condition code"))
    if entry is None:
        raise e.InvalidInput("22", "unsupported POS entry mode", "format_error")
    if condition is None:
        raise e.InvalidInput("25", "unsupported POS condition code", "format_error")
    check_consistent(kind, amount, condition[0])
    where = place(fields.get("43"))
    request = AuthorizationRequest(
        kind=kind, amount=amount, currency=currency, billing_amount=billing,
        terminal=condition[0], card_present=condition[1], entry_mode=entry,
        country=where.country, region=where.region, pin_verified="52" in fields,
        merchant_id=fields.get("42", "").strip(), merchant_name=where.name,
        mcc=_digits(fields, "18", 4, required=False, name="MCC"), city=where.city,
        acquirer_id=acq, stan=stan, rrn=fields.get("37", "").strip(),
        transmission_time=sent, agreement_id=_agreement(fields.get("48")),
    )
    return ref, request, billing_given


def _agreement(value: str | None) -> str | None:
    if value is not None and len(value) > 64:
        raise e.InvalidInput("48", "the agreement id is at most 64 characters", "format_error")
    return value or None


def to_reversal(
    fields: Fields, hash_pan: Callable[[str], str]
) -> tuple[ReversalRequest, CardRef | None]:
    """A reversal names its original in field 90: MTI (1-4), STAN (5-10), transmission
    time (11-20), acquirer id (21-31); the rest is ignored. Field 95 makes it partial."""
    acq, stan, sent = key_fields(fields)
    original = _digits(fields, "90", 42, name="original data elements")
    amount = _amount(fields, "4") if "4" in fields else None
    ref = CardRef.from_pan(fields["2"], hash_pan) if "2" in fields else None
    reversal = ReversalRequest(
        acq, stan, sent, acquirer(original[20:31]), original[4:10], original[10:20],
        amount, repeat=fields["t"] in ("0401", "0421"), actual_amount=_actual(fields))
    return reversal, ref


def _actual(fields: Fields) -> int | None:
    """Field 95 (replacement amounts, an42): positions 1-12 are the amount that really
    took place, in the transaction currency; the rest (settlement amount, fees) is
    ignored. Absent or zero: a full reversal."""
    if "95" not in fields:
        return None
    value = fields["95"]
    head = value[:12]
    if len(value) != 42 or not head.isascii() or not head.isdigit():
        raise e.InvalidInput("95", "field 95 must be 42 characters, the first 12 the actual "
                             "amount", "invalid_amount")
    return int(head) or None


def _echo(fields: Fields, keys: tuple[str, ...], mti: str) -> Fields:
    answer = {k: fields[k] for k in keys if k in fields}
    answer["t"] = mti
    return answer


def balance_field(balance: int, currency: str) -> str:
    """Field 54: account type 00, amount type 02 (available balance), currency, C/D, 12
    digits."""
    sign = "C" if balance >= 0 else "D"
    return f"0002{ALPHA_TO_NUMERIC.get(currency, '000')}{sign}{abs(balance):012d}"


def answer_fields(fields: Fields, code: str, approval_code: str | None, balance: int,
                  currency: str) -> Fields:
    """0110/0210: the request's key and reference fields, 39, 38 when approved, 54."""
    answer = _echo(fields, AUTH_ECHO, response_mti(fields["t"]) or "0110")
    answer["39"] = code
    if approval_code:
        answer["38"] = approval_code
    answer["54"] = balance_field(balance, currency)
    return answer


def reversal_answer(fields: Fields) -> Fields:
    answer = _echo(fields, REVERSAL_ECHO, response_mti(fields["t"]) or "0410")
    answer["39"] = APPROVED  # acknowledged, whatever it changed (SPEC 5)
    return answer


def network_answer(fields: Fields) -> Fields:
    """0810: 39 is 00 for sign-on, sign-off and echo; 12 for another field 70 code."""
    answer = _echo(fields, ("7", "11", "70"), "0810")
    known = fields.get("70") in NETWORK_CODES
    answer["39"] = APPROVED if known else OTHER_RESPONSE_CODES["invalid_transaction"]
    return answer


def response_code_for(exc: BaseException) -> str:
    """The one place where SmartGuard errors become field 39; anything unexpected fails
    closed (96)."""
    if isinstance(exc, e.UnknownCard):
        return OTHER_RESPONSE_CODES["unknown_card"]
    if isinstance(exc, e.InvalidInput):
        if exc.code == "invalid_pan":
            return OTHER_RESPONSE_CODES["unknown_card"]
        if exc.code == "invalid_amount":
            return OTHER_RESPONSE_CODES["invalid_amount"]
        if exc.code == "invalid_transaction":
            return OTHER_RESPONSE_CODES["invalid_transaction"]
        return FORMAT_ERROR
    if isinstance(exc, e.IdempotencyConflict):
        return OTHER_RESPONSE_CODES["duplicate_conflict"]
    return OTHER_RESPONSE_CODES["system_error"]


def error_answer(fields: Fields, code: str) -> Fields | None:
    """An answer carrying only response code ``code``, or None when the MTI or the STAN
    cannot be read (then there is nothing to answer)."""
    mti = response_mti(fields.get("t", ""))
    stan = fields.get("11", "")
    if mti is None or len(stan) != 6 or not stan.isascii() or not stan.isdigit():
        return None
    answer = {"t": mti, "11": stan, "39": code}
    for key, size in (("7", 10), ("32", 0)):
        value = fields.get(key, "")
        if value.isascii() and value.isdigit() and (len(value) == size or
                                                    (not size and len(value) <= 11)):
            answer[key] = value
    return answer
