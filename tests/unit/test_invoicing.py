"""Invoice lines from member-months: domain.md §5's group, retroactive changes, the invariant."""

from collections import Counter
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaso.adapters.files.fee_contract import load_contract_file
from openaso.core.dates import add_months
from openaso.core.invoicing import (
    BillingError,
    FeeContract,
    FeeTerms,
    MemberMonth,
    draft_invoice,
    enrolled_member_months,
    rates_for,
)
from openaso.core.members import Enrolment, TierCode
from tests.conftest import ROOT

CONTRACT = ROOT / "tests" / "fixtures" / "fees" / "acme-fees-2026.yaml"
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@cache
def acme() -> FeeContract:
    loaded, findings = load_contract_file(Path(CONTRACT), "acme")
    assert loaded is not None, findings
    return FeeContract("acme", (loaded.terms,))


def group(month: date, ee: int = 120, fam: int = 80) -> set[MemberMonth]:
    return {MemberMonth(f"E{i}", month, "EE") for i in range(ee)} | {
        MemberMonth(f"F{i}", month, "FAM") for i in range(fam)
    }


def test_the_domain_group_of_120_ee_and_80_family_is_billed_its_fixed_costs() -> None:
    draft = draft_invoice(acme(), JAN, group(JAN), {}, [])
    by_component = Counter[str]()
    for line in draft.lines:
        by_component[line.component] += line.amount
    # admin 30 + network 10 = 40 PEPM × 200; specific 120 × 85 + 80 × 210; aggregate 6 × 200
    assert by_component == {
        "admin": 600_000,
        "network": 200_000,
        "specific": 2_700_000,
        "aggregate": 120_000,
    }
    assert draft.fees == 800_000
    assert draft.premiums == 2_820_000
    assert draft.carriers == {"summit-re": 2_820_000}
    # a year of it is domain.md §5's fixed costs: 96,000 + 324,000 + 14,400 = 434,400
    assert 12 * draft.total == 43_440_000
    assert all(line.member_id is None for line in draft.lines)


def test_a_month_invoiced_again_with_nothing_changed_has_no_adjustments() -> None:
    billed = dict.fromkeys(group(JAN), 1)
    draft = draft_invoice(acme(), FEB, group(JAN) | group(FEB), billed, [JAN])
    assert not [line for line in draft.lines if line.adjustment]
    assert draft.total == 3_620_000


def test_a_retroactive_add_bills_each_month_already_invoiced_per_member_month() -> None:
    billed = dict.fromkeys(group(JAN) | group(FEB), 1)
    late = {MemberMonth("N1", m, "FAM") for m in (JAN, FEB, MAR)}
    draft = draft_invoice(
        acme(), MAR, group(JAN) | group(FEB) | group(MAR) | late, billed, [JAN, FEB]
    )
    adjustments = [line for line in draft.lines if line.adjustment]
    assert {(line.member_id, line.month) for line in adjustments} == {("N1", JAN), ("N1", FEB)}
    # one family member-month: 30 + 10 + 210 + 6 = 256.00, for January and February
    assert sum(line.amount for line in adjustments) == 2 * 25_600
    assert draft.total == 3_620_000 + 25_600 + 2 * 25_600


def test_a_retroactive_termination_credits_the_months_billed_after_it() -> None:
    billed = dict.fromkeys(group(JAN) | group(FEB), 1)
    now = (group(JAN) | group(FEB) | group(MAR)) - {
        MemberMonth("E0", FEB, "EE"),
        MemberMonth("E0", MAR, "EE"),
    }
    draft = draft_invoice(acme(), MAR, now, billed, [JAN, FEB])
    adjustments = [line for line in draft.lines if line.adjustment]
    assert {(line.member_id, line.month, line.quantity) for line in adjustments} == {
        ("E0", FEB, -1)
    }
    assert sum(line.amount for line in adjustments) == -(3_000 + 1_000 + 8_500 + 600)
    assert (MemberMonth("E0", FEB, "EE"), -1) in draft.member_months


def test_a_retroactive_tier_change_credits_the_old_tier_and_bills_the_new() -> None:
    billed = dict.fromkeys(group(JAN), 1)
    now = (group(JAN) - {MemberMonth("E0", JAN, "EE")}) | {MemberMonth("E0", JAN, "FAM")}
    draft = draft_invoice(acme(), FEB, now | group(FEB), billed, [JAN])
    adjustments = [line for line in draft.lines if line.adjustment]
    assert sum(line.amount for line in adjustments) == 25_600 - 13_100


def test_an_employee_counts_for_a_month_when_covered_on_its_first_day() -> None:
    spans = [
        Enrolment("A", "medical", date(2026, 1, 1), date(2026, 2, 27)),  # gone before Mar 1
        Enrolment("B", "medical", date(2026, 1, 2), None, "FAM"),  # from February
        Enrolment("B-02", "medical", date(2026, 1, 1)),  # a dependent: not an employee
        Enrolment("C", "dental", date(2026, 1, 1)),  # not the billed coverage
    ]
    subscribers: dict[str, TierCode] = {"A": "EE", "B": "EE", "C": "EE"}
    months = enrolled_member_months(subscribers, spans, "medical", [JAN, FEB, MAR])
    assert months == {
        MemberMonth("A", JAN, "EE"),
        MemberMonth("A", FEB, "EE"),
        MemberMonth("B", FEB, "FAM"),
        MemberMonth("B", MAR, "FAM"),
    }


def test_a_tier_the_contract_does_not_price_is_refused_with_what_it_names() -> None:
    with pytest.raises(
        BillingError, match="stop-loss policy acme-sl-2026: enrolment names tier ES"
    ):
        draft_invoice(acme(), JAN, {MemberMonth("S1", JAN, "ES")}, {}, [])


def test_a_month_outside_the_stop_loss_policy_is_refused() -> None:
    with pytest.raises(BillingError, match="covers 2026-01 to 2026-12, not 2027-01"):
        rates_for(acme().terms_for(date(2027, 1, 1)), date(2027, 1, 1), "EE")


def test_the_latest_contract_version_in_force_bills_a_month() -> None:
    first = acme().versions[0]
    raised = FeeTerms("acme", date(2026, 7, 1), "medical", {"EE": 3_500}, {}, {"EE": 49_100})
    contract = FeeContract("acme", (first, raised))
    assert contract.terms_for(date(2026, 6, 1)) is first
    assert contract.terms_for(date(2026, 7, 1)) is raised
    with pytest.raises(BillingError, match="no fee contract of acme is in force in 2025-12"):
        contract.terms_for(date(2025, 12, 1))


# --- the invariant: what was invoiced, adjustments included, is what the member-months say ---

MEMBERS = [f"M{i}" for i in range(6)]
tiers = st.sampled_from(["EE", "FAM"])
# each step: the member-months enrolment says now for months 0..11 (a random history)
histories = st.lists(
    st.dictionaries(st.tuples(st.sampled_from(MEMBERS), st.integers(0, 11)), tiers, max_size=30),
    min_size=1,
    max_size=8,
)


@given(histories)
def test_invoiced_less_adjustments_equals_what_the_member_months_say(
    steps: list[dict[tuple[str, int], TierCode]],
) -> None:
    contract = acme()
    billed: Counter[MemberMonth] = Counter()
    invoiced: list[date] = []
    total = 0
    for number, state in enumerate(steps):
        month = add_months(JAN, number)
        now = {MemberMonth(m, add_months(JAN, i), tier) for (m, i), tier in state.items()}
        draft = draft_invoice(contract, month, now, dict(billed), invoiced)
        for mm, count in draft.member_months:
            billed[mm] += count
        invoiced.append(month)
        total += draft.total
        # every member-month invoiced so far is billed once exactly as enrolment now says
        assert {mm for mm, count in billed.items() if count} == {
            mm for mm in now if mm.month in invoiced
        }
        assert all(count in (0, 1) for count in billed.values())
        expected = sum(
            sum(rates_for(contract.terms_for(mm.month), mm.month, mm.tier).values())
            for mm in now
            if mm.month in invoiced
        )
        assert total == expected
