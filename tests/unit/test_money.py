from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaso.core.money import format_cents, parse_amount, parse_percent, percent_of, ratio_of


def test_percentages_round_half_up_to_the_cent() -> None:
    assert percent_of(12345, 2000) == 2469  # 20% of 123.45 = 24.69
    assert percent_of(1003, 2000) == 201  # 2.006 → 2.01
    assert percent_of(1, 5000) == 1  # half a cent rounds up
    assert percent_of(24550, 7500) == 18413  # 184.125 → 184.13


def test_a_ratio_rounds_half_up() -> None:
    assert ratio_of(90000, 33, 7) == 424286  # 900 × 33/7 = 4242.857…


@given(st.integers(0, 10**12), st.integers(0, 10_000))
def test_percent_of_matches_decimal_half_up(amount: int, percent: int) -> None:
    exact = Decimal(amount) * Decimal(percent) / Decimal(10_000)
    assert percent_of(amount, percent) == int(exact.quantize(Decimal(1), rounding="ROUND_HALF_UP"))


@given(st.integers(-(10**12), 10**12))
def test_amounts_round_trip_through_text(cents: int) -> None:
    assert parse_amount(format_cents(cents)) == cents


def test_amounts_with_more_than_two_decimals_are_refused() -> None:
    with pytest.raises(ValueError, match="at most two decimals"):
        parse_amount("10.005")
    with pytest.raises(ValueError, match="amount in dollars"):
        parse_amount("ten")


def test_percentages_may_have_two_decimals() -> None:
    assert parse_percent("12.5") == 1250
    with pytest.raises(ValueError, match="at most two decimals"):
        parse_percent("12.345")
