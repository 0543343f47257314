"""Use cases: sign a cardholder in with the card's last 4 digits, the registered phone and a
one-time code by SMS; sign an operator in with an operator API key.

Whether the card and phone match is never told to the person asking: a request for a code
always answers with a code id, and a wrong pair simply gets an id no code will open. Codes
are kept as keyed hashes, expire after :data:`CODE_VALIDITY`, and die after
:data:`MAX_CODE_ATTEMPTS` wrong tries. Every request is counted per phone and per client
address (:data:`PER_PHONE`, :data:`PER_CLIENT`); a refused attempt changes nothing else.
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from smartguard.domain.alerts import DeliveryChannel, sign_in_code
from smartguard.domain.cards import CardStatus
from smartguard.errors import InvalidInput, SmartGuardError
from smartguard.service_layer import keys, notify
from smartguard.service_layer.cards import check_phone
from smartguard.service_layer.context import Context
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import AuditEntry, Role
from smartguard.service_layer.sessions import Limit, attempt, open_session
from smartguard.service_layer.web_records import SessionKind, SignInCode

CODE_VALIDITY = timedelta(minutes=5)
MAX_CODE_ATTEMPTS = 5
PER_PHONE = Limit(5, timedelta(minutes=15))  # code requests per phone
PER_CLIENT = Limit(20, timedelta(minutes=15))  # code requests, code tries, operator sign-ins



class SignInStatus(StrEnum):
    SENT = "sent"  # (as far as the asker can tell) a code is on its way
    SIGNED_IN = "signed_in"
    WRONG_CODE = "wrong_code"  # wrong, expired, used up or unknown: one answer for all
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"  # the bank writes no SMS at all: no code can be sent
    REFUSED = "refused"  # operator sign-in: not a usable operator key


@dataclass(frozen=True, slots=True)
class SignInResult:
    outcome: SignInStatus
    code_id: str | None = None  # SENT: the code to ask for next
    token: str | None = None  # SIGNED_IN: the session token for the cookie
    subject: str | None = None  # SIGNED_IN: cardholder id, or operator key id


def normalize_phone(text: str) -> str:
    """``138 0013 8000``, ``0086...`` or ``+86...`` -> ``+8613800138000`` (E.164)."""
    digits = re.sub(r"[\s\-()]", "", text)
    if digits.startswith("00"):
        digits = "+" + digits[2:]
    if re.fullmatch(r"1[3-9][0-9]{9}", digits):
        digits = "+86" + digits
    return check_phone(digits)


def request_code(uow: UnitOfWork, ctx: Context, last4: str, phone: str, client: str
                 ) -> SignInResult:
    """Text a code (through the outbox, in this transaction) to the cardholder whose card
    ends in ``last4`` and whose registered phone is ``phone``; ``client`` is the asker's
    address (for the attempt limit)."""
    if DeliveryChannel.SMS.value not in ctx.alert_channels:
        return SignInResult(SignInStatus.UNAVAILABLE)
    if not re.fullmatch(r"[0-9]{4}", last4.strip()):
        raise InvalidInput("last4", "enter the last 4 digits of the card", "invalid_last4")
    number = normalize_phone(phone)
    within = attempt(uow, ctx, "code_phone", number, PER_PHONE)
    within = attempt(uow, ctx, "code_client", client, PER_CLIENT) and within
    if not within:
        return SignInResult(SignInStatus.THROTTLED)
    found = [r for r in uow.cards.search(last4.strip(), number, 10)
             if r.card.status is not CardStatus.CLOSED]
    code_id = ctx.new_id("sgn")
    if not found:
        return SignInResult(SignInStatus.SENT, code_id)  # the same answer: nothing to learn here
    record = found[0]
    code = ctx.new_code()
    now = ctx.clock()
    expires = now + CODE_VALIDITY
    uow.signins.add(SignInCode(code_id, record.cardholder.id, record.card.id,
                               ctx.hash_code(code), now, expires))
    notify.emit(uow, ctx, sign_in_code(notify.recipient(record), code, expires))
    return SignInResult(SignInStatus.SENT, code_id)


def verify_code(uow: UnitOfWork, ctx: Context, code_id: str, code: str, client: str
                ) -> SignInResult:
    """Check the code; the right one, in time, opens a cardholder session (once)."""
    if not attempt(uow, ctx, "verify_client", client, PER_CLIENT):
        return SignInResult(SignInStatus.THROTTLED)
    sent = uow.signins.get(code_id)
    now = ctx.clock()
    if (sent is None or sent.used_at is not None or now >= sent.expires_at
            or sent.attempts >= MAX_CODE_ATTEMPTS):
        return SignInResult(SignInStatus.WRONG_CODE)
    if not hmac.compare_digest(ctx.hash_code(code.strip()), sent.code_hash):
        uow.signins.failed_attempt(code_id)
        return SignInResult(SignInStatus.WRONG_CODE)
    uow.signins.use(code_id, now)
    token = open_session(uow, ctx, SessionKind.CARDHOLDER, sent.cardholder_id, sent.card_id)
    uow.audit.add(AuditEntry(now, f"web:{sent.cardholder_id}", "web", "web.sign_in",
                             sent.card_id, sent.cardholder_id))
    return SignInResult(SignInStatus.SIGNED_IN, token=token, subject=sent.cardholder_id)


OPERATOR_ROLES = frozenset({Role.OPERATOR, Role.ADMIN})


def operator_sign_in(uow: UnitOfWork, ctx: Context, api_key: str, client: str) -> SignInResult:
    """Exchange an operator (or admin) API key for a console session."""
    if not attempt(uow, ctx, "operator_client", client, PER_CLIENT):
        return SignInResult(SignInStatus.THROTTLED)
    try:
        key_id, secret = keys.parse_token(api_key.strip())
        key = keys.verify(uow.keys.get(key_id), secret)
    except SmartGuardError:
        return SignInResult(SignInStatus.REFUSED)
    if key.role not in OPERATOR_ROLES:
        return SignInResult(SignInStatus.REFUSED)
    token = open_session(uow, ctx, SessionKind.OPERATOR, key.id, key.role.value)
    uow.audit.add(AuditEntry(ctx.clock(), f"key:{key.id}", "console", "console.sign_in"))
    return SignInResult(SignInStatus.SIGNED_IN, token=token, subject=key.id)
