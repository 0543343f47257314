"""Terse builders for requests, card states and instants, so tests read as specifications.

Every request gets a fresh STAN, so two built requests never share an idempotency key
unless a test reuses the same value on purpose. Money is integer minor units (fen).
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from smartguard.domain.cards import CardStatus
from smartguard.domain.controls.values import (
    DEFAULT_CEILINGS,
    Ceilings,
    ChannelLimits,
    Controls,
    NightLock,
    NightScope,
    OverseasLock,
    Protection,
    ProtectionChange,
    RegionLock,
    Verification,
)
from smartguard.domain.decisions import Decision
from smartguard.domain.engine import decide
from smartguard.domain.pan import with_check_digit
from smartguard.domain.state import Agreement, CardState, Credit, TravelAllowance, Usage
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    ReversalRequest,
    TerminalType,
)

BEIJING = ZoneInfo("Asia/Shanghai")
ACQUIRER = "00000001"

_stans = itertools.count(1)
_HOME: Any = object()  # "the default province for the country" (CN-BJ in China)


def cny(yuan: int, fen: int = 0) -> int:
    """``cny(5_000)`` is 5,000.00 CNY in fen."""
    return yuan * 100 + fen


def at(iso: str) -> datetime:
    """An aware instant from ISO 8601 text that carries its offset (``...Z`` or ``+08:00``)."""
    value = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    assert value.tzinfo is not None, "give instants with an offset"
    return value


def beijing(hh: int, mm: int = 0, ss: int = 0, date: str = "2026-03-02") -> datetime:
    """Wall-clock time in Beijing (UTC+8, no daylight saving) on ``date``."""
    return datetime.fromisoformat(date).replace(hour=hh, minute=mm, second=ss, tzinfo=BEIJING)


def next_stan() -> str:
    return f"{next(_stans) % 1_000_000:06d}"


def valid_pan(body: str = "621226000000000") -> str:
    """A PAN with a valid check digit (a test number, never a real card)."""
    return with_check_digit(body)


# --- requests -------------------------------------------------------------------------

def request(
    kind: MessageKind = MessageKind.PURCHASE,
    amount: int = cny(100),
    *,
    terminal: TerminalType = TerminalType.POS,
    card_present: bool = True,
    entry_mode: EntryMode = EntryMode.CHIP,
    country: str = "CN",
    region: Any = _HOME,
    billing_amount: int | None = None,
    currency: str = "CNY",
    merchant_id: str = "MER000000000001",
    merchant_name: str = "Test Mart",
    stan: str | None = None,
    transmission_time: str = "0302120000",
    acquirer_id: str = ACQUIRER,
    agreement_id: str | None = None,
    **kw: Any,
) -> AuthorizationRequest:
    """A domestic (Beijing) chip purchase at a POS unless told otherwise. Overseas requests
    (``country`` not CN) carry no province unless one is given."""
    if region is _HOME:
        region = "CN-BJ" if country == "CN" else None
    return AuthorizationRequest(
        kind=kind, amount=amount, currency=currency,
        billing_amount=amount if billing_amount is None else billing_amount,
        terminal=terminal, card_present=card_present, entry_mode=entry_mode,
        country=country, region=region,
        merchant_id=merchant_id, merchant_name=merchant_name,
        acquirer_id=acquirer_id, stan=stan or next_stan(),
        transmission_time=transmission_time, agreement_id=agreement_id, **kw,
    )


def pos_purchase(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    return request(MessageKind.PURCHASE, amount, **kw)


def magstripe_purchase(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    return request(MessageKind.PURCHASE, amount, entry_mode=EntryMode.MAGSTRIPE, **kw)


def atm_withdrawal(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    kw.setdefault("terminal", TerminalType.ATM)
    return request(MessageKind.CASH_WITHDRAWAL, amount, **kw)


def atm_transfer(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    kw.setdefault("terminal", TerminalType.ATM)
    return request(MessageKind.TRANSFER, amount, **kw)


def online_purchase(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    """Card not present: e-commerce, no terminal."""
    kw.setdefault("entry_mode", EntryMode.ECOMMERCE)
    kw.setdefault("region", None)
    return request(MessageKind.PURCHASE, amount, terminal=TerminalType.NONE,
                   card_present=False, **kw)


def quick_payment(agreement_id: str = "AGR1", amount: int = cny(100),
                  **kw: Any) -> AuthorizationRequest:
    """A third-party quick payment (快捷支付) through ``agreement_id``."""
    kw.setdefault("entry_mode", EntryMode.CREDENTIAL_ON_FILE)
    return online_purchase(amount, agreement_id=agreement_id, **kw)


def balance_inquiry(**kw: Any) -> AuthorizationRequest:
    kw.setdefault("terminal", TerminalType.ATM)
    return request(MessageKind.BALANCE_INQUIRY, 0, **kw)


def refund(amount: int = cny(100), **kw: Any) -> AuthorizationRequest:
    return request(MessageKind.REFUND, amount, **kw)


def reversal_of(original: AuthorizationRequest, stan: str | None = None,
                repeat: bool = False, actual: int | None = None) -> ReversalRequest:
    """A reversal (0400, or 0401 when ``repeat``) naming ``original`` by its key; partial
    when ``actual`` (the amount that really took place) is given."""
    return ReversalRequest(
        acquirer_id=original.acquirer_id, stan=stan or next_stan(),
        transmission_time=original.transmission_time,
        original_acquirer_id=original.acquirer_id, original_stan=original.stan,
        original_transmission_time=original.transmission_time,
        amount=original.amount, repeat=repeat, actual_amount=actual,
    )


# --- card state -------------------------------------------------------------------------

def controls(**kw: Any) -> Controls:
    """Product defaults (all locks off, magstripe verification on) with ``kw`` replaced."""
    return replace(Controls(), **kw)


def region_lock(*places: str) -> RegionLock:
    return RegionLock(True, places)


def overseas_lock(*places: str) -> OverseasLock:
    return OverseasLock(True, places)


def night_lock(start: time = time(23), end: time = time(5),
               scope: NightScope = NightScope.DOMESTIC) -> NightLock:
    return NightLock(True, start, end, scope)


def large_purchase(threshold: int = cny(5_000), magstripe: bool = True) -> Verification:
    return Verification(magstripe=magstripe, large_purchase=True, large_threshold=threshold)


def limits(**kw: int | None) -> ChannelLimits:
    return ChannelLimits(**kw)


def card_state(
    *,
    status: CardStatus = CardStatus.ACTIVE,
    balance: int = cny(100_000),
    timezone: str = "Asia/Shanghai",
    ceilings: Ceilings = DEFAULT_CEILINGS,
    usage: dict[str, Usage] | None = None,
    agreement: Agreement | None = None,
    credit: Credit | None = None,
    travel: tuple[TravelAllowance, ...] = (),
    controls_: Controls | None = None,
    **control_kw: Any,
) -> CardState:
    """An active card with 100,000.00 CNY; keyword arguments named after a field of
    :class:`Controls` (``night_lock=``, ``limits=``...) set that protection."""
    base = controls_ if controls_ is not None else Controls()
    return CardState(
        status=status, controls=replace(base, **control_kw), balance=balance,
        timezone=timezone, ceilings=ceilings, usage=usage or {}, agreement=agreement,
        credit=credit, travel=travel,
    )


def judge(req: AuthorizationRequest, state: CardState | None = None,
          now: datetime | None = None) -> Decision:
    """The engine's decision at ``now`` (default: Monday 2026-03-02 12:00 Beijing)."""
    return decide(req, state or card_state(), now or beijing(12))


def change(name: str, value: Any) -> ProtectionChange:
    """A change of the protection ``name`` (as the API names it) to ``value``."""
    return ProtectionChange(Protection(name), value)
