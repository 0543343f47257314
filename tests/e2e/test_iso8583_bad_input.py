"""Bad input on the ISO 8583 port gets a clear answer or a closed connection, never a hang,
a crash or a changed state, and other connections carry on."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from smartguard.adapters.iso8583 import codec
from smartguard.bootstrap import App
from smartguard.entrypoints.iso8583.server import Limits
from tests.iso_client import Client, Gateway, enrol, gateway, network, purchase


@pytest.fixture
def gw(sg: App) -> Iterator[Gateway]:
    enrol(sg, balance=1_000_000)
    with gateway(sg, Limits(idle_timeout=0.5, max_message=1024)) as g:
        yield g


def frame(raw: bytes) -> bytes:
    return len(raw).to_bytes(2, "big") + raw


def corrupt_field_32(fields: codec.Fields) -> bytes:
    """A message whose field 32 says it is 99 digits long (at most 11): it cannot be
    decoded past field 32, but MTI and STAN (11) come before it."""
    raw = codec.encode(fields)[2:]
    marker = b"08" + fields["32"].encode()
    assert raw.count(marker) == 1
    return frame(raw.replace(marker, b"99" + fields["32"].encode()))


def still_serving(gw: Gateway) -> bool:
    other = Client(gw.port)
    try:
        return other.request(network(999))["39"] == "00"
    finally:
        other.close()


def balance(sg: App) -> int:
    return int(sg.read(lambda uow: uow.cards.search(None, None, 1))[0].account.balance)


def test_undecodable_message_with_readable_mti_and_stan_gets_format_error_30(
    sg: App, gw: Gateway
) -> None:
    c = Client(gw.port)
    c.send_raw(corrupt_field_32(purchase(42)))
    answer = c.recv()
    assert (answer["t"], answer["11"], answer["39"]) == ("0110", "000042", "30")
    assert c.request(purchase(43))["39"] == "00"  # the same connection goes on
    assert balance(sg) == 990_000


@pytest.mark.parametrize(("field", "value", "code"), [
    ("49", "999", "30"),  # unknown currency
    ("3", "990000", "12"),  # unsupported processing code
    ("4", "00000000000A", "13"),  # amount not numeric
    ("4", "000000000000", "13"),  # zero purchase
    ("2", "6222021000000000010", "14"),  # wrong check digit
    ("22", "991", "30"),  # unknown entry mode
    ("43", "Shop".ljust(36) + "99CN", "30"),  # no such province
    ("43", "Shop".ljust(38) + "XX", "30"),  # no such country
])
def test_decodable_message_with_an_invalid_field_is_answered_without_effect(
    sg: App, gw: Gateway, field: str, value: str, code: str
) -> None:
    c = Client(gw.port)
    answer = c.request(purchase(1, **{field: value}))
    assert (answer["t"], answer["11"], answer["39"]) == ("0110", "000001", code)
    assert balance(sg) == 1_000_000


def test_missing_pan_is_a_format_error(gw: Gateway) -> None:
    request = purchase(1)
    del request["2"]
    assert Client(gw.port).request(request)["39"] == "30"


def test_unsupported_request_mti_is_answered_12(gw: Gateway) -> None:
    answer = Client(gw.port).request({"t": "0600", "7": "1125120000", "11": "000009"})
    assert (answer["t"], answer["39"]) == ("0610", "12")


def test_message_whose_mti_cannot_be_read_closes_the_connection_only(gw: Gateway) -> None:
    c = Client(gw.port)
    c.send_raw(frame(b"\xff\xfe garbage that is not ISO 8583"))
    assert c.closed_by_server()
    assert still_serving(gw)


def test_message_whose_stan_cannot_be_read_closes_the_connection(gw: Gateway) -> None:
    raw = codec.encode(purchase(1))[2:]
    c = Client(gw.port)
    c.send_raw(frame(raw[:4 + 8 + 2] + b"XX"))  # MTI, bitmap, then field 2 broken
    assert c.closed_by_server()
    assert still_serving(gw)


def test_oversized_length_header_closes_the_connection_without_reading_it(
    gw: Gateway
) -> None:
    c = Client(gw.port)
    c.send_raw((60_000).to_bytes(2, "big") + b"0100")
    assert c.closed_by_server()
    assert still_serving(gw)


def test_frame_truncated_by_the_peer_closing_is_dropped(sg: App, gw: Gateway) -> None:
    whole = codec.encode(purchase(1))
    c = Client(gw.port)
    c.send_raw(whole[:50])
    c.sock.shutdown(1)  # the peer stops sending mid-frame
    assert c.closed_by_server()
    assert still_serving(gw)
    assert balance(sg) == 1_000_000


def test_frame_that_never_completes_is_closed_by_the_idle_timeout(gw: Gateway) -> None:
    c = Client(gw.port)
    c.send_raw(codec.encode(purchase(1))[:30])
    started = time.monotonic()
    assert c.closed_by_server()
    assert time.monotonic() - started < 5
    assert still_serving(gw)


def test_idle_connection_is_closed_after_the_idle_timeout(gw: Gateway) -> None:
    c = Client(gw.port)
    assert c.request(network(1))["39"] == "00"
    assert c.closed_by_server()


def test_zero_length_frames_are_keep_alives(gw: Gateway) -> None:
    c = Client(gw.port)
    c.send_raw(b"\x00\x00" * 3)
    assert c.request(network(1))["39"] == "00"


def test_a_response_sent_to_the_server_is_dropped_not_answered(gw: Gateway) -> None:
    c = Client(gw.port)
    c.send({"t": "0810", "7": "1125120000", "11": "000001", "39": "00", "70": "301"})
    assert c.request(network(2))["11"] == "000002"  # the next answer is for the next request


@pytest.mark.parametrize("mti", [b"9X9Z", b"p200", b"01\xd9\xa0"])
def test_a_message_whose_mti_is_not_four_digits_closes_the_connection(
        gw: Gateway, mti: bytes) -> None:
    raw = codec.encode(purchase(1))[2:]
    c = Client(gw.port)
    c.send_raw(frame(mti + raw[4:]))
    assert c.closed_by_server()
    assert still_serving(gw)
