"""What a partial reversal gives back (ISO 8583 field 95), in the card's currency."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from smartguard.domain.transactions import given_back
from tests.builders import atm_withdrawal, cny


def test_a_full_reversal_gives_back_the_billing_amount() -> None:
    assert given_back(atm_withdrawal(cny(500)), None) == cny(500)


def test_a_partial_reversal_in_the_cards_currency_gives_back_the_difference() -> None:
    assert given_back(atm_withdrawal(cny(500)), cny(300)) == cny(200)
    assert given_back(atm_withdrawal(cny(500)), 1) == cny(500) - 1


def test_across_currencies_the_actual_amount_is_converted_at_the_originals_rate() -> None:
    # JPY 10,000 billed as CNY 480.37: JPY 3,000 really dispensed is CNY 144.111 -> 144.11
    req = atm_withdrawal(10_000, currency="JPY", billing_amount=48_037, country="JP")
    assert given_back(req, 3_000) == 48_037 - 14_411


def test_half_a_minor_unit_rounds_up_what_was_kept() -> None:
    req = atm_withdrawal(4, currency="JPY", billing_amount=3, country="JP")
    assert given_back(req, 1) == 3 - 1  # 0.75 kept -> 1


def test_nothing_is_given_back_at_or_above_the_original() -> None:
    assert given_back(atm_withdrawal(cny(500)), cny(500)) == 0
    assert given_back(atm_withdrawal(cny(500)), cny(501)) == 0


@given(amount=st.integers(1, 10**12), billing=st.integers(1, 10**12),
       actual=st.integers(0, 10**12))
def test_what_is_given_back_never_exceeds_the_billing_amount(amount, billing, actual) -> None:
    req = atm_withdrawal(amount, currency="JPY", billing_amount=billing, country="JP")
    back = given_back(req, actual)
    assert 0 <= back <= billing
    if actual >= amount:
        assert back == 0
