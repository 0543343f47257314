"""Sixty days of history for the demo's Zhang Jianguo, an elderly cardholder with every
protection off, recorded through the real authorization path before the scripted day, so
that the check-up and the preview have something true to say:

- market shopping in Henan most mornings, cash from an ATM in Henan every week;
- a holiday in Hainan seven weeks ago;
- two quick-payment bindings: a video membership never used since it was signed, and
  "NightCat Mall", which takes money at night (the hidden-binding scam of the seed story);
- a balance inquiry at an ATM in Guangdong at 01:40 (card skimmers probe balances first);
- his pension; yesterday what is above his usual balance went to savings.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from smartguard.bootstrap import App
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    Posting,
    TerminalType,
)
from smartguard.service_layer import agreements, postings
from smartguard.service_layer import authorize as az
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord

ZONE = ZoneInfo("Asia/Shanghai")
PROCESSOR = Actor("demo-processor", "api")
VIDEO, NIGHTCAT = "VIDEOVIP-7731", "NIGHTCAT-0042"
_stans = itertools.count(500_001)


def _req(kind: MessageKind, amount: int, merchant: str, region: str | None,
         terminal: TerminalType = TerminalType.POS, **kw: Any) -> AuthorizationRequest:
    stan = f"{next(_stans):06d}"
    present = terminal is not TerminalType.NONE
    return AuthorizationRequest(
        kind=kind, amount=amount, currency="CNY", billing_amount=amount, terminal=terminal,
        card_present=present, entry_mode=kw.pop("entry_mode", EntryMode.CHIP),
        country="CN", region=region, merchant_id=merchant[:15].upper().replace(" ", ""),
        merchant_name=merchant, acquirer_id="10000009", stan=stan,
        transmission_time=f"hist-{stan}", **kw)


Event = AuthorizationRequest | str | int  # a payment, a binding signed, a pension credited


def _events(today: date) -> list[tuple[datetime, Event]]:
    def at(days: int, hh: int, mm: int = 0) -> datetime:
        return datetime.combine(today - timedelta(days=days), time(hh, mm), ZONE)

    out: list[tuple[datetime, Event]] = [
        (at(120, 10), VIDEO), (at(61, 8), 2_000_000), (at(40, 21), NIGHTCAT)]
    for d in range(60, 0, -1):
        if d % 7 == 0:
            out.append((at(d, 10, 15), _req(MessageKind.CASH_WITHDRAWAL, 100_000,
                                            "ICBC ATM Luoyang", "CN-HA", TerminalType.ATM)))
        elif d not in (49, 50):
            out.append((at(d, 9, 30), _req(MessageKind.PURCHASE, 3_500 + (d * 1_370) % 14_000,
                                           "Luoyang Market", "CN-HA")))
    out += [
        (at(50, 19), _req(MessageKind.PURCHASE, 68_000, "Sanya Seafood", "CN-HI")),
        (at(49, 11), _req(MessageKind.PURCHASE, 24_000, "Sanya Souvenirs", "CN-HI")),
        (at(18, 2, 40), _quick(19_900)), (at(6, 3, 5), _quick(29_900)),
        (at(5, 1, 40), _req(MessageKind.BALANCE_INQUIRY, 0, "ATM Dongguan", "CN-GD",
                            TerminalType.ATM)),
    ]
    return sorted(out, key=lambda e: e[0])


def _quick(amount: int) -> AuthorizationRequest:
    return _req(MessageKind.PURCHASE, amount, "NightCat Mall", None, TerminalType.NONE,
                entry_mode=EntryMode.CREDENTIAL_ON_FILE, agreement_id=NIGHTCAT)


def seed(sg: App, clock: Any, card: CardRecord, today: date) -> None:
    """Record the history through the use cases, each at its own moment; then move what is
    above the opening balance to savings, so the scripted day starts from it."""
    ref = az.CardRef(card_id=card.card.id)
    payees = {VIDEO: "视频会员 VideoVIP", NIGHTCAT: "夜猫商城 NightCat Mall"}

    def record(uow: UnitOfWork, event: Event) -> None:
        if isinstance(event, str):
            agreements.register_agreement(uow, sg.ctx, PROCESSOR, ref, event, payees[event])
        elif isinstance(event, int):
            postings.post(uow, sg.ctx, Posting(f"pension-{sg.ctx.clock().date()}",
                                               card.account.id, event, "Pension 养老金"))
        else:
            az.authorize(uow, sg.ctx, ref, event)

    for moment, event in _events(today):
        clock.fixed = moment
        sg.write(partial(record, event=event))
    clock.fixed = datetime.combine(today - timedelta(days=1), time(8), ZONE)
    sg.write(partial(_to_savings, sg=sg, card=card, key=today.isoformat()))
    clock.fixed = None


def _to_savings(uow: UnitOfWork, sg: App, card: CardRecord, key: str) -> None:
    account = uow.accounts.get(card.account.id)
    assert account is not None
    if account.balance != card.account.balance:
        postings.post(uow, sg.ctx, Posting(f"savings-{key}", account.id,
                                           card.account.balance - account.balance,
                                           "To savings 转存定期"))
