from datetime import date

import pytest

from openaso.core.codes import CodeRange
from openaso.core.dates import add_months
from openaso.core.members import (
    Enrolment,
    Member,
    NeedsReview,
    NotCovered,
    PlanInForce,
    plan_in_force,
)
from openaso.core.plan import PlanYear, StdPlan


def test_a_range_matches_codes_of_its_length_between_its_ends() -> None:
    cdt = CodeRange.parse("D2700-D2799")
    assert "D2740" in cdt
    assert "D2800" not in cdt
    assert "D274" not in cdt
    assert "99213" in CodeRange.parse("99202-99215")


@pytest.mark.parametrize("text", ["", "99213-992", "99397-99381", "-99381"])
def test_malformed_ranges_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"expected a code|same length|low end"):
        CodeRange.parse(text)


def test_adding_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 6, 1), 12) == date(2027, 6, 1)
    assert add_months(date(2025, 11, 15), 3) == date(2026, 2, 15)


def _std(plan_id: str, year: int) -> StdPlan:
    year_span = PlanYear(date(year, 1, 1), date(year, 12, 31))
    return StdPlan(plan_id, "STD", "acme", year_span, 6000, 100_000, 7, 26)


PLANS = {"std-2025": _std("std-2025", 2025), "std-2026": _std("std-2026", 2026)}
MEMBER = Member("E1", "F1", "subscriber", "EE", "acme")


def _in_force(spans: tuple[Enrolment, ...], coverage: str, on: date) -> object:
    return plan_in_force(MEMBER, spans, PLANS, coverage, on)  # type: ignore[arg-type]


def test_a_span_pinned_to_a_plan_is_clipped_to_its_plan_year() -> None:
    spans = (Enrolment("E1", "std", date(2020, 1, 1), plan_id="std-2026"),)
    assert isinstance(_in_force(spans, "std", date(2026, 3, 1)), PlanInForce)
    assert _in_force(spans, "std", date(2025, 12, 31)) == NotCovered(
        "26", "service 2025-12-31 is before plan std-2026 begins"
    )
    after = _in_force(spans, "std", date(2027, 1, 1))
    assert isinstance(after, NotCovered)
    assert after.carc == "27"


def test_an_open_span_follows_the_sponsors_plan_into_the_next_year() -> None:
    spans = (Enrolment("E1", "std", date(2025, 3, 1)),)
    for day, plan_id in ((date(2025, 6, 1), "std-2025"), (date(2026, 6, 1), "std-2026")):
        found = _in_force(spans, "std", day)
        assert isinstance(found, PlanInForce)
        assert found.plan.id == plan_id
    assert isinstance(_in_force(spans, "std", date(2027, 6, 1)), NeedsReview)


def test_before_the_span_is_co26_and_after_it_co27() -> None:
    spans = (Enrolment("E1", "std", date(2026, 2, 1), date(2026, 5, 31)),)
    before = _in_force(spans, "std", date(2026, 1, 31))
    after = _in_force(spans, "std", date(2026, 6, 1))
    assert isinstance(before, NotCovered)
    assert isinstance(after, NotCovered)
    assert (before.carc, after.carc) == ("26", "27")


def test_no_enrolment_of_the_kind_is_not_our_insured() -> None:
    spans = (Enrolment("E1", "std", date(2026, 1, 1)),)
    found = _in_force(spans, "medical", date(2026, 3, 1))
    assert isinstance(found, NotCovered)
    assert found.carc == "31"


def test_continuous_coverage_runs_back_through_renewals() -> None:
    spans = (
        Enrolment("E1", "std", date(2025, 3, 1), date(2025, 12, 31), plan_id="std-2025"),
        Enrolment("E1", "std", date(2026, 1, 1), plan_id="std-2026"),
    )
    found = _in_force(spans, "std", date(2026, 5, 1))
    assert isinstance(found, PlanInForce)
    assert found.plan.id == "std-2026"
    assert found.coverage_start == date(2025, 3, 1)


def test_a_gap_restarts_continuous_coverage() -> None:
    spans = (
        Enrolment("E1", "std", date(2025, 3, 1), date(2025, 11, 30)),
        Enrolment("E1", "std", date(2026, 1, 1)),
    )
    found = _in_force(spans, "std", date(2026, 5, 1))
    assert isinstance(found, PlanInForce)
    assert found.coverage_start == date(2026, 1, 1)


def test_the_span_tier_decides_the_family_tier() -> None:
    spans = (Enrolment("E1", "std", date(2026, 1, 1), tier="FAM"),)
    found = _in_force(spans, "std", date(2026, 5, 1))
    assert isinstance(found, PlanInForce)
    assert found.on_family_tier
