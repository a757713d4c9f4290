"""Lag triangles and chain-ladder IBNR: domain.md §6's worked example, invariants, chainladder."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.analytics.ibnr import Blending, completion_factors, reserve
from openaso.analytics.lag import Payments, lag_triangle
from openaso.analytics.months import month_label

JAN_2025 = 2025 * 12


def _payments(rows: list[tuple[int, int, int]]) -> Payments:
    incurred, paid, amount = (
        np.array(column, dtype=np.int64) for column in zip(*rows, strict=True)
    )
    return Payments(incurred=incurred, paid=paid, amount=amount)


def _random_book(seed: int, months: int = 18, n: int = 20_000) -> Payments:
    rng = np.random.default_rng(seed)
    incurred = rng.integers(JAN_2025, JAN_2025 + months, n)
    paid = incurred + rng.geometric(0.45, n) - 1
    return Payments(incurred=incurred, paid=paid, amount=rng.integers(-5_000, 900_000, n))


def test_the_triangle_sums_each_payment_into_its_incurred_month_and_lag() -> None:
    triangle = lag_triangle(
        _payments(
            [
                (JAN_2025, JAN_2025, 100),
                (JAN_2025, JAN_2025 + 2, 50),
                (JAN_2025 + 1, JAN_2025 + 1, 7),
            ]
        ),
        valuation=JAN_2025 + 2,
    )
    assert triangle.amounts.tolist() == [[100, 0, 50], [7, 0, 0], [0, 0, 0]]
    assert triangle.counts.tolist() == [[1, 0, 1], [1, 0, 0], [0, 0, 0]]


def test_payments_after_the_valuation_month_are_left_out() -> None:
    triangle = lag_triangle(
        _payments([(JAN_2025, JAN_2025, 100), (JAN_2025, JAN_2025 + 3, 9)]), JAN_2025 + 1
    )
    assert int(triangle.amounts.sum()) == 100


def test_a_payment_before_its_incurred_month_is_refused_with_where() -> None:
    with pytest.raises(ValueError, match="incurred in 2025-02 was paid in 2025-01"):
        lag_triangle(_payments([(JAN_2025 + 1, JAN_2025, 100)]), JAN_2025 + 2)


def test_completion_factors_are_the_inverse_products_of_the_age_to_age_factors() -> None:
    completion = completion_factors(np.array([2.0, 1.25, 1.0]))
    assert completion.tolist() == pytest.approx([0.4, 0.8, 1.0, 1.0])


def test_the_worked_example_of_section_6_gives_175_435_of_ibnr() -> None:
    # Rows developing exactly by the assumed completion 0.35, 0.75, 0.90, 0.95, 1.00 (Aug–Dec),
    # each with the section's paid to date on the latest diagonal.
    completion = [0.35, 0.75, 0.90, 0.95, 1.0]
    paid_to_date = {0: 160_000_00, 1: 150_000_00, 2: 145_000_00, 3: 120_000_00, 4: 60_000_00}
    rows = []
    for origin, paid in paid_to_date.items():
        month, age = JAN_2025 + 7 + origin, 4 - origin
        cumulative = [round(paid * completion[lag] / completion[age]) for lag in range(age + 1)]
        rows += [
            (month, month + lag, cumulative[lag] - (cumulative[lag - 1] if lag else 0))
            for lag in range(age + 1)
        ]
    result = reserve(lag_triangle(_payments(rows), valuation=JAN_2025 + 11))
    assert [round(c, 6) for c in result.completion] == completion
    assert [row.ibnr for row in result.months] == [0, 7_894_74, 16_111_11, 40_000_00, 111_428_57]
    assert result.ibnr == 175_434_42  # $175,435 in the section, which sums rows in dollars


def test_blended_months_add_the_unreported_share_of_the_pmpm_projection() -> None:
    book = _random_book(3)
    triangle = lag_triangle(book, JAN_2025 + 17)
    members = np.full(triangle.origins, 1_000, dtype=np.int64)
    plain = reserve(triangle, members)
    blended = reserve(triangle, members, Blending(months=2, pmpm=50_000))
    for before, after in zip(plain.months[:-2], blended.months[:-2], strict=True):
        assert after == before
    for row in blended.months[-2:]:
        expected = row.paid + round((1 - row.completion) * 50_000 * 1_000)
        assert row.method == "blended"
        assert abs(row.ultimate - expected) <= 1


def test_the_experience_pmpm_comes_from_the_months_before_the_blended_ones() -> None:
    triangle = lag_triangle(_random_book(4), JAN_2025 + 17)
    members = np.full(triangle.origins, 500, dtype=np.int64)
    result = reserve(triangle, members, Blending(months=3, pmpm_months=6))
    base = result.months[-9:-3]
    expected = sum(row.developed for row in base) / (6 * 500)
    assert result.pmpm == round(expected)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), months=st.integers(2, 24))
def test_ultimate_is_paid_plus_ibnr_and_the_oldest_month_is_complete(
    seed: int, months: int
) -> None:
    triangle = lag_triangle(_random_book(seed, months, 2_000), JAN_2025 + months - 1)
    result = reserve(triangle)
    assert result.paid == int(triangle.amounts.sum())
    assert sum(row.ultimate for row in result.months) == result.paid + result.ibnr
    assert result.months[0].ibnr == 0
    assert result.completion[-1] == 1.0


def test_the_chain_ladder_ibnr_matches_the_chainladder_package_to_the_cent() -> None:
    cl = pytest.importorskip("chainladder")
    pd = pytest.importorskip("pandas")
    triangle = lag_triangle(_random_book(11, months=24, n=60_000), JAN_2025 + 23)
    rows = [
        {
            "origin": month_label(triangle.first + i) + "-01",
            "development": month_label(triangle.first + i + k) + "-01",
            "paid": int(triangle.amounts[i, k]),
        }
        for i in range(triangle.origins)
        for k in range(triangle.lags)
        if i + k < triangle.origins
    ]
    theirs = cl.Chainladder().fit(
        cl.Triangle(
            pd.DataFrame(rows),
            origin="origin",
            development="development",
            columns=["paid"],
            cumulative=False,
        )
    )
    their_ibnr = np.nan_to_num(theirs.ibnr_.to_frame().to_numpy(dtype=float).ravel())
    ours = reserve(triangle)
    assert [row.ibnr for row in ours.months] == [int(np.floor(v + 0.5)) for v in their_ibnr]
    assert ours.ibnr > 0
