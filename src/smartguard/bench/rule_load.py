"""What ``engine_bench.py --rules`` adds to each decision: the bank's live monitoring rules
run as the authorization path runs them (``monitoring.run``, then the finding handed to the
engine), over a card with a realistic day of activity.

- ``starter``: the six rules of the starter pack, all active;
- ``50``: the starter pack and 44 more, of the same shapes with other thresholds.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from smartguard.adapters.cel_rules import CelLanguage
from smartguard.domain.activity import CardActivity
from smartguard.domain.cards import Account, Card, Cardholder
from smartguard.domain.rule_variables import SAMPLES
from smartguard.domain.rules import MonitoringRule, RuleStatus
from smartguard.domain.state import CardState
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.service_layer import monitoring
from smartguard.service_layer import rules as ru
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.service_layer.records import CardRecord
from smartguard.service_layer.starter_pack import starter_rules

LANGUAGE = CelLanguage(SAMPLES)
MORE = (
    'kind == "cash_withdrawal" && amount >= {a} && count_1h_atm_cash >= {n}',
    'channel == "online" && sum_24h_online + amount > {a} && provinces_24h >= {n}',
    "card_present && km_from_last >= {a} && minutes_since_last < {n}",
    'quick_pay && count_10m_quick_pay >= {n} && amount >= {a}',
    '!domestic && countries_24h >= {n} && sum_24h > {a}',
    'mcc in ["4829", "6051", "7995"] && amount > {a} && count_30d < {n}',
    "declines_1h >= {n} && amount >= {a} && local_hour < 6",
    'entry_mode == "manual" && amount > {a} && card_age_days < {n}',
)


def rules(which: str) -> tuple[MonitoringRule, ...]:
    now = datetime(2026, 11, 1, tzinfo=UTC)
    found = [MonitoringRule(s.id, 1, s.name, s.expression, s.action, RuleStatus.ACTIVE,
                            s.message_zh, s.message_en, "bench", now)
             for s in starter_rules()]
    if which == "50":
        for i in range(44):
            source = MORE[i % len(MORE)].format(a=(i + 1) * 10_000, n=i % 5 + 2)
            found.append(replace(found[0], id=f"more_{i}", expression=source))
    for rule in found:
        LANGUAGE.compile(rule.expression)  # once per process, as the live path does
    return tuple(found)


def install_live(data_dir: Path, which: str, database_url: str = "",
                 status: RuleStatus = RuleStatus.ACTIVE) -> int:
    """Make ``which`` the live rule set of the store in ``data_dir``, through the rules use
    case as an operator would (create, shadow, then activate unless ``status`` is shadow;
    four eyes off in the benchmark's configuration). Returns how many rules are in
    ``status``."""
    from smartguard.bootstrap import bootstrap
    from smartguard.config import load

    sg = bootstrap(load(None, data_dir=data_dir, database_url=database_url))
    actor = Actor("bench-operator", "bench")

    def job(uow: UnitOfWork) -> int:
        for r in rules(which):
            ru.create(uow, sg.ctx, actor, r.id, r.name, r.expression, r.action,
                      r.message_zh, r.message_en)
            ru.move(uow, sg.ctx, actor, r.id, RuleStatus.SHADOW)
            if status is RuleStatus.ACTIVE and ru.move(
                    uow, sg.ctx, actor, r.id, RuleStatus.ACTIVE).status is not status:
                raise SystemExit("the benchmark's store asks for four eyes")
        return sum(r.status is status for r in uow.rules.live())

    try:
        return sg.write(job)
    finally:
        sg.close()


def card(state: CardState) -> CardRecord:
    return CardRecord(Card("card1", "holder1", "acct1", "622202", "0001"),
                      Cardholder("holder1", "Wang", "+8613800000001", timezone=state.timezone),
                      Account("acct1", "holder1", "CNY", state.balance), state.controls)


def activity(timezone: str) -> CardActivity:
    """A busy card's last day: 12 debits on three channels in two provinces, a balance
    inquiry, a month of history, a binding changed a week ago."""
    a = CardActivity(timezone)
    start = datetime(2026, 11, 24, 19, 0, tzinfo=UTC)
    for day in range(1, 29):
        a.record(f"old{day}", _debit(TerminalType.POS, "CN-HA"),
                 start - timedelta(days=day), True)
    places = [(TerminalType.POS, "CN-HA"), (TerminalType.ATM, "CN-HA"),
              (TerminalType.NONE, None), (TerminalType.POS, "CN-BJ")]
    for i in range(12):
        terminal, region = places[i % len(places)]
        a.record(f"d{i}", _debit(terminal, region), start + timedelta(minutes=35 * i),
                 i % 5 != 0)
    a.record("inq", _debit(TerminalType.ATM, "CN-HA", MessageKind.BALANCE_INQUIRY),
             start + timedelta(hours=6), True)
    a.changed("binding", start - timedelta(days=7))
    a.changed("enrolled", start - timedelta(days=400))
    return a


def _debit(terminal: TerminalType, region: str | None,
           kind: MessageKind = MessageKind.PURCHASE) -> AuthorizationRequest:
    present = terminal is not TerminalType.NONE
    kind = MessageKind.CASH_WITHDRAWAL if terminal is TerminalType.ATM and \
        kind is MessageKind.PURCHASE else kind
    return AuthorizationRequest(
        kind, 0 if kind is MessageKind.BALANCE_INQUIRY else 8_800, "CNY",
        0 if kind is MessageKind.BALANCE_INQUIRY else 8_800, terminal, present,
        EntryMode.CHIP if present else EntryMode.ECOMMERCE, "CN", region, city="Zhengzhou")


def watched(live: tuple[MonitoringRule, ...], request: AuthorizationRequest,
            state: CardState, record: CardRecord, act: CardActivity, now: datetime,
            local: datetime) -> CardState:
    """The state the engine decides on, as ``authorize`` gives it (debits only)."""
    if not request.is_debit:
        return state
    outcome = monitoring.run(LANGUAGE, live, request, record, act, now, local)
    return replace(state, monitoring=outcome.verdict) if outcome.verdict else state
