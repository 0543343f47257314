"""A benchmark population: many cardholders with a spread of protections, on a data dir."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import Channel
from smartguard.service_layer import cards, keys
from smartguard.service_layer.context import Actor
from smartguard.service_layer.records import Role

ACTOR = Actor("bench", "cli")


@dataclass(frozen=True)
class Population:
    pans: list[str]
    token: str


def controls_for(i: int) -> s.Controls:
    kind = i % 4
    if kind == 0:
        return s.Controls()
    if kind == 1:
        return s.Controls(region_lock=s.region_lock(True, ["CN-BJ", "CN-HA"]))
    if kind == 2:
        return s.Controls(night_lock=s.night_lock(True, time(23), time(5)),
                          overseas_cnp_lock=True)
    return s.Controls(
        overseas_lock=s.overseas_lock(True, ["JP"]),
        limits={Channel.POS: s.ChannelLimits(per_txn=200_000, daily_count=50)},
    )


def build(data_dir: Path, n_cards: int = 1000, database_url: str = "") -> Population:
    """Enrol ``n_cards`` cards (balance 1,000,000 CNY each) and a processor key, on the
    data dir's SQLite or on ``database_url``."""
    sg = bootstrap(load(None, data_dir=data_dir, database_url=database_url))
    pans = [with_check_digit(f"62220299{i:010d}") for i in range(n_cards)]

    def job(uow: Any) -> str:
        for i, pan in enumerate(pans):
            h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, f"Bench {i}", f"+86139{i:08d}")
            a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 100_000_000)
            cards.enrol_card(uow, sg.ctx, ACTOR, pan, a.id, controls=controls_for(i))
        return keys.create_key(uow, sg.ctx, Role.PROCESSOR, "bench")[1]

    try:
        token = sg.write(job)
    finally:
        sg.close()
    return Population(pans, token)


def mixed_request(rng: random.Random, pans: list[str]) -> dict[str, Any]:
    """A realistic mix: mostly approvals, some lock declines, magstripe, overseas, inquiries."""
    pan = rng.choice(pans)
    roll = rng.random()
    base: dict[str, Any] = {"pan": pan, "currency": "CNY", "card_present": True,
                            "entry_mode": "chip", "country": "CN", "region": "CN-BJ",
                            "merchant_id": f"M{rng.randrange(500):04d}"}
    if roll < 0.55:
        return {**base, "kind": "purchase", "amount": rng.randrange(100, 50_000),
                "terminal": "pos"}
    if roll < 0.70:
        return {**base, "kind": "cash_withdrawal", "amount": rng.choice([10_000, 50_000]),
                "terminal": "atm", "region": rng.choice(["CN-BJ", "CN-GD", "CN-SH"])}
    if roll < 0.80:
        return {**base, "kind": "purchase", "amount": rng.randrange(1_000, 20_000),
                "terminal": "none", "card_present": False, "entry_mode": "ecommerce",
                "country": rng.choice(["CN", "US", "JP"]), "region": None}
    if roll < 0.88:
        return {**base, "kind": "purchase", "amount": 30_000, "terminal": "pos",
                "entry_mode": "magstripe"}
    if roll < 0.95:
        return {**base, "kind": "balance_inquiry", "amount": 0, "terminal": "atm"}
    return {**base, "kind": "refund", "amount": rng.randrange(100, 5_000), "terminal": "pos"}
