"""Primary account numbers (SPEC 1): 13-19 digits with a Luhn check digit; only the first
six and last four may be shown, and an error never echoes the number."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.errors import InvalidInput
from smartguard.domain.pan import check_pan, luhn_ok, visible_parts, with_check_digit


def test_well_known_test_number_passes_luhn():
    assert luhn_ok("4111111111111111")


def test_a_changed_digit_fails_luhn():
    assert not luhn_ok("4111111111111112")


def test_check_pan_accepts_a_valid_number():
    pan = with_check_digit("621226000000000")
    assert check_pan(pan) == pan


@pytest.mark.parametrize("body", ["12", "1234567890123456789"])
def test_check_pan_rejects_numbers_of_the_wrong_length(body):
    with pytest.raises(InvalidInput) as err:
        check_pan(with_check_digit(body))
    assert err.value.field == "pan"


@pytest.mark.parametrize("pan", [
    "6212 2600 0000 0001", "62122600000000a1", "６２１２２６００００００００００１",
])
def test_check_pan_rejects_anything_but_ascii_digits(pan):
    with pytest.raises(InvalidInput):
        check_pan(pan)


def test_check_pan_error_does_not_echo_the_number():
    pan = with_check_digit("621226000000000")
    bad = pan[:-1] + str((int(pan[-1]) + 1) % 10)
    with pytest.raises(InvalidInput) as err:
        check_pan(bad)
    assert bad not in str(err.value)
    assert bad[6:-4] not in str(err.value)


def test_visible_parts_are_first_six_and_last_four():
    assert visible_parts("6212260000000001234") == ("621226", "1234")


@given(st.text(alphabet="0123456789", min_size=12, max_size=18))
def test_with_check_digit_always_makes_a_valid_pan(body):
    assert check_pan(with_check_digit(body))


@given(st.text(alphabet="0123456789", min_size=12, max_size=18), st.data())
def test_luhn_catches_every_single_digit_error(body, data):
    pan = with_check_digit(body)
    i = data.draw(st.integers(0, len(pan) - 1))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != pan[i]]))
    assert not luhn_ok(pan[:i] + wrong + pan[i + 1:])
