"""The gateway's halves (entrypoints/iso8583/work.py): mapped work survives the link between
a front and the core exactly, never carries the PAN, and outcomes become the answers the
profile gives."""

from __future__ import annotations

import random

import orjson
import pytest

from smartguard import errors as e
from smartguard.entrypoints.iso8583 import work as w
from smartguard.service_layer.context import Context
from tests.iso_client import PAN, purchase, reversal

HASH = Context(secret=b"k" * 32).hash_pan


def over_the_link(work: w.Work) -> w.Work:
    """What the core rebuilds from what a front sends (JSON both ways, as on the link)."""
    return w.work_from_wire(orjson.loads(orjson.dumps(work_to_wire_checked(work))))


def work_to_wire_checked(work: w.Work) -> list[object]:
    item = w.work_to_wire(work)
    assert PAN not in orjson.dumps(item).decode()  # the PAN stays in the front
    return item


def test_the_load_generators_whole_mix_crosses_the_link_unchanged() -> None:
    from bench.iso8583_traffic import iso_fields
    from bench.population import mixed_request

    rng = random.Random(7)
    pans = [PAN]
    for n in range(500):
        fields = iso_fields(mixed_request(rng, pans), "10000001")
        fields["11"] = f"{n:06d}"
        work = w.to_work(fields, HASH)
        assert over_the_link(work) == work


@pytest.mark.parametrize("extra", [{}, {"6": "000000001500", "48": "AGR-1", "52": "1" * 16,
                                        "18": "5411"}])
def test_an_authorization_with_optional_fields_crosses_the_link_unchanged(
        extra: dict[str, str]) -> None:
    work = w.to_work(purchase(3, **extra), HASH)
    assert isinstance(work, w.Authorize)
    assert over_the_link(work) == work
    assert work.ref.pan_hash == HASH(PAN)


@pytest.mark.parametrize("mti", ["0400", "0401", "0420", "0421"])
def test_reversals_full_and_partial_cross_the_link_unchanged(mti: str) -> None:
    full = reversal(9, purchase(8), mti)
    partial = {**full, "95": "000000003000" + "0" * 30}
    anonymous = {k: v for k, v in full.items() if k != "2"}
    for fields in (full, partial, anonymous):
        work = w.to_work(fields, HASH)
        assert isinstance(work, w.Reverse)
        assert over_the_link(work) == work
    assert w.to_work(partial, HASH).reversal.actual_amount == 3000  # type: ignore[union-attr]


def test_the_core_refuses_work_it_does_not_know() -> None:
    with pytest.raises(e.InvalidInput):
        w.work_from_wire(["x", None, []])


def test_outcomes_become_the_profiles_answers() -> None:
    request = purchase(4, amount=25_000)
    approved = w.answer_for(request, ("a", "00", "123456", 75_000, "CNY"))
    assert approved is not None
    assert (approved["t"], approved["39"], approved["38"]) == ("0110", "00", "123456")
    assert approved["54"] == "0002156C000000075000"
    assert approved["11"] == request["11"] and approved["4"] == request["4"]
    declined = w.answer_for(request, ("a", "57", None, 100_000, "CNY"))
    assert declined is not None and "38" not in declined and declined["39"] == "57"
    acknowledged = w.answer_for(reversal(5, request), w._REVERSED)
    assert acknowledged is not None
    assert (acknowledged["t"], acknowledged["39"]) == ("0410", "00")
    error = w.answer_for(request, ("e", "96", None, None, None))
    assert error == {"t": "0110", "11": request["11"], "39": "96", "7": request["7"],
                     "32": request["32"]}


def test_failures_get_their_response_codes() -> None:
    assert w.failed(RuntimeError("disk gone"), "0100", "000001")[:2] == ("e", "96")
    assert w.failed(e.UnknownCard("no such card"), None, "000002")[:2] == ("e", "14")
    assert w.failed(e.InvalidInput("4", "bad", "invalid_amount"), None, "3")[:2] == \
        ("e", "13")
