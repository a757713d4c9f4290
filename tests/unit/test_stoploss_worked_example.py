"""domain.md §4.6 worked by hand: 120 EE + 80 family, $100k specific on 12/15, 125% aggregate.

Every expected amount is worked out in the comment beside it; amounts are in cents.
"""

from dataclasses import replace
from datetime import date

import pytest

from openaso.core.stoploss import (
    AggregateCover,
    ContractBasis,
    Enrolled,
    Laser,
    MinimumAttachment,
    PaidClaim,
    PolicyPeriod,
    SpecificCover,
    StopLossPolicy,
    aggregate_report,
    aggregate_settlement,
    eligible_claims,
    monthly_attachments,
    monthly_premium,
    notices,
    specific_positions,
)

YEAR = PolicyPeriod(date(2026, 1, 1), date(2026, 12, 31))
MONTHS = YEAR.months
STABLE: Enrolled = {month: {"EE": 120, "FAM": 80} for month in MONTHS}
USD = 100  # cents in a dollar


def acme(
    *,
    asd: int = 0,
    laser_counts: bool = True,
    asd_counts: bool = False,
    basis: str = "12/15",
) -> StopLossPolicy:
    return StopLossPolicy(
        id="acme-sl-2026",
        sponsor="acme",
        carrier="summit-re",
        period=YEAR,
        basis=ContractBasis.parse(basis),
        covers=frozenset({"medical", "rx"}),
        specific=SpecificCover(
            deductible=100_000 * USD,
            aggregating_deductible=asd * USD,
            lasers=(Laser("L", 250_000 * USD), Laser("X", None)),
            notice_percent=5_000,
            trigger_diagnoses=("C50", "I21"),
            premium={"EE": 85 * USD, "FAM": 210 * USD},
        ),
        aggregate=AggregateCover(
            factors={"EE": 450 * USD, "FAM": 1_250 * USD},
            minimum_attachment=MinimumAttachment(percent_of_first_month=9_500),
            maximum=1_000_000 * USD,
            premium={"EE": 6 * USD, "FAM": 6 * USD},
            accommodation=True,
            laser_retention_counts=laser_counts,
            asd_retention_counts=asd_counts,
        ),
        terminal_liability=True,
    )


def claim(member: str, paid: date, dollars: int, *, diagnoses: tuple[str, ...] = ()) -> PaidClaim:
    incurred = paid.replace(day=1)
    return PaidClaim(
        f"{member}-{paid}", member, incurred, paid, dollars * USD, "medical", diagnoses
    )


def year_of_claims() -> list[PaidClaim]:
    """$2,300,000 paid: B $340k (Mar-Jun), L $300k (Jul-Sep), 83 others $20k each."""
    b = [claim("B", date(2026, month, 15), 85_000) for month in (3, 4, 5, 6)]  # 4 × 85k = 340k
    lasered = [claim("L", date(2026, month, 15), 100_000) for month in (7, 8, 9)]  # 3 × 100k
    others = [claim(f"M{i}", date(2026, 1 + i % 12, 10), 20_000) for i in range(83)]  # 1.66M
    return b + lasered + others


def test_the_monthly_attachment_is_factor_times_enrolled_by_tier() -> None:
    # 120 × $450 + 80 × $1,250 = $54,000 + $100,000 = $154,000 a month
    assert monthly_attachments(acme(), STABLE) == (154_000 * USD,) * 12


def test_the_stable_year_attaches_at_1_848_000_above_the_minimum() -> None:
    settlement = aggregate_settlement(acme(), [], STABLE)
    assert settlement.monthly_attachments == 1_848_000 * USD  # 12 × $154,000
    assert settlement.minimum_attachment == 1_755_600 * USD  # 0.95 × $154,000 × 12
    assert settlement.attachment == 1_848_000 * USD


def test_a_fall_in_enrolment_leaves_the_minimum_attachment() -> None:
    # months 7-12: 100 × $450 + 60 × $1,250 = $45,000 + $75,000 = $120,000
    # 6 × $154,000 + 6 × $120,000 = $924,000 + $720,000 = $1,644,000 < $1,755,600
    fallen: Enrolled = {m: STABLE[m] if m.month <= 6 else {"EE": 100, "FAM": 60} for m in MONTHS}
    settlement = aggregate_settlement(acme(), year_of_claims(), fallen)
    assert settlement.monthly_attachments == 1_644_000 * USD
    assert settlement.attachment == 1_755_600 * USD
    # $2,010,000 aggregate claims − $1,755,600 = $254,400
    assert settlement.reimbursement == 254_400 * USD


def test_specific_reimbursement_is_paid_above_the_deductible_or_the_laser() -> None:
    by_member = {p.member_id: p for p in specific_positions(acme(), year_of_claims())}
    assert by_member["B"].reimbursable == 240_000 * USD  # $340k − $100k
    assert by_member["B"].retained == 100_000 * USD  # B contributes $100k toward the aggregate
    assert by_member["L"].reimbursable == 50_000 * USD  # $300k − $250k laser
    assert by_member["M0"].reimbursable == 0  # $20k, under the $100k deductible
    assert sum(p.reimbursable for p in by_member.values()) == 290_000 * USD


def test_the_asd_absorbs_the_first_50_000_of_excess() -> None:
    by_member = {p.member_id: p for p in specific_positions(acme(asd=50_000), year_of_claims())}
    # B passes $100k in April ($170k paid, $70k excess): the ASD takes its first $50k
    assert by_member["B"].asd_retained == 50_000 * USD
    assert by_member["B"].reimbursable == 190_000 * USD  # $240k − $50k
    assert by_member["L"].reimbursable == 50_000 * USD  # the ASD is used up by September
    assert sum(p.reimbursable for p in by_member.values()) == 240_000 * USD  # $290k − $50k


def test_the_asd_holds_nothing_while_no_member_has_passed_the_deductible() -> None:
    by_member = {
        p.member_id: p
        for p in specific_positions(acme(asd=50_000), year_of_claims(), through=date(2026, 3, 31))
    }
    assert by_member["B"].paid == 85_000 * USD  # March only
    assert all(p.asd_retained == 0 for p in by_member.values())


def test_aggregate_claims_are_net_of_specific_excess() -> None:
    settlement = aggregate_settlement(acme(), year_of_claims(), STABLE)
    assert settlement.eligible_paid == 2_300_000 * USD
    assert settlement.specific_excess == 290_000 * USD  # $240k (B) + $50k (L)
    assert settlement.aggregate_claims == 2_010_000 * USD  # $2,300,000 − $290,000
    assert settlement.reimbursement == 162_000 * USD  # $2,010,000 − $1,848,000


def test_the_asd_retention_stays_out_of_the_aggregate_unless_the_contract_counts_it() -> None:
    # the ASD keeps $50k of excess, but the $290k of specific excess still leaves the aggregate
    kept_out = aggregate_settlement(acme(asd=50_000), year_of_claims(), STABLE)
    assert kept_out.reimbursement == 162_000 * USD
    # counted: $2,010,000 + $50,000 = $2,060,000 − $1,848,000 = $212,000
    counted = aggregate_settlement(acme(asd=50_000, asd_counts=True), year_of_claims(), STABLE)
    assert counted.reimbursement == 212_000 * USD


def test_a_laser_retention_can_be_left_out_of_the_aggregate() -> None:
    # L counts only up to the $100k group deductible: $1,660,000 + $100k (B) + $100k (L)
    # = $1,860,000 − $1,848,000 = $12,000
    settlement = aggregate_settlement(acme(laser_counts=False), year_of_claims(), STABLE)
    assert settlement.aggregate_claims == 1_860_000 * USD
    assert settlement.reimbursement == 12_000 * USD


def test_the_aggregate_maximum_caps_the_reimbursement() -> None:
    # 75 members × $40,000 = $3,000,000 − $1,848,000 = $1,152,000 over, capped at $1,000,000
    heavy = [claim(f"H{i}", date(2026, 6, 1), 40_000) for i in range(75)]
    settlement = aggregate_settlement(acme(), heavy, STABLE)
    assert settlement.reimbursement == 1_000_000 * USD


def test_nothing_is_reimbursed_below_the_attachment() -> None:
    light = [claim(f"M{i}", date(2026, 6, 1), 20_000) for i in range(50)]  # $1,000,000
    assert aggregate_settlement(acme(), light, STABLE).reimbursement == 0


def test_accommodation_in_month_6_advances_what_claims_exceed_the_attachment_to_date() -> None:
    # 50 members × $20,000 paid January to June = $1,000,000 year to date
    early = [claim(f"M{i}", date(2026, 1 + i % 6, 20), 20_000) for i in range(50)]
    report = aggregate_report(acme(), early, STABLE, date(2026, 6, 1))
    assert report.attachment == 924_000 * USD  # 6 × $154,000
    assert report.aggregate_claims == 1_000_000 * USD
    assert report.accommodation_due == 76_000 * USD  # $1,000,000 − $924,000
    # July adds $154,000 of attachment and no claims: nothing more is due
    july = aggregate_report(acme(), early, STABLE, date(2026, 7, 1), advanced=76_000 * USD)
    assert july.accommodation_due == 0
    # the year-end settlement nets the advance: $162,000 − $76,000 = $86,000 still due
    settled = aggregate_settlement(acme(), year_of_claims(), STABLE, advanced=76_000 * USD)
    assert settled.balance == 86_000 * USD


def test_the_accommodation_is_repaid_when_the_year_ends_below_the_attachment() -> None:
    early = [claim(f"M{i}", date(2026, 1 + i % 6, 20), 20_000) for i in range(50)]
    settled = aggregate_settlement(acme(), early, STABLE, advanced=76_000 * USD)
    assert settled.reimbursement == 0
    assert settled.balance == -76_000 * USD  # the sponsor returns the advance


def test_the_terminal_liability_option_raises_the_attachment_and_extends_the_run_out() -> None:
    # incurred in December 2026, paid in May 2027
    late = PaidClaim("C1", "M1", date(2026, 12, 10), date(2027, 5, 20), 20_000 * USD, "medical")
    settled = aggregate_settlement(acme(), [late], STABLE, terminated=True)
    # $1,848,000 + 3 × $154,000 = $2,310,000
    assert settled.attachment == 2_310_000 * USD
    # 12/15 pays through March 2027; the option's 3 more months reach June 2027
    assert settled.eligible_paid == 20_000 * USD
    assert aggregate_settlement(acme(), [late], STABLE).eligible_paid == 0


def test_the_premium_is_the_rate_times_enrolled_employees() -> None:
    premium = monthly_premium(acme(), {"EE": 120, "FAM": 80})
    assert premium.specific == 27_000 * USD  # 120 × $85 + 80 × $210 = $10,200 + $16,800
    assert premium.aggregate == 1_200 * USD  # 200 × $6
    # domain.md §5: $27,000 × 12 = $324,000 and $1,200 × 12 = $14,400 a year
    assert premium.total * 12 == (324_000 + 14_400) * USD


def test_an_enrolment_tier_the_policy_does_not_rate_cannot_be_priced() -> None:
    with pytest.raises(ValueError, match="tier ES"):
        monthly_premium(acme(), {"EE": 120, "ES": 4})


def test_a_report_month_without_enrolment_cannot_be_reported() -> None:
    with pytest.raises(ValueError, match="no enrolment for the month of 2026-02-01"):
        aggregate_report(acme(), [], {MONTHS[0]: {"EE": 1}}, date(2026, 3, 1))


@pytest.mark.parametrize(
    ("basis", "incurred", "paid", "eligible"),
    [
        ("12/12", date(2026, 12, 20), date(2026, 12, 31), True),
        ("12/12", date(2026, 12, 20), date(2027, 1, 5), False),  # paid after the year
        ("12/15", date(2026, 12, 20), date(2027, 3, 31), True),  # 3 months' run-out
        ("12/15", date(2026, 12, 20), date(2027, 4, 1), False),
        ("12/15", date(2025, 12, 20), date(2026, 1, 5), False),  # incurred before the year
        ("15/12", date(2025, 10, 1), date(2026, 2, 1), True),  # 3 months' run-in
        ("15/12", date(2025, 9, 30), date(2026, 2, 1), False),
        ("15/12", date(2026, 12, 20), date(2027, 1, 5), False),  # no run-out
        ("12/24", date(2026, 12, 20), date(2027, 12, 31), True),  # 12 months' run-out
        ("paid", date(2019, 5, 1), date(2026, 7, 1), True),  # any incurral, paid in the year
        ("paid", date(2026, 12, 20), date(2027, 1, 5), False),
        ("incurred", date(2026, 12, 20), date(2029, 1, 5), True),  # paid any time after
    ],
)
def test_the_contract_basis_sets_the_incurred_and_paid_windows(
    basis: str, incurred: date, paid: date, eligible: bool
) -> None:
    fact = PaidClaim("C1", "M1", incurred, paid, 100, "medical")
    assert (eligible_claims(acme(basis=basis), [fact]) == (fact,)) is eligible
    assert str(ContractBasis.parse(basis)) == basis


def test_only_covered_coverage_kinds_are_eligible() -> None:
    dental = replace(claim("M1", date(2026, 3, 1), 100), coverage="dental")
    assert eligible_claims(acme(), [dental]) == ()


def test_notices_are_given_once_at_half_the_deductible_or_on_a_trigger_diagnosis() -> None:
    facts = [
        *year_of_claims(),
        claim("D", date(2026, 2, 1), 500, diagnoses=("c50.911",)),
        claim("D", date(2026, 5, 1), 900, diagnoses=("C50.912",)),
        claim("X", date(2026, 2, 1), 400_000, diagnoses=("I21.4",)),  # excluded: no notice
    ]
    found = {(n.member_id, n.reason): n for n in notices(acme(), facts)}
    assert set(found) == {("B", "threshold"), ("L", "threshold"), ("D", "diagnosis")}
    # B's first claim ($85k) passes 50% of $100k; L passes 50% of the $250k laser ($125k)
    # with its second claim ($200k)
    assert found["B", "threshold"].on == date(2026, 3, 15)
    assert found["L", "threshold"].on == date(2026, 8, 15)
    assert found["D", "diagnosis"].detail == "diagnosis c50.911 is on the trigger list (C50)"
    assert found["B", "threshold"].detail == (
        "paid 85000.00 reaches 50% of the specific deductible 100000.00"
    )
    again = notices(acme(), facts, already=[("B", "threshold"), ("D", "diagnosis")])
    assert [(n.member_id, n.reason) for n in again] == [("L", "threshold")]
