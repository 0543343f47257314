"""Interop: a client built on an ISO 8583 implementation that is not ours and not pyiso8583
(the npm package ``iso_8583``, driven by ``tests/peers/iso8583_client.js``) talks to the
gateway over TCP. A bug shared by SmartGuard's codec and its own tests cannot hide here.
``.ci/run`` installs the package (``npm ci`` in tests/peers)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from tests.iso_client import GUANGZHOU_SHOP, PAN, enrol, gateway, network, purchase, reversal

PEERS = Path(__file__).resolve().parents[1] / "peers"


def node_peer() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (.ci/run needs Node.js for this test)")
    if not (PEERS / "node_modules" / "iso_8583").is_dir():
        pytest.skip("npm package iso_8583 is not installed: run `npm ci` in tests/peers")
    return [node, str(PEERS / "iso8583_client.js")]


def as_node(fields: dict[str, str]) -> dict[str, str]:
    """Field values keyed the way iso_8583 wants them ("0" is the MTI)."""
    return {("0" if k == "t" else k): v for k, v in fields.items()}


def exchange(port: int, requests: list[dict[str, str]], tmp_path: Path) -> list[dict[str, Any]]:
    file = tmp_path / "requests.json"
    file.write_text(json.dumps([as_node(r) for r in requests]))
    out = subprocess.run([*node_peer(), str(port), str(file)], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    answers: list[dict[str, Any]] = json.loads(out.stdout)
    return answers


def test_independent_client_gets_approvals_declines_reversals_and_echo(
    sg: App, tmp_path: Path
) -> None:
    enrol(sg, balance=1_000_000,
          controls=s.Controls(region_lock=s.region_lock(True, ["CN-BJ"])))
    approved = purchase(1, amount=25_000, **{"52": "0123456789ABCDEF"})
    requests = [
        network(100, "001"),
        approved,
        purchase(2, **{"43": GUANGZHOU_SHOP}),
        purchase(3, t="0200", **{"3": "310000", "4": "000000000000", "25": "02"}),
        purchase(1, amount=25_000, **{"52": "0123456789ABCDEF"}),  # duplicate
    ]
    with gateway(sg) as gw:
        by_stan = {a["11"]: a for a in exchange(gw.port, requests[:4], tmp_path)}
        duplicate = exchange(gw.port, requests[4:], tmp_path)[0]
        rev = exchange(gw.port, [reversal(4, approved)], tmp_path)[0]
    assert (by_stan["000100"]["0"], by_stan["000100"]["39"]) == ("0810", "00")
    assert by_stan["000100"]["70"] == "001"
    answer = by_stan["000001"]
    assert (answer["0"], answer["39"], len(answer["38"])) == ("0110", "00", 6)
    assert answer["54"] == "0002156C000000975000"
    assert by_stan["000002"]["39"] == "57"
    assert (by_stan["000003"]["0"], by_stan["000003"]["39"]) == ("0210", "00")
    assert (duplicate["39"], duplicate["38"]) == ("00", answer["38"])
    assert (rev["0"], rev["39"], rev["90"][4:10]) == ("0410", "00", "000001")
    card = sg.read(lambda uow: uow.cards.by_pan_hash(sg.ctx.hash_pan(PAN)))
    assert card is not None and card.account.balance == 1_000_000


def test_independent_client_sends_a_partial_reversal_in_field_95(
    sg: App, tmp_path: Path
) -> None:
    """An ATM dispensed ¥180.00 of ¥250.00: field 95 as another implementation packs it."""
    enrol(sg, balance=1_000_000)
    original = purchase(1, amount=25_000)
    partial = {**reversal(2, original),
               "95": f"{18_000:012d}{18_000:012d}" + "C00000000" + "C00000000"}
    with gateway(sg) as gw:
        assert exchange(gw.port, [original], tmp_path)[0]["39"] == "00"
        rev = exchange(gw.port, [partial], tmp_path)[0]
    assert (rev["0"], rev["39"], rev["95"]) == ("0410", "00", partial["95"])
    card = sg.read(lambda uow: uow.cards.by_pan_hash(sg.ctx.hash_pan(PAN)))
    assert card is not None and card.account.balance == 1_000_000 - 18_000
