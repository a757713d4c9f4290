"""Claims by month for a de-identified reader: months under ten members are withheld, with
complementary months, so the year's total less the months shown gives no small month away."""

from datetime import date

from openaso.services.dashboard import MonthFigures, withhold_small_months


def _months(*members: int) -> list[MonthFigures]:
    return [
        MonthFigures(date(2026, i + 1, 1), n, n, 100 * (i + 1), 50) for i, n in enumerate(members)
    ]


def test_months_of_ten_members_or_more_are_all_shown() -> None:
    months = _months(10, 12, 40)
    assert withhold_small_months(months) == months


def test_a_small_month_is_withheld_with_the_smallest_other_until_ten_members_are_hidden() -> None:
    shown = withhold_small_months(_months(4, 30, 12, 50))
    assert [m.paid for m in shown] == [None, 200, None, 400]
    assert all(m.budget == 50 for m in shown)  # the budget is not health information


def test_small_months_that_hide_ten_members_together_need_no_complement() -> None:
    shown = withhold_small_months(_months(6, 5, 30))
    assert [m.paid for m in shown] == [None, None, 300]


def test_a_month_of_no_members_holds_nothing_to_withhold() -> None:
    assert [m.paid for m in withhold_small_months(_months(0, 20))] == [100, 200]
