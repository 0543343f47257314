"""The ISO 8583 gateway over real TCP, on a real store: what a switch sees."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import time
from typing import Any

import pytest

from smartguard.bootstrap import App
from smartguard.domain.controls import values as s
from smartguard.domain.pan import with_check_digit
from smartguard.entrypoints.iso8583.gateway import gateway_for
from tests.iso_client import (
    GUANGZHOU_SHOP,
    Client,
    Gateway,
    enrol,
    gateway,
    network,
    purchase,
    reversal,
)


@pytest.fixture
def gw(sg: App) -> Iterator[Gateway]:
    with gateway(sg) as g:
        yield g


@pytest.fixture
def client(gw: Gateway) -> Iterator[Client]:
    c = Client(gw.port)
    yield c
    c.close()


def balance(sg: App, card_id: str) -> int:
    card = sg.read(lambda uow: uow.cards.get(card_id))
    assert card is not None
    return int(card.account.balance)


def test_0100_purchase_is_approved_with_approval_code_and_available_balance(
    sg: App, client: Client
) -> None:
    card_id = enrol(sg, balance=1_000_000)
    answer = client.request(purchase(1, amount=12_345))
    assert answer["t"] == "0110"
    assert answer["39"] == "00"
    assert len(answer["38"]) == 6
    assert answer["54"] == "0002156C000000987655"
    assert (answer["11"], answer["7"], answer["32"]) == ("000001", "1125120000", "10000001")
    assert "2" not in answer  # the PAN is not echoed
    assert balance(sg, card_id) == 987_655


def test_0200_financial_request_is_answered_with_0210(sg: App, client: Client) -> None:
    enrol(sg)
    answer = client.request(purchase(1, t="0200"))
    assert (answer["t"], answer["39"]) == ("0210", "00")


def test_region_lock_declines_purchase_in_guangdong_with_57(sg: App, client: Client) -> None:
    enrol(sg, controls=s.Controls(region_lock=s.region_lock(True, ["CN-BJ"])))
    answer = client.request(purchase(1, **{"43": GUANGZHOU_SHOP}))
    assert answer["39"] == "57"
    assert "38" not in answer


def test_night_lock_declines_atm_withdrawal_at_2300_beijing(
    sg: App, client: Client, clock: Any
) -> None:
    enrol(sg, controls=s.Controls(night_lock=s.night_lock(True, time(23), time(5))))
    clock.set_local("2026-11-25T23:00:00")
    answer = client.request(purchase(1, **{"3": "010000", "25": "02"}))
    assert answer["39"] == "57"


def test_magstripe_purchase_needs_verification_1A(sg: App, client: Client) -> None:
    enrol(sg)
    assert client.request(purchase(1, **{"22": "901"}))["39"] == "1A"


def test_insufficient_funds_declines_with_51_and_reports_balance(
    sg: App, client: Client
) -> None:
    enrol(sg, balance=5_000)
    answer = client.request(purchase(1, amount=10_000))
    assert (answer["39"], answer["54"]) == ("51", "0002156C000000005000")


def test_exceeding_the_personal_daily_count_declines_with_65(sg: App, client: Client) -> None:
    from smartguard.domain.transactions import Channel

    enrol(sg, controls=s.Controls(limits={Channel.POS: s.ChannelLimits(daily_count=1)}))
    assert client.request(purchase(1))["39"] == "00"
    assert client.request(purchase(2))["39"] == "65"


def test_duplicate_request_gets_the_original_answer_and_takes_effect_once(
    sg: App, client: Client
) -> None:
    card_id = enrol(sg, balance=1_000_000)
    first = client.request(purchase(7))
    again = client.request(purchase(7))
    assert again["39"] == first["39"] == "00"
    assert again["38"] == first["38"]
    assert balance(sg, card_id) == 990_000


def test_same_key_with_a_different_amount_is_refused_with_94(sg: App, client: Client) -> None:
    enrol(sg)
    client.request(purchase(7, amount=10_000))
    assert client.request(purchase(7, amount=20_000))["39"] == "94"


def test_unknown_card_is_answered_14(sg: App, client: Client) -> None:
    other = with_check_digit("622202100000000099")
    assert client.request(purchase(1, pan=other))["39"] == "14"


def test_reversal_gives_the_money_back_once_and_repeats_are_acknowledged(
    sg: App, client: Client
) -> None:
    card_id = enrol(sg, balance=1_000_000)
    original = purchase(1, amount=30_000)
    assert client.request(original)["39"] == "00"
    answer = client.request(reversal(2, original))
    assert (answer["t"], answer["39"], answer["11"]) == ("0410", "00", "000002")
    assert balance(sg, card_id) == 1_000_000
    repeat = client.request(reversal(2, original, mti="0401"))
    assert (repeat["t"], repeat["39"]) == ("0410", "00")
    advice = client.request(reversal(3, original, mti="0420"))
    assert (advice["t"], advice["39"]) == ("0430", "00")
    assert client.request(reversal(3, original, mti="0421"))["t"] == "0430"
    assert balance(sg, card_id) == 1_000_000


def test_reversal_arriving_before_its_original_cancels_the_original(
    sg: App, client: Client
) -> None:
    card_id = enrol(sg, balance=1_000_000)
    original = purchase(1, amount=30_000)
    assert client.request(reversal(2, original, mti="0420"))["39"] == "00"
    assert client.request(original)["39"] == "00"
    assert balance(sg, card_id) == 1_000_000


def test_a_partial_reversal_gives_back_what_the_atm_did_not_dispense(
    sg: App, client: Client
) -> None:
    card_id = enrol(sg, balance=1_000_000)
    original = purchase(1, amount=50_000)
    assert client.request(original)["39"] == "00"
    partial = {**reversal(2, original), "95": f"{30_000:012d}{30_000:012d}" + "C00000000" * 2}
    answer = client.request(partial)
    assert (answer["t"], answer["39"], answer["95"]) == ("0410", "00", partial["95"])
    assert balance(sg, card_id) == 1_000_000 - 30_000
    assert client.request({**partial, "t": "0401"})["39"] == "00"  # a repeat: nothing more
    assert balance(sg, card_id) == 1_000_000 - 30_000


@pytest.mark.parametrize(("code", "expected"), [("001", "00"), ("002", "00"), ("301", "00"),
                                                ("999", "12")])
def test_network_management_is_answered_without_the_store(
    sg: App, client: Client, code: str, expected: str
) -> None:
    sg.writer.close()  # no writer: 0800 must not need one
    answer = client.request(network(5, code))
    assert (answer["t"], answer["39"], answer["70"], answer["11"]) == \
        ("0810", expected, code, "000005")


def test_authorization_fails_closed_with_96_when_the_store_is_unavailable(
    sg: App, client: Client
) -> None:
    enrol(sg)
    sg.writer.close()
    assert client.request(purchase(1))["39"] == "96"


def test_a_reversal_is_answered_96_not_00_when_the_store_is_unavailable(
    sg: App, client: Client
) -> None:
    """00 would tell the switch the reversal is recorded; it is not, so it must resend it
    (iso8583-profile.md, "When the store is unavailable")."""
    enrol(sg)
    original = purchase(1)
    assert client.request(original)["39"] == "00"
    sg.writer.close()
    answer = client.request(reversal(2, original))
    assert (answer["t"], answer["39"], answer["11"]) == ("0410", "96", "000002")


def test_many_requests_in_flight_on_one_connection_are_each_answered(
    sg: App, client: Client
) -> None:
    enrol(sg, balance=100_000_000)
    for stan in range(1, 91):  # the bank's POS daily count ceiling is 100
        client.send(purchase(stan, amount=100))
    answers = {a["11"]: a["39"] for a in (client.recv() for _ in range(90))}
    assert answers == {f"{stan:06d}": "00" for stan in range(1, 91)}


def test_many_connections_at_once_are_served_and_stay_exact(sg: App, gw: Gateway) -> None:
    card_id = enrol(sg, balance=100_000_000)
    clients = [Client(gw.port) for _ in range(20)]
    for i, c in enumerate(clients):
        for j in range(4):
            c.send(purchase(i * 100 + j + 1, amount=1_000))
    codes = [c.recv()["39"] for c in clients for _ in range(4)]
    for c in clients:
        c.close()
    assert codes == ["00"] * 80
    assert balance(sg, card_id) == 100_000_000 - 80_000


def test_stop_answers_every_request_it_accepted_then_closes(sg: App) -> None:
    enrol(sg, balance=100_000_000)
    gw = Gateway(gateway_for(sg))
    release = threading.Event()
    threading.Thread(target=sg.write, args=(lambda uow: release.wait(10),)).start()  # hold
    c = Client(gw.port)
    for stan in range(1, 51):
        c.send(purchase(stan, amount=100))
    while gw.in_flight() < 50:
        threading.Event().wait(0.01)
    stopping = threading.Thread(target=gw.close)
    stopping.start()
    release.set()
    answers = [c.recv()["39"] for _ in range(50)]
    stopping.join(30)
    assert answers == ["00"] * 50
    assert c.closed_by_server()
    c.close()
