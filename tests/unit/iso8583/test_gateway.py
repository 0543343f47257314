"""The gateway's halves (entrypoints/iso8583/gateway.py, link.py): mapped work survives the
link between a front and the core exactly, never carries the PAN, anything else is
refused, and store answers become the answers the profile gives."""

from __future__ import annotations

import random

import orjson
import pytest

from smartguard import errors as e
from smartguard.entrypoints.iso8583 import gateway as g
from smartguard.entrypoints.iso8583.link import AnswerMessage, WorkMessage
from smartguard.service_layer.context import Context
from tests.iso_client import PAN, purchase, reversal

HASH = Context(secret=b"k" * 32).hash_pan


def over_the_link(work: g.Work) -> g.Work:
    """What the core rebuilds from what a front sends (JSON, as on the link)."""
    raw = orjson.dumps(WorkMessage(41, work).wire())
    assert PAN.encode() not in raw  # the PAN stays in the front
    message = WorkMessage.from_wire(orjson.loads(raw))
    assert message.id == 41
    return message.work


def test_the_load_generators_whole_mix_crosses_the_link_unchanged() -> None:
    from smartguard.bench.iso8583_traffic import iso_fields
    from smartguard.bench.population import mixed_request

    rng = random.Random(7)
    pans = [PAN]
    for n in range(500):
        fields = iso_fields(mixed_request(rng, pans), "10000001")
        fields["11"] = f"{n:06d}"
        work = g.to_work(fields, HASH)
        assert over_the_link(work) == work


@pytest.mark.parametrize("extra", [{}, {"6": "000000001500", "48": "AGR-1", "52": "1" * 16,
                                        "18": "5411"}])
def test_an_authorization_with_optional_fields_crosses_the_link_unchanged(
        extra: dict[str, str]) -> None:
    work = g.to_work(purchase(3, **extra), HASH)
    assert isinstance(work, g.Authorize)
    assert over_the_link(work) == work
    assert work.ref.pan_hash == HASH(PAN)


@pytest.mark.parametrize("mti", ["0400", "0401", "0420", "0421"])
def test_reversals_full_and_partial_cross_the_link_unchanged(mti: str) -> None:
    full = reversal(9, purchase(8), mti)
    partial = {**full, "95": "000000003000" + "0" * 30}
    anonymous = {k: v for k, v in full.items() if k != "2"}
    for fields in (full, partial, anonymous):
        work = g.to_work(fields, HASH)
        assert isinstance(work, g.Reverse)
        assert over_the_link(work) == work
    found = g.to_work(partial, HASH)
    assert isinstance(found, g.Reverse) and found.reversal.actual_amount == 3000


@pytest.mark.parametrize("item", [
    [1, "a", "x", None, True, []],  # the old one-letter kinds
    [1, "authorize", "x", None, True, []],  # no request
    [1, "reverse", "x", None, False, ["1", "2"]],
    {"id": 1, "authorize": None},
    [1, "authorize"],
])
def test_the_core_refuses_work_it_does_not_know(item: object) -> None:
    with pytest.raises((ValueError, KeyError, TypeError)):
        WorkMessage.from_wire(item)  # type: ignore[arg-type]


@pytest.mark.parametrize("answer", [
    g.StoreAnswer(g.AnswerKind.DECIDED, "00", "123456", 75_000, "CNY"), g.ACKNOWLEDGED,
    g.StoreAnswer(g.AnswerKind.REFUSED, "96")])
def test_answers_cross_the_link_unchanged(answer: g.StoreAnswer) -> None:
    raw = orjson.loads(orjson.dumps(AnswerMessage(5, answer).wire()))
    assert AnswerMessage.from_wire(raw) == AnswerMessage(5, answer)


def test_store_answers_become_the_profiles_answers() -> None:
    request = purchase(4, amount=25_000)
    approved = g.answer_fields(request, g.StoreAnswer(g.AnswerKind.DECIDED, "00", "123456",
                                                      75_000, "CNY"))
    assert approved is not None
    assert (approved["t"], approved["39"], approved["38"]) == ("0110", "00", "123456")
    assert approved["54"] == "0002156C000000075000"
    assert approved["11"] == request["11"] and approved["4"] == request["4"]
    declined = g.answer_fields(request, g.StoreAnswer(g.AnswerKind.DECIDED, "57", None,
                                                      100_000, "CNY"))
    assert declined is not None and "38" not in declined and declined["39"] == "57"
    acknowledged = g.answer_fields(reversal(5, request), g.ACKNOWLEDGED)
    assert acknowledged is not None
    assert (acknowledged["t"], acknowledged["39"]) == ("0410", "00")
    error = g.answer_fields(request, g.StoreAnswer(g.AnswerKind.REFUSED, "96"))
    assert error == {"t": "0110", "11": request["11"], "39": "96", "7": request["7"],
                     "32": request["32"]}


def test_failures_get_their_response_codes() -> None:
    assert g.failed(RuntimeError("disk gone")).response_code == "96"
    assert g.failed(e.UnknownCard("no such card")).response_code == "14"
    assert g.failed(e.InvalidInput("4", "bad", "invalid_amount")
                    ).response_code == "13"
    assert g.failed(e.UnknownCard("x")).kind is g.AnswerKind.REFUSED
