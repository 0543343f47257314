"""The profile's field mapping (docs/iso8583-profile.md), one rule per test."""

from __future__ import annotations

import pytest

from smartguard import errors as e
from smartguard.adapters.iso8583 import codec
from smartguard.adapters.iso8583 import mapping as m
from smartguard.domain.transactions import EntryMode, MessageKind, TerminalType
from tests.iso_client import BEIJING_SHOP, PAN, purchase, reversal


def parse(**fields: str) -> tuple[object, object, bool]:
    return m.to_authorization(purchase(1, **fields), lambda pan: "h:" + pan[-4:])


def request(**fields: str) -> object:
    return parse(**fields)[1]


@pytest.mark.parametrize(("mti", "answer"), [("0100", "0110"), ("0200", "0210"),
                                             ("0400", "0410"), ("0401", "0410"),
                                             ("0420", "0430"), ("0421", "0430"),
                                             ("0800", "0810"), ("0110", None), ("01X0", None)])
def test_response_mti(mti: str, answer: str | None) -> None:
    assert m.response_mti(mti) == answer


def test_chip_pos_purchase_in_beijing_maps_to_the_domain_request() -> None:
    ref, req, billing_given = parse()
    assert ref.pan_hash == "h:" + PAN[-4:]  # type: ignore[attr-defined]
    assert (req.kind, req.amount, req.currency, req.billing_amount) == (  # type: ignore[attr-defined]
        MessageKind.PURCHASE, 10_000, "CNY", 10_000)
    assert (req.terminal, req.card_present, req.entry_mode) == (  # type: ignore[attr-defined]
        TerminalType.POS, True, EntryMode.CHIP)
    assert (req.country, req.region, req.city, req.merchant_name, req.merchant_id) == (  # type: ignore[attr-defined]
        "CN", "CN-BJ", "Beijing", "Shop One", "SHOP1")
    assert req.idempotency_key == ("10000001", "000001", "1125120000")  # type: ignore[attr-defined]
    assert not billing_given


@pytest.mark.parametrize(("code", "kind"), [("000000", MessageKind.PURCHASE),
                                            ("010000", MessageKind.CASH_WITHDRAWAL),
                                            ("200000", MessageKind.REFUND),
                                            ("311000", MessageKind.BALANCE_INQUIRY),
                                            ("401020", MessageKind.TRANSFER)])
def test_processing_code_gives_the_message_kind(code: str, kind: MessageKind) -> None:
    amount = "000000000000" if kind is MessageKind.BALANCE_INQUIRY else "000000000100"
    assert request(**{"3": code, "4": amount}).kind is kind  # type: ignore[attr-defined]


@pytest.mark.parametrize(("condition", "terminal", "present"), [
    ("00", TerminalType.POS, True), ("02", TerminalType.ATM, True),
    ("27", TerminalType.KIOSK, True), ("59", TerminalType.NONE, False),
    ("08", TerminalType.NONE, False), ("05", TerminalType.POS, False)])
def test_pos_condition_code_gives_terminal_and_card_presence(
    condition: str, terminal: TerminalType, present: bool
) -> None:
    kind = "010000" if terminal is TerminalType.ATM else "000000"  # no purchase at an ATM
    req = request(**{"25": condition, "3": kind})
    assert (req.terminal, req.card_present) == (terminal, present)  # type: ignore[attr-defined]


@pytest.mark.parametrize(("entry", "mode"), [
    ("051", EntryMode.CHIP), ("071", EntryMode.CONTACTLESS), ("911", EntryMode.CONTACTLESS),
    ("072", EntryMode.CONTACTLESS), ("021", EntryMode.MAGSTRIPE),
    ("901", EntryMode.MAGSTRIPE), ("801", EntryMode.MAGSTRIPE_FALLBACK),
    ("012", EntryMode.MANUAL), ("812", EntryMode.ECOMMERCE),
    ("102", EntryMode.CREDENTIAL_ON_FILE)])
def test_pos_entry_mode_gives_the_entry_mode(entry: str, mode: EntryMode) -> None:
    assert request(**{"22": entry}).entry_mode is mode  # type: ignore[attr-defined]


def test_billing_amount_and_currency_come_from_fields_6_and_49() -> None:
    _, req, given = parse(**{"4": "000000001000", "49": "840", "6": "000000007200"})
    assert (req.amount, req.currency, req.billing_amount, given) == (  # type: ignore[attr-defined]
        1_000, "USD", 7_200, True)


@pytest.mark.parametrize(("province", "region"), [("11", "CN-BJ"), ("41", "CN-HA"),
                                                  ("GD", "CN-GD"), ("  ", None)])
def test_province_is_carried_in_field_43_positions_37_38(province: str, region: str | None
                                                         ) -> None:
    where = "Shop".ljust(25) + "City".ljust(11) + province + "CN"
    assert request(**{"43": where}).region == region  # type: ignore[attr-defined]


def test_overseas_merchant_has_no_province_and_its_country() -> None:
    req = request(**{"43": "Tokyo Shop".ljust(25) + "Tokyo".ljust(11) + "  JP"})
    assert (req.country, req.region) == ("JP", None)  # type: ignore[attr-defined]


def test_pin_block_presence_marks_pin_verified_and_is_not_kept() -> None:
    req = request(**{"52": "0123456789ABCDEF"})
    assert req.pin_verified  # type: ignore[attr-defined]
    assert "0123456789ABCDEF" not in repr(req)
    assert not request().pin_verified  # type: ignore[attr-defined]


def test_quick_payment_agreement_id_comes_from_field_48() -> None:
    assert request(**{"48": "agr_123"}).agreement_id == "agr_123"  # type: ignore[attr-defined]
    with pytest.raises(e.InvalidInput):
        request(**{"48": "x" * 65})


def test_decode_error_names_the_field_but_never_its_data() -> None:
    raw = codec.encode(purchase(1))[2:]
    broken = raw.replace(b"19" + PAN.encode(), b"9X" + PAN.encode())
    with pytest.raises(codec.FrameError) as info:
        codec.decode(broken)
    assert info.value.reason.startswith("field 2:")
    assert PAN not in info.value.reason and "9X" not in info.value.reason


def test_reversal_names_its_original_in_field_90_with_acquirer_leading_zeros_dropped() -> None:
    rev, ref = m.to_reversal(reversal(9, purchase(1), mti="0421"), lambda p: "h")
    assert rev.original_key == ("10000001", "000001", "1125120000")
    assert rev.idempotency_key == ("10000001", "000009", "1125120500")
    assert rev.repeat and rev.amount == 10_000 and ref is not None


def test_field_95_makes_a_reversal_partial_and_zero_or_absent_is_full() -> None:
    fields = reversal(9, purchase(1))
    assert m.to_reversal(fields, lambda p: "h")[0].actual_amount is None
    fields["95"] = "000000006000" + "0" * 30  # ¥60.00 of the ¥100.00 took place
    assert m.to_reversal(fields, lambda p: "h")[0].actual_amount == 6_000
    fields["95"] = "0" * 42
    assert m.to_reversal(fields, lambda p: "h")[0].actual_amount is None


@pytest.mark.parametrize("value", ["00000000600", "0000000060X0" + "0" * 30])
def test_a_malformed_field_95_is_answered_invalid_amount(value: str) -> None:
    fields = {**reversal(9, purchase(1)), "95": value}
    with pytest.raises(e.InvalidInput) as info:
        m.to_reversal(fields, lambda p: "h")
    assert m.response_code_for(info.value) == "13"


def test_balance_field_54_is_available_balance_with_sign() -> None:
    assert m.balance_field(123_456, "CNY") == "0002156C000000123456"
    assert m.balance_field(-5, "USD") == "0002840D000000000005"


@pytest.mark.parametrize(("error", "code"), [
    (e.UnknownCard("x"), "14"), (e.InvalidInput("2", "x", "invalid_pan"), "14"),
    (e.InvalidInput("4", "x", "invalid_amount"), "13"),
    (e.InvalidInput("3", "x", "invalid_transaction"), "12"),
    (e.InvalidInput("49", "x", "unknown_currency"), "30"),
    (e.IdempotencyConflict("x"), "94"), (e.StoreUnavailable("x"), "96"),
    (RuntimeError("x"), "96")])
def test_errors_map_to_response_codes_in_one_place(error: Exception, code: str) -> None:
    assert m.response_code_for(error) == code


def test_error_answer_needs_a_readable_stan() -> None:
    assert m.error_answer({"t": "0100", "11": "12345X"}, "30") is None
    assert m.error_answer({"t": "0100"}, "30") is None
    assert m.error_answer({"t": "0100", "11": "000001", "32": "1" * 40}, "30") == {
        "t": "0110", "11": "000001", "39": "30"}


def test_codec_round_trips_with_binary_bitmap_and_pin_block() -> None:
    fields = purchase(1, **{"52": "0123456789ABCDEF"})
    raw = codec.encode(fields)
    assert int.from_bytes(raw[:codec.HEADER_BYTES], "big") == len(raw) - 2
    bitmap = sum(1 << (64 - int(f)) for f in fields if f != "t").to_bytes(8, "big")
    assert raw[2:14] == b"0100" + bitmap  # ASCII MTI, then the bitmap in binary
    assert b"0123456789ABCDEF" not in raw and bytes.fromhex("0123456789ABCDEF") in raw
    assert codec.decode(raw[2:]) == fields


def test_split_keeps_partial_frames_and_flags_oversized_headers() -> None:
    one = codec.encode(purchase(1))
    frames = codec.split(one + one[:10], 8192)
    assert (len(frames.messages), frames.rest) == (1, one[:10])
    assert codec.split(b"\xff\xff", 8192).too_large == 0xFFFF


def test_shop_fixture_is_40_characters() -> None:
    assert len(BEIJING_SHOP) == 40
