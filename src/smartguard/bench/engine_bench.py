"""Benchmark: the pure decision engine, in-process, on one core.

    python bench/engine_bench.py [--seconds 3] [--runs 5] [--every-control]
                                 [--rules none|starter|50]

Decides a realistic mix of requests (approvals, lock declines, limits, verification) against
a few card states and reports decisions per second (median of the runs). With
``--every-control`` every card also has the controls beyond Smart Guard set: switches off,
categories blocked and with amounts, merchant lists, a running unlock, alert-only targets.
With ``--rules`` each debit first goes through the bank's monitoring rules, all active, as
the authorization path runs them (``smartguard.bench.rule_load``): the starter pack, or 50.
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time

from smartguard.bench import progress, rule_load
from smartguard.domain.cards import CardStatus
from smartguard.domain.controls import spending as sp
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import Category
from smartguard.domain.engine import decide
from smartguard.domain.periods import local_time
from smartguard.domain.rules import MonitoringRule
from smartguard.domain.state import CardState, Usage
from smartguard.domain.transactions import (
    AuthorizationRequest,
    Channel,
    EntryMode,
    MessageKind,
    TerminalType,
)


def every_control(c: s.Controls) -> s.Controls:
    """``c`` with every control beyond Smart Guard set (SPEC 3.12)."""
    start = datetime(2026, 11, 25, tzinfo=UTC)
    return replace(
        c, switches=sp.Switches(frozenset({sp.Switch.CONTACTLESS, sp.Switch.QUICK_PAY,
                                           sp.Switch.ONLINE_OVERSEAS})),
        categories={Category.GAMBLING: sp.CategoryControl(True),
                    Category.MONEY_TRANSFER: sp.CategoryControl(False, 500_000),
                    Category.QUASI_CASH: sp.CategoryControl(True)},
        merchants=sp.Merchants({"BAD1": "Bad", "BAD2": "Worse"}, {"BILL1": "Power"}),
        unlocks=(sp.Unlock("night_lock", start, start + timedelta(hours=1)),),
        alert_only=frozenset({"switches.online_overseas", "categories.quasi_cash"}))


def states(every: bool = False) -> list[CardState]:
    found = _states()
    if not every:
        return found
    return [replace(st, controls=every_control(st.controls)) for st in found]


def _states() -> list[CardState]:
    locked = s.Controls(
        region_lock=s.region_lock(True, ["CN-HA", "CN-BJ"]),
        overseas_lock=s.overseas_lock(True, ["JP"]),
        night_lock=s.night_lock(True, clock_time(23), clock_time(5)),
        overseas_cnp_lock=True,
        verification=s.verification(True, True, 500_000),
        limits={Channel.ATM_CASH: s.ChannelLimits(daily_amount=500_000, daily_count=5)},
    )
    usage = {"atm_cash": Usage(300_000, 3, 900_000), "pos": Usage(10_000, 2, 50_000)}
    return [
        CardState(CardStatus.ACTIVE, s.Controls(), 5_000_000),
        CardState(CardStatus.ACTIVE, locked, 5_000_000, usage=usage),
        CardState(CardStatus.ACTIVE, locked, 20_000, timezone="Europe/London", usage=usage),
        CardState(CardStatus.FROZEN, locked, 5_000_000),
    ]


def requests() -> list[AuthorizationRequest]:
    def r(kind: MessageKind, amount: int, terminal: TerminalType, present: bool,
          mode: EntryMode, country: str, region: str | None, mcc: str = "5411"
          ) -> AuthorizationRequest:
        return AuthorizationRequest(kind, amount, "CNY", amount, terminal, present, mode,
                                    country, region, merchant_id="M1", acquirer_id="1",
                                    stan="000001", transmission_time="1125120000", mcc=mcc)

    P, W = MessageKind.PURCHASE, MessageKind.CASH_WITHDRAWAL
    return [
        r(P, 12_800, TerminalType.POS, True, EntryMode.CHIP, "CN", "CN-HA"),
        r(W, 200_000, TerminalType.ATM, True, EntryMode.CHIP, "CN", "CN-GD"),
        r(P, 30_000, TerminalType.POS, True, EntryMode.MAGSTRIPE, "CN", "CN-BJ"),
        r(P, 39_900, TerminalType.NONE, False, EntryMode.ECOMMERCE, "US", None),
        r(P, 899_900, TerminalType.POS, True, EntryMode.CHIP, "CN", "CN-SH"),
        r(W, 100_000, TerminalType.ATM, True, EntryMode.CHIP, "JP", None),
        r(MessageKind.BALANCE_INQUIRY, 0, TerminalType.ATM, True, EntryMode.CHIP, "CN",
          "CN-HA"),
        r(P, 5_000, TerminalType.POS, True, EntryMode.CONTACTLESS, "CN", "CN-HA"),
        r(P, 20_000, TerminalType.NONE, False, EntryMode.ECOMMERCE, "CN", None, "7995"),
        r(P, 60_000, TerminalType.NONE, False, EntryMode.ECOMMERCE, "CN", None, "4829"),
    ]


def run(seconds: float, every: bool = False, label: str = "engine", rules: str = "none"
        ) -> tuple[float, float]:
    """Decisions per wall-clock second and per CPU second of this process (the second
    is steadier on a shared machine: time spent waiting for a core is not counted)."""
    pairs = [(q, st) for st in states(every) for q in requests()]
    times = [datetime(2026, 11, 25, h, 30, tzinfo=UTC) for h in (2, 8, 15, 18)]
    if rules != "none":
        return _run_watched(seconds, pairs, times, rule_load.rules(rules))
    n = 0
    start, cpu = time.perf_counter(), time.process_time()
    end, tick = start + seconds, start + 1.0
    while (now_s := time.perf_counter()) < end:
        if now_s >= tick:
            progress.report(label, now_s - start, seconds, f"{n:,} decisions")
            tick += 1.0
        for now in times:
            for q, st in pairs:
                decide(q, st, now)
        n += len(times) * len(pairs)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def _run_watched(seconds: float, pairs: list[tuple[AuthorizationRequest, CardState]],
                 times: list[datetime], live: tuple[MonitoringRule, ...]
                 ) -> tuple[float, float]:
    cards = {id(st): (rule_load.card(st), rule_load.activity(st.timezone)) for _, st in pairs}
    zones = {st.timezone for _, st in pairs}
    local = {(now, z): local_time(now, z) for now in times for z in zones}
    n = 0
    start, cpu = time.perf_counter(), time.process_time()
    end = start + seconds
    while time.perf_counter() < end:
        for now in times:
            for q, st in pairs:
                record, act = cards[id(st)]
                seen = rule_load.watched(live, q, st, record, act, now,
                                         local[now, st.timezone])
                decide(q, seen, now)
        n += len(times) * len(pairs)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--every-control", action="store_true",
                    help="every card has the controls beyond Smart Guard set too")
    ap.add_argument("--rules", choices=["none", "starter", "50"], default="none",
                    help="the bank's monitoring rules each debit goes through first")
    args = ap.parse_args(argv)
    found = [run(args.seconds, args.every_control, f"engine run {i + 1}", args.rules)
             for i in range(args.runs)]
    rates, cpu = [w for w, _ in found], [c for _, c in found]
    print("engine decisions/s per run: " + ", ".join(f"{r:,.0f}" for r in rates))
    print("per CPU second: " + ", ".join(f"{r:,.0f}" for r in cpu))
    print(f"median: {statistics.median(rates):,.0f} decisions/s on one core "
          f"({statistics.median(cpu):,.0f} per CPU second, "
          f"{1e6 / statistics.median(cpu):.1f} CPU µs per decision)")


if __name__ == "__main__":
    main()
