"""The advisor at the command line, for operators: check-up, recommendations, preview and
a card's quick-payment bindings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from smartguard.bootstrap import bootstrap
from smartguard.config import load
from smartguard.domain.pan import with_check_digit
from smartguard.domain.transactions import (
    AuthorizationRequest,
    EntryMode,
    MessageKind,
    TerminalType,
)
from smartguard.entrypoints.cli import main
from smartguard.service_layer import agreements, cards
from smartguard.service_layer import authorize as az
from smartguard.service_layer.context import Actor

ACTOR = Actor("test", "test")


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC) - timedelta(days=40)

    def __call__(self) -> datetime:
        return self.now


def prepare(data: Path) -> str:
    """A card with 40 days of purchases in Henan and one in Guangdong; returns its id."""
    clock = Clock()
    sg = bootstrap(load(None, data_dir=data), clock=clock)
    try:
        def enrol(uow: Any) -> str:
            h = cards.enrol_cardholder(uow, sg.ctx, ACTOR, "Wang", "+8613800000001")
            a = cards.open_account(uow, sg.ctx, ACTOR, h.id, "CNY", 10_000_000)
            rec = cards.enrol_card(uow, sg.ctx, ACTOR, with_check_digit("622202100000000001"),
                                   a.id)
            agreements.register_agreement(uow, sg.ctx, ACTOR, az.CardRef(card_id=rec.card.id),
                                          "AGR1", "Fast Pay Co")
            return rec.card.id

        card_id = sg.write(enrol)
        for i in range(40):
            clock.now += timedelta(days=1)
            region = "CN-GD" if i == 35 else "CN-HA"
            req = AuthorizationRequest(
                MessageKind.PURCHASE, 5_000, "CNY", 5_000, TerminalType.POS, True,
                EntryMode.CHIP, "CN", region, merchant_name="Shop", acquirer_id="1",
                stan=f"{i:06d}", transmission_time=str(i))
            sg.write(lambda uow, r=req: az.authorize(uow, sg.ctx, az.CardRef(card_id=card_id),
                                                     r))
        return card_id
    finally:
        sg.close()


def test_checkup_recommend_preview_and_agreements(tmp_path: Path) -> None:
    data = tmp_path / "data"
    card_id = prepare(data)
    runner = CliRunner()
    out = runner.invoke(main, ["advisor", "checkup", card_id, "--data-dir", str(data)])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("Score ")
    assert "Region lock is off" in out.output
    assert "fix: set region_lock = {enabled: true, places: [CN-HA, CN-GD]}" in out.output
    zh = runner.invoke(main, ["advisor", "checkup", card_id, "--data-dir", str(data),
                              "--language", "zh-CN"])
    assert "地区锁未开启" in zh.output
    recs = runner.invoke(main, ["advisor", "recommend", card_id, "--data-dir", str(data)])
    assert json.loads(recs.output)["region_lock"]["value"]["places"] == ["CN-HA", "CN-GD"]
    preview = runner.invoke(main, ["advisor", "preview", card_id, "--data-dir", str(data),
                                   "--region-lock", "CN-HA", "--json"])
    assert preview.exit_code == 0, preview.output
    declined = json.loads(preview.output)["declined"]
    assert [c["place"] for c in declined] == ["CN-GD"]
    text = runner.invoke(main, ["advisor", "preview", card_id, "--data-dir", str(data),
                                "--region-lock", "CN-HA", "--night-lock", "23:00-05:00"])
    assert "would decline" in text.output and "Guangdong" in text.output
    listed = runner.invoke(main, ["agreements", "list", card_id, "--data-dir", str(data)])
    assert listed.output.startswith("AGR1  active")


def test_bad_input_is_a_clear_error(tmp_path: Path) -> None:
    data = tmp_path / "data"
    card_id = prepare(data)
    runner = CliRunner()
    out = runner.invoke(main, ["advisor", "preview", card_id, "--data-dir", str(data),
                               "--region-lock", "CN-HA,CN-BJ,CN-SH,CN-GD"])
    assert out.exit_code != 0
    assert "region_lock.places: choose at most 3 places" in out.output
    out = runner.invoke(main, ["advisor", "checkup", "card_nope", "--data-dir", str(data)])
    assert out.exit_code != 0 and "no card card_nope" in out.output
