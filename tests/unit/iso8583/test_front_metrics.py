"""A front's meter, its /metrics responder, the setting and its ports (the whole thing
with ``serve`` is in tests/e2e/test_iso8583_front_metrics.py)."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from prometheus_client.parser import text_string_to_metric_families

from smartguard.adapters.iso8583 import codec
from smartguard.config import load
from smartguard.domain.errors import InvalidInput
from smartguard.entrypoints.iso8583.front_metrics import (
    FrontCollector,
    MetricsServer,
    bind_metrics_sockets,
    registry_for,
)
from smartguard.entrypoints.iso8583.meter import IsoMeter
from tests.iso_client import network, purchase


def message(fields: codec.Fields) -> bytes:
    return codec.encode(fields)[codec.HEADER_BYTES:]


def test_each_message_counts_once_by_its_mti_and_its_answer_by_the_answers() -> None:
    meter = IsoMeter()
    sent: list[bytes | None] = []
    answer = codec.encode({**purchase(1), "t": "0110", "39": "00"})
    meter.received(message(purchase(1)), sent.append)(answer)
    meter.received(message(network(2)), sent.append)(None)  # closed instead
    meter.received(b"0300" + message(network(3))[4:], sent.append)(b"")  # nothing answered
    meter.received(b"\xff\xfe", sent.append)(codec.encode({**network(4), "t": "0310"}))
    assert sent[:3] == [answer, None, b""]
    requests = meter.requests_by_mti()
    assert (requests["0100"], requests["0800"], requests["other"], requests["0200"]) == \
        (1, 1, 2, 0)
    answers = meter.answers_by_mti()
    assert (answers["0110"], answers["closed"], answers["none"], answers["other"]) == \
        (1, 1, 1, 1)
    assert meter.latency.count == 4 and meter.latency.total > 0


def test_format_errors_keep_their_field_only_when_it_is_one_of_the_codecs() -> None:
    meter = IsoMeter()
    meter.undecodable(codec.FrameError("field 32: Field data is 99 bytes", {}))
    meter.undecodable(codec.FrameError("something else", {}))
    meter.format_error("field_refused", "49")
    meter.format_error("field_refused", "a PAN-like 6222021000000000010")
    assert meter.format_errors == {("undecodable", "32"): 1, ("undecodable", ""): 1,
                                   ("field_refused", "49"): 1,
                                   ("field_refused", "other"): 1}


def families(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for f in text_string_to_metric_families(text) for s in f.samples}


def server(meter: IsoMeter, link: Any = None) -> MetricsServer:
    link = link or SimpleNamespace(up=True, in_flight=2, sent=5)
    collector = FrontCollector(3, meter, lambda: 4, link)
    return MetricsServer(socket.socket(), registry_for(collector), 3)


def test_the_responder_answers_get_metrics_and_nothing_else() -> None:
    meter = IsoMeter()
    meter.received(message(purchase(1)), lambda _: None)(b"")
    metrics = server(meter)
    try:
        ok = metrics.answer(b"GET /metrics?x=1 HTTP/1.1\r\nHost: a\r\n\r\n")
        head, _, body = ok.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200 OK") and b"text/plain; version=0.0.4" in head
        assert f"Content-Length: {len(body)}".encode() in head
        found = families(body.decode())
        assert found[("smartguard_iso8583_requests_total",
                      (("front", "3"), ("mti", "0100")))] == 1
        assert found[("smartguard_iso8583_open_connections", (("front", "3"),))] == 4
        assert found[("smartguard_iso8583_core_link_messages_total",
                      (("direction", "answered"), ("front", "3")))] == 3
        assert found[("smartguard_request_seconds_count",
                      (("front", "3"), ("interface", "iso8583")))] == 1
        assert metrics.answer(b"HEAD /metrics HTTP/1.1\r\n\r\n").endswith(b"\r\n\r\n")
        assert metrics.answer(b"GET / HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 404")
        assert metrics.answer(b"POST /metrics HTTP/1.1\r\n\r\n").startswith(b"HTTP/1.1 405")
    finally:
        metrics.sock.close()


def test_the_responder_serves_an_inherited_socket_on_the_loop() -> None:
    [sock] = bind_metrics_sockets("127.0.0.1", _free_port(), 1)
    port = sock.getsockname()[1]
    metrics = MetricsServer(sock, registry_for(FrontCollector(
        0, IsoMeter(), lambda: 0, SimpleNamespace(up=False, in_flight=0, sent=0))))

    async def scrape() -> bytes:
        await metrics.start()
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = await reader.read()
        writer.close()
        await metrics.stop()
        return answer

    try:
        answer = asyncio.run(scrape())
    finally:
        sock.close()
    body = answer.partition(b"\r\n\r\n")[2].decode()
    assert families(body)[("smartguard_iso8583_core_link_up", (("front", "0"),))] == 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_port_in_use_is_refused_with_the_setting_and_nothing_stays_bound() -> None:
    first = _free_port()
    with socket.socket() as taken:
        try:
            taken.bind(("127.0.0.1", first + 1))
        except OSError:
            pytest.skip("the next port is in use already")
        with pytest.raises(InvalidInput, match=r"iso8583\.front_metrics_port: front 1 "
                                               "cannot serve its metrics on 127.0.0.1:"):
            bind_metrics_sockets("127.0.0.1", first, 2)
    bind_metrics_sockets("127.0.0.1", first, 1)[0].close()  # front 0's was released


@pytest.mark.parametrize(("env", "message"), [
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "many"}, "'many' is not valid"),
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "-1"}, "-1 is not valid"),
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "70000"}, "70000 is not valid"),
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "65535", "SMARTGUARD_ISO8583_WORKERS": "2"},
     "65535 is not valid"),
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "8582", "SMARTGUARD_ISO8583_WORKERS": "2"},
     "take 8583, the iso8583.port"),
    ({"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "8000"}, "take 8000, the http_port"),
])
def test_a_bad_front_metrics_port_is_refused_with_its_name(
        env: dict[str, str], message: str, tmp_path: Path) -> None:
    """A value that is no integer is refused with its variable's name (as every setting
    from the environment), one outside the ports with the setting's."""
    with pytest.raises(InvalidInput) as refused:
        load(None, env, data_dir=tmp_path)
    named = "SMARTGUARD_ISO8583_FRONT_METRICS_PORT" if "many" in message \
        else "iso8583.front_metrics_port"
    assert str(refused.value).startswith(f"{named}: ")
    assert message in str(refused.value)


def test_the_front_metrics_ports_come_from_the_file(tmp_path: Path) -> None:
    path = tmp_path / "smartguard.toml"
    path.write_text('[iso8583]\nworkers = 2\nfront_metrics_port = 9101\n'
                    'front_metrics_host = "0.0.0.0"\n')
    iso = load(path, data_dir=tmp_path).iso
    assert (iso.front_metrics_port, iso.front_metrics_host) == (9101, "0.0.0.0")
    assert load(None, data_dir=tmp_path).iso.front_metrics_port == 0  # off by default


def test_every_family_a_front_or_the_core_gateway_shows_is_in_the_operations_guide() -> None:
    guide = (Path(__file__).resolve().parents[3] / "docs" / "operations.md").read_text()
    metrics = server(IsoMeter())
    try:
        body = metrics.answer(b"GET /metrics HTTP/1.1\r\n\r\n").partition(b"\r\n\r\n")[2]
    finally:
        metrics.sock.close()
    names = {f.name for f in text_string_to_metric_families(body.decode())
             if f.name.startswith("smartguard_")}
    assert len(names) >= 9
    missing = [n for n in names if f"`{n}`" not in guide and f"`{n}_total`" not in guide]
    assert missing == []


def test_the_port_set_without_fronts_is_named_in_a_warning(tmp_path: Path) -> None:
    from structlog.testing import capture_logs

    from smartguard.bootstrap import bootstrap
    from smartguard.entrypoints import iso8583

    env = {"SMARTGUARD_ISO8583_FRONT_METRICS_PORT": "9101"}
    sg = bootstrap(load(None, env, data_dir=tmp_path))
    try:
        with capture_logs() as logs:
            iso8583.service(sg)  # workers = 0: the gateway in this process
    finally:
        sg.close()
    [warned] = [e for e in logs if e["event"] == "front_metrics_port_unused"]
    assert warned["setting"] == "iso8583.front_metrics_port"
    assert warned["log_level"] == "warning"
