"""What the ISO 8583 gateway logs: every event names its request the acquirer's way (peer,
MTI, STAN) and why; nothing is masked that is not secret, and no PAN is ever logged."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from smartguard.adapters.iso8583 import codec
from smartguard.bootstrap import App
from tests.iso_client import PAN, Client, Gateway, enrol, gateway, network, purchase


@pytest.fixture
def gw(sg: App) -> Iterator[Gateway]:
    enrol(sg)
    with gateway(sg) as g:
        yield g


def events(logs: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [e for e in logs if e["event"] == name]


def exchange(gw: Gateway, *messages: dict[str, str]) -> tuple[list[dict[str, Any]], str]:
    client = Client(gw.port)
    peer = f"127.0.0.1:{client.sock.getsockname()[1]}"
    with capture_logs() as logs:
        answers = [client.request(m) for m in messages]
    client.close()
    assert all(a for a in answers)
    assert PAN not in repr(logs)
    located(logs)
    return logs, peer


def located(logs: list[dict[str, Any]]) -> None:
    """Every line about a message names it: request id, peer, MTI, STAN; each message its
    own request id; a refusal says why."""
    about = [e for e in logs if e.get("stan")]
    for e in about:
        assert re.fullmatch(r"[0-9a-f]{16}", e["request_id"]), e
        assert e["peer"].startswith("127.0.0.1:") and re.fullmatch(r"\d{4}", e["mti"]), e
        if e["event"] != "decision":
            assert e["reason"], e
    ids = {e["stan"]: e["request_id"] for e in about}
    assert len(set(ids.values())) == len(ids)


def test_network_management_shows_its_code_and_peer(gw: Gateway) -> None:
    logs, peer = exchange(gw, network(7, "301"))
    [line] = events(logs, "network_management")
    assert line["network_code"] == "301" and line["action"] != "unknown"
    assert (line["peer"], line["mti"], line["stan"]) == (peer, "0800", "000007")


def test_a_field_25_error_names_field_25(gw: Gateway) -> None:
    logs, peer = exchange(gw, purchase(8, **{"25": "77"}))
    [line] = events(logs, "format_error")
    assert line["reason"].startswith("25:")
    assert (line["peer"], line["mti"], line["stan"]) == (peer, "0100", "000008")


def test_a_foreign_currency_without_field_6_logs_its_mti(gw: Gateway) -> None:
    logs, peer = exchange(gw, purchase(9, **{"49": "840"}))
    refused = [e for e in logs if e["event"] in ("format_error", "request_refused")]
    assert refused, logs
    assert (refused[0]["peer"], refused[0]["mti"], refused[0]["stan"]) == \
        (peer, "0100", "000009")
    assert refused[0]["reason"]


def test_an_unexpected_response_is_logged_with_its_peer(gw: Gateway) -> None:
    client = Client(gw.port)
    peer = f"127.0.0.1:{client.sock.getsockname()[1]}"
    with capture_logs() as logs:
        client.send({"t": "0110", "11": "000010", "39": "00"})
        assert client.request(network(11))["39"] == "00"  # then the connection still serves
    client.close()
    [line] = events(logs, "unexpected_message")
    assert (line["peer"], line["mti"], line["stan"]) == (peer, "0110", "000010")


def test_one_decision_line_per_authorization(gw: Gateway) -> None:
    logs, peer = exchange(gw, purchase(12), purchase(13, amount=999_999_999))
    lines = events(logs, "decision")
    assert [(x["outcome"], x["reason"], x["interface"]) for x in lines] == [
        ("approve", "none", "iso8583"), ("decline", "amount_limit", "iso8583")]
    for x in lines:
        assert x["log_level"] == "info" and x["latency_ms"] >= x["decide_ms"] > 0
        assert x["stan"] in ("000012", "000013") and x["card_id"].startswith("card_")
        assert (x["peer"], x["mti"]) == (peer, "0100")


def test_a_message_type_not_handled_is_logged_with_why(gw: Gateway) -> None:
    logs, peer = exchange(gw, {**purchase(14), "t": "0300"})
    [line] = events(logs, "request_refused")
    assert (line["peer"], line["mti"], line["stan"]) == (peer, "0300", "000014")
    assert line["response_code"] == "12" and "0300" in line["reason"]


def test_an_unreadable_mti_is_logged_with_a_request_id(gw: Gateway) -> None:
    raw = codec.encode(purchase(15))
    client = Client(gw.port)
    with capture_logs() as logs:
        client.send_raw(raw[:2] + b"9X9Z" + raw[6:])  # same length, MTI unreadable
        assert client.closed_by_server()
    [line] = events(logs, "format_error")
    assert re.fullmatch(r"[0-9a-f]{16}", line["request_id"]) and line["peer"]
    assert line["mti"] == "9X9Z" and line["reason"]
