"""Money is integer minor units; currencies are ISO 4217 codes (alpha or numeric)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.money import CURRENCIES, MAX_AMOUNT, format_amount, normalize_currency


@pytest.mark.parametrize(("minor", "currency", "text"), [
    (123456, "CNY", "¥1,234.56"),
    (5, "CNY", "¥0.05"),
    (0, "CNY", "¥0.00"),
    (-250, "CNY", "-¥2.50"),
    (1000, "JPY", "JP¥1,000"),
    (1234, "KWD", "1.234 KWD"),
    (99, "THB", "0.99 THB"),
])
def test_amounts_are_formatted_from_minor_units(minor, currency, text):
    assert format_amount(minor, currency) == text


@pytest.mark.parametrize(("raw", "code"), [
    ("CNY", "CNY"), ("USD", "USD"), ("156", "CNY"), ("344", "HKD"),
    ("840", "USD"), ("392", "JPY"),
])
def test_currencies_are_normalised_from_alpha_or_numeric_codes(raw, code):
    assert normalize_currency(raw) == code


@pytest.mark.parametrize("raw", ["RMB", "999", "", "DOLLAR", "cny", " USD", "Usd "])
def test_unknown_currencies_are_rejected(raw):
    assert normalize_currency(raw) is None


def test_minor_unit_digits_follow_iso_4217():
    assert (CURRENCIES["CNY"], CURRENCIES["JPY"], CURRENCIES["KWD"]) == (2, 0, 3)


def test_largest_amount_fits_iso_8583_field_4():
    assert len(str(MAX_AMOUNT)) == 12


@given(st.integers(min_value=-MAX_AMOUNT, max_value=MAX_AMOUNT))
def test_formatted_cny_reads_back_to_the_same_number_of_fen(minor):
    text = format_amount(minor, "CNY")
    digits = text.replace("¥", "").replace(",", "").replace(".", "")
    assert int(digits) == minor
