"""Recorded histories for advisor tests: a ledger that writes down what happened to a card
(approved or declined, with the balance it left), so tests read like a bank statement."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from typing import Any

from smartguard.domain.advisor.history import Past
from smartguard.domain.advisor.subject import Subject
from smartguard.domain.controls.values import Controls
from smartguard.domain.decisions import Outcome, Reason, Verdict
from smartguard.domain.transactions import AuthorizationRequest, MessageKind
from tests.builders import beijing, cny, pos_purchase

NOW = beijing(12, date="2026-03-02")  # a Monday, noon in Beijing
_ids = itertools.count(1)


def days_ago(days: float, hh: int = 12, mm: int = 0) -> datetime:
    """``hh:mm`` Beijing time, ``days`` days before NOW's date."""
    day = NOW - timedelta(days=days)
    return day.replace(hour=hh, minute=mm, second=0)


class Ledger:
    def __init__(self, balance: int = cny(100_000)) -> None:
        self.balance = balance
        self.items: list[Past] = []

    def approved(self, req: AuthorizationRequest, at: datetime, **kw: Any) -> Past:
        if req.kind is MessageKind.REFUND:
            self.balance += req.billing_amount
        elif req.is_debit:
            self.balance -= req.billing_amount
        return self._add(req, at, Outcome.APPROVE, (), **kw)

    def declined(self, req: AuthorizationRequest, at: datetime, *reasons: Reason,
                 detail: str = "") -> Past:
        verdicts = tuple(Verdict(r, detail) for r in reasons)
        return self._add(req, at, Outcome.DECLINE, verdicts)

    def _add(self, req: AuthorizationRequest, at: datetime, outcome: Outcome,
             verdicts: tuple[Verdict, ...], **kw: Any) -> Past:
        p = Past(f"auth_{next(_ids):05d}", at, req, outcome, verdicts, self.balance, **kw)
        self.items.append(p)
        self.items.sort(key=lambda x: x.at)
        return p

    def history(self) -> tuple[Past, ...]:
        return tuple(self.items)

    def subject(self, controls: Controls | None = None, **kw: Any) -> Subject:
        return Subject(controls=controls or Controls(), now=NOW, history=self.history(),
                       **kw)


def steady(ledger: Ledger, days: int = 60, region: str = "CN-HA", amount: int = cny(50)
           ) -> None:
    """A quiet cardholder: one chip POS purchase a day at 12:00 in ``region``."""
    for d in range(1, days + 1):
        ledger.approved(pos_purchase(amount, region=region), days_ago(d))
