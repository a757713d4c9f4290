"""Experience figures: every view adds up to the same paid total; categories from codes."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.analytics.categories import CATEGORIES, service_category
from openaso.analytics.experience import Cell, Exposure, PaidLines, experience
from openaso.services.analytics import withhold_small_cells

FIRST = 2026 * 12
TIERS = ("EE", "FAM")


def _book(seed: int, members: int, lines: int) -> tuple[PaidLines, Exposure]:
    rng = np.random.default_rng(seed)
    tier_of = rng.integers(0, 2, members)
    member = rng.integers(0, members, lines)
    paid = PaidLines(
        member=member,
        month=rng.integers(FIRST, FIRST + 12, lines),
        category=rng.integers(0, len(CATEGORIES), lines),
        tier=tier_of[member],
        paid=rng.integers(0, 2_000_000, lines),
        members=tuple(f"M{i}" for i in range(members)),
        categories=CATEGORIES,
        tiers=TIERS,
    )
    months = np.repeat(np.arange(FIRST, FIRST + 12), members)
    everyone = np.tile(np.arange(members), 12)
    exposure = Exposure(
        member=everyone,
        month=months,
        tier=tier_of[everyone],
        employee=everyone % 3 == 0,
    )
    return paid, exposure


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), members=st.integers(1, 60), lines=st.integers(0, 400))
def test_months_categories_and_tiers_each_add_up_to_the_total_paid(
    seed: int, members: int, lines: int
) -> None:
    paid, exposure = _book(seed, members, lines)
    keys = {m: f"key-{m}" for m in paid.members}
    result = experience(paid, exposure, range(FIRST, FIRST + 12), keys, large_claim=3_000_000)
    total = int(paid.paid.sum())
    assert result.total.paid == total
    for view in (result.by_month, result.by_category, result.by_tier):
        assert sum(cell.paid or 0 for cell in view) == total
    assert result.total.member_months == 12 * members
    assert all(c.paid >= 3_000_000 for c in result.large_claimants)
    assert [c.paid for c in result.large_claimants] == sorted(
        (c.paid for c in result.large_claimants), reverse=True
    )


def test_a_flat_pmpm_has_no_trend_and_a_growing_one_its_annual_rate() -> None:
    members = 100
    exposure = Exposure(
        member=np.tile(np.arange(members), 12),
        month=np.repeat(np.arange(FIRST, FIRST + 12), members),
        tier=np.zeros(12 * members, dtype=np.int64),
        employee=np.ones(12 * members, dtype=np.bool_),
    )
    growth = 1.10 ** (np.arange(12) / 12)
    paid = PaidLines(
        member=np.zeros(12, dtype=np.int64),
        month=np.arange(FIRST, FIRST + 12),
        category=np.zeros(12, dtype=np.int64),
        tier=np.zeros(12, dtype=np.int64),
        paid=np.rint(50_000 * members * growth).astype(np.int64),
        members=("M0",),
        categories=CATEGORIES,
        tiers=("EE",),
    )
    result = experience(paid, exposure, range(FIRST, FIRST + 12), {"M0": "k"})
    assert result.trend is not None
    assert abs(result.trend - 0.10) < 0.001
    assert result.by_month[0].pmpm == 50_000


def test_service_categories_follow_the_documented_code_ranges() -> None:
    assert service_category("medical", "99213") == "office_visit"
    assert service_category("medical", "99396") == "preventive"
    assert service_category("medical", "99284") == "emergency"
    assert service_category("medical", "0450") == "emergency"
    assert service_category("medical", "0120") == "inpatient"
    assert service_category("medical", "0360") == "outpatient_facility"
    assert service_category("medical", "27447") == "surgery"
    assert service_category("medical", "72148") == "imaging"
    assert service_category("medical", "80053") == "lab"
    assert service_category("medical", "J1100") == "pharmacy"
    assert service_category("rx", "00002-1433") == "pharmacy"
    assert service_category("dental", "D1110") == "dental"
    assert service_category("medical", "A0428") == "other_professional"


@given(members=st.lists(st.integers(0, 40), min_size=1, max_size=12))
def test_withheld_cells_never_leave_one_small_cell_recoverable_from_the_total(
    members: list[int],
) -> None:
    view = tuple(Cell(f"c{i}", n, 0, 0, 100 * n, None, None) for i, n in enumerate(members))
    shown = withhold_small_cells(view)
    withheld = [c for c, s in zip(view, shown, strict=True) if s.paid is None]
    assert all(s.members == 0 or s.members >= 10 for s in shown if s.paid is not None)
    if withheld:
        together = sum(c.members for c in withheld)
        assert together >= 10 or len(withheld) == sum(1 for n in members if n > 0)
