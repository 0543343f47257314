"""The controls beyond Smart Guard over ISO 8583 (SPEC 3.12): the MCC of field 18 and the
contactless entry modes of field 22 (07, 91) reach the engine; a switched-off channel, a
blocked category or merchant answers 57, an alert-only control 00."""

from __future__ import annotations

from pathlib import Path

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.controls.categories import Category
from smartguard.domain.controls.spending import CategoryControl, Merchants, Switch, Switches
from tests.e2e.test_iso8583_interop import exchange
from tests.iso_client import Client, enrol, gateway, purchase

CONTROLS = s.Controls(
    switches=Switches(frozenset({Switch.CONTACTLESS, Switch.ATM_CASH})),
    categories={Category.GAMBLING: CategoryControl(True)},
    merchants=Merchants(blocked={"BADSHOP": "Bad"}),
    alert_only=frozenset({"switches.atm_cash"}),
)
CASES = [
    ({"22": "071"}, "57"),  # contactless, EMV
    ({"22": "911"}, "57"),  # contactless, magnetic-stripe data
    ({"22": "051"}, "00"),  # chip at the same till
    ({"18": "7995"}, "57"),  # gambling: the range's end
    ({"18": "7801"}, "57"),  # gambling: the range's start
    ({"18": "7994"}, "00"),  # video game arcades: no category
    ({"42": "BADSHOP".ljust(15)}, "57"),
    ({"3": "010000", "25": "02"}, "00"),  # ATM cash, switched off in alert-only mode
]


def test_the_gateway_answers_each_control(sg: App) -> None:
    enrol(sg, balance=1_000_000, controls=CONTROLS)
    with gateway(sg) as gw:
        client = Client(gw.port)
        try:
            codes = [client.request(purchase(i + 1, **f))["39"] for i, (f, _) in
                     enumerate(CASES)]
            bad_mcc = client.request(purchase(99, **{"18": "79A5"}))["39"]
        finally:
            client.close()
    assert codes == [c for _, c in CASES]
    assert bad_mcc == "30"  # an MCC that is not 4 digits is a format error


def test_the_independent_client_gets_the_same_answers(sg: App, tmp_path: Path) -> None:
    enrol(sg, balance=1_000_000, controls=CONTROLS)
    requests = [purchase(i + 1, **fields) for i, (fields, _) in enumerate(CASES)]
    with gateway(sg) as gw:
        answers = {a["11"]: a["39"] for a in exchange(gw.port, requests, tmp_path)}
    assert [answers[f"{i + 1:06d}"] for i in range(len(CASES))] == [c for _, c in CASES]

