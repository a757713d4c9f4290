"""Invariants of the stop-loss calculations over random policies and paid claims (hypothesis)."""

from collections import Counter
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.core.money import percent_of
from openaso.core.stoploss import (
    AggregateCover,
    ContractBasis,
    Enrolled,
    Laser,
    MinimumAttachment,
    PaidClaim,
    PolicyPeriod,
    Rates,
    SpecificCover,
    StopLossPolicy,
    aggregate_report,
    aggregate_settlement,
    eligible_claims,
    notices,
    specific_positions,
)

YEAR = PolicyPeriod(date(2026, 1, 1), date(2026, 12, 31))
MEMBERS = ["M1", "M2", "M3", "M4", "L1", "X1"]
TIERS: Rates = {"EE": 45_000, "FAM": 125_000}
ENROLLED: Enrolled = {month: {"EE": 1, "FAM": 1} for month in YEAR.months}


@st.composite
def policies(draw: st.DrawFn) -> StopLossPolicy:
    deductible = draw(st.integers(100_000, 5_000_000))
    lasers = (
        Laser("L1", deductible + draw(st.integers(1, 5_000_000))),
        Laser("X1", None),
    )
    floor = draw(
        st.none()
        | st.builds(MinimumAttachment, st.none() | st.integers(1, 12_000), st.none())
        | st.builds(MinimumAttachment, st.none(), st.integers(0, 3_000_000))
    )
    return StopLossPolicy(
        id="p",
        sponsor="acme",
        carrier="c",
        period=YEAR,
        basis=ContractBasis.parse(draw(st.sampled_from(["12/12", "12/15", "15/12", "paid"]))),
        covers=frozenset(draw(st.sets(st.sampled_from(["medical", "rx", "dental"]), min_size=1))),
        specific=SpecificCover(
            deductible=deductible,
            aggregating_deductible=draw(st.sampled_from([0, 0, 500_000, 3_000_000])),
            lasers=lasers,
            notice_percent=draw(st.integers(1, 10_000)),
            trigger_diagnoses=("C50", "I21"),
            premium={"EE": 8_500, "FAM": 21_000},
        ),
        aggregate=AggregateCover(
            factors=TIERS,
            minimum_attachment=floor,
            maximum=draw(st.none() | st.integers(0, 20_000_000)),
            premium={"EE": 600, "FAM": 600},
            accommodation=True,
            laser_retention_counts=draw(st.booleans()),
            asd_retention_counts=draw(st.booleans()),
        ),
    )


@st.composite
def paid_claims(draw: st.DrawFn) -> list[PaidClaim]:
    result: list[PaidClaim] = []
    for number in range(draw(st.integers(0, 30))):
        incurred = date(2026, 1, 1) + timedelta(days=draw(st.integers(-120, 380)))
        paid = incurred + timedelta(days=draw(st.integers(0, 200)))
        fact = PaidClaim(
            f"C{number}",
            draw(st.sampled_from(MEMBERS)),
            incurred,
            paid,
            draw(st.integers(0, 400_000) | st.integers(400_000, 8_000_000)),
            draw(st.sampled_from(["medical", "rx", "dental", "std"])),
            draw(st.sampled_from([(), ("C50.911",), ("I10",)])),
        )
        result.append(fact)
        if draw(st.integers(0, 5)) == 0:  # now and then a reversal, paid the same day or later
            later = fact.paid + timedelta(days=draw(st.integers(0, 60)))
            result.append(
                replace(fact, claim_id=f"{fact.claim_id}R", paid=later, amount=-fact.amount)
            )
    return result


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims())
def test_specific_reimbursement_never_exceeds_paid_minus_the_deductible(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    for position in specific_positions(policy, claims):
        assert 0 <= position.asd_retained <= position.excess
        if position.deductible is None:
            assert position.reimbursable == 0
        else:
            assert 0 <= position.reimbursable <= max(0, position.paid - position.deductible)


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims())
def test_the_asd_holds_the_first_excess_up_to_its_amount(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    assert policy.specific is not None
    positions = specific_positions(policy, claims)
    total_excess = sum(p.excess for p in positions)
    held = sum(p.asd_retained for p in positions)
    assert held == min(policy.specific.aggregating_deductible, total_excess)


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims())
def test_reimbursed_plus_retained_is_eligible_paid(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    eligible = sum(c.amount for c in eligible_claims(policy, claims))
    positions = specific_positions(policy, claims)
    specific = sum(p.reimbursable for p in positions)
    assert specific + sum(p.retained for p in positions) == eligible
    settlement = aggregate_settlement(policy, claims, ENROLLED)
    assert settlement.eligible_paid == eligible
    retained = eligible - specific - settlement.reimbursement
    # nothing is reimbursed twice: the aggregate counts no dollar the specific cover repaid
    assert settlement.aggregate_claims <= eligible - specific
    if settlement.reimbursement > 0:
        assert retained >= settlement.attachment  # the sponsor keeps the attachment point


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims())
def test_the_aggregate_pays_nothing_below_the_attachment_and_never_above_the_maximum(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    assert policy.aggregate is not None
    settlement = aggregate_settlement(policy, claims, ENROLLED)
    assert settlement.reimbursement >= 0
    if settlement.aggregate_claims <= settlement.attachment:
        assert settlement.reimbursement == 0
    if policy.aggregate.maximum is not None:
        assert settlement.reimbursement <= policy.aggregate.maximum
    assert settlement.attachment >= settlement.monthly_attachments


@settings(max_examples=100, deadline=None)
@given(policies(), paid_claims())
def test_december_accommodation_equals_the_settlement_when_no_claim_is_paid_later(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    # without run-out and with the minimum below the monthly sum, the year-end settlement is the
    # December report: the accommodation is reconciled and the attachment does not change
    december = aggregate_report(policy, claims, ENROLLED, date(2026, 12, 1))
    settlement = aggregate_settlement(policy, claims, ENROLLED)
    if settlement.minimum_attachment <= settlement.monthly_attachments and str(policy.basis) in {
        "12/12",
        "15/12",
        "paid",
    }:
        assert december.accommodation_due == settlement.reimbursement


@settings(max_examples=100, deadline=None)
@given(policies(), paid_claims())
def test_each_notice_is_given_once_and_only_when_earned(
    policy: StopLossPolicy, claims: list[PaidClaim]
) -> None:
    assert policy.specific is not None
    found = notices(policy, claims)
    assert max(Counter((n.member_id, n.reason) for n in found).values(), default=1) == 1
    assert all(n.member_id != "X1" for n in found)  # excluded from specific cover
    assert notices(policy, claims, already=[(n.member_id, n.reason) for n in found]) == ()
    eligible = eligible_claims(policy, claims)
    for notice in found:
        if notice.reason == "threshold":
            deductible = policy.specific.deductible_for(notice.member_id)
            assert deductible is not None
            upto = [c.claim_id for c in eligible].index(notice.claim_id)
            paid = sum(c.amount for c in eligible[: upto + 1] if c.member_id == notice.member_id)
            assert paid >= percent_of(deductible, policy.specific.notice_percent)


@settings(max_examples=100, deadline=None)
@given(policies(), paid_claims(), st.dates(date(2026, 1, 1), date(2027, 6, 30)))
def test_eligible_claims_lie_in_the_windows_in_paid_order(
    policy: StopLossPolicy, claims: list[PaidClaim], through: date
) -> None:
    incurred, paid = policy.windows()
    chosen = eligible_claims(policy, claims, through=through)
    assert all(c.incurred in incurred and c.paid in paid and c.paid <= through for c in chosen)
    assert all(c.coverage in policy.covers for c in chosen)
    assert [c.paid for c in chosen] == sorted(c.paid for c in chosen)
    assert Counter(chosen) <= Counter(claims)
