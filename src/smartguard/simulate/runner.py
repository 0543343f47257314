"""Plays a plan through SmartGuard itself: the App from ``bootstrap`` on an embedded SQLite
store in a directory of its own, every transaction through the authorize use case and the
engine, every cardholder reaction through the SMS and card use cases, all of it through
the writer (``App.write``), on a clock the simulation moves."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from functools import partial
from pathlib import Path

from smartguard.adapters.sql.outbox import utc
from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain import alerts as a
from smartguard.service_layer import agreements, alert_preferences, cards
from smartguard.service_layer.authorize import CardRef
from smartguard.service_layer.context import Actor
from smartguard.service_layer.ports import UnitOfWork
from smartguard.simulate import draw, rulepack
from smartguard.simulate.cardholder import Cardholder
from smartguard.simulate.configurations import Configuration
from smartguard.simulate.model import Plan, Reaction, SimClock
from smartguard.simulate.play import Player
from smartguard.simulate.scenario import Scenario
from smartguard.simulate.tally import Tally

CHUNK = 2_000  # events played per job of the writer (one transaction)
ENROL_CHUNK = 500
BANK = Actor("simulator", "cli")
PROCESSOR = Actor("simulator-processor", "api")
PAYEES = ("Alipay", "WeChat Pay", "UnionPay QuickPass")
#: "Alerts off": no balance-change, inquiry or decline SMS (codes and security alerts
#: always go by SMS, SPEC 3.5 and 3.10).
QUIET = a.preferences({"balance_change": [], "balance_inquiry": [], "decline": []}, 0)


def run(sc: Scenario, plan: Plan, config: Configuration, data_dir: Path,
        progress: Callable[[int], None] | None = None) -> Tally:
    """Play ``plan`` under ``config`` on a new store in ``data_dir``; the tally."""
    clock = SimClock(plan.start - timedelta(days=30))
    app = bootstrap(load(None, data_dir=data_dir), clock=clock, throwaway=True)
    ids = itertools.count()
    codes = draw.stream(sc.run.seed, "codes", config.name)
    app.ctx = replace(app.ctx, new_id=lambda prefix: f"{prefix}_{next(ids):012x}",
                      new_code=lambda: f"{codes.randrange(1_000_000):06d}",
                      alert_channels=frozenset({"sms"}) if config.sms else frozenset())
    try:
        player = Player(app.ctx, plan, config, Cardholder(sc.cardholder, sc.run.seed),
                        Tally.of(plan), clock, sc.attacks)
        if config.rules is not None:
            app.write(partial(rulepack.install, ctx=app.ctx, status=config.rules))
        for first in range(0, len(plan.holders), ENROL_CHUNK):
            player.cards += app.write(partial(_enrol, player=player, first=first))
        if config.learn:
            for h in plan.holders:
                player.push(plan.measured_from, Reaction("learn", h.index))
        while player.pending():
            app.write(lambda uow: player.play(uow, CHUNK))
            if progress is not None:
                progress(player.played)
        player.tally.alerts.update(_sms_sent(app.settings.sqlite_path, plan))
        return player.tally
    finally:
        app.close()


def _enrol(uow: UnitOfWork, player: Player, first: int) -> list[tuple[str, str]]:
    """Cardholders ``first``... enrolled with their card, agreements and alert choices;
    their (card id, cardholder id)."""
    ctx, config = player.ctx, player.config
    out = []
    for h in player.plan.holders[first:first + ENROL_CHUNK]:
        holder = cards.enrol_cardholder(uow, ctx, BANK, f"Cardholder {h.index}", h.phone,
                                        h.language, h.home.timezone)
        account = cards.open_account(uow, ctx, BANK, holder.id, "CNY", h.balance)
        card = cards.enrol_card(uow, ctx, BANK, h.pan, account.id,
                                controls=config.controls(h)).card
        for n, agreement in enumerate(h.bindings):
            agreements.register_agreement(uow, ctx, PROCESSOR, CardRef(card_id=card.id),
                                          agreement, PAYEES[n % len(PAYEES)])
        if not config.alerts:
            alert_preferences.set_preferences(uow, ctx, BANK, card.id, QUIET)
        out.append((card.id, holder.id))
    return out


def _sms_sent(path: Path, plan: Plan) -> dict[str, int]:
    """SMS written to the outbox in the measured period, by kind (read-only, after the
    run: the outbox has no count by time, and the report needs nothing else from it)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute("SELECT kind, count(*) FROM outbox WHERE channel = 'sms' AND "
                          "created_at >= ? AND created_at < ? GROUP BY kind",
                          (utc(plan.measured_from), utc(plan.end))).fetchall()
    return {str(kind): int(n) for kind, n in rows}

