"""Specific stop-loss beyond the worked example: reversals, the ASD, partial policies."""

from dataclasses import replace
from datetime import date

import pytest

from openaso.core.stoploss import (
    ContractBasis,
    PaidClaim,
    PolicyPeriod,
    SpecificCover,
    StopLossPolicy,
    aggregate_report,
    eligible_claims,
    notices,
    specific_positions,
)

USD = 100
POLICY = StopLossPolicy(
    id="sl",
    sponsor="acme",
    carrier="summit-re",
    period=PolicyPeriod(date(2026, 1, 1), date(2026, 12, 31)),
    basis=ContractBasis.parse("12/12"),
    covers=frozenset({"medical"}),
    specific=SpecificCover(
        deductible=100_000 * USD, aggregating_deductible=50_000 * USD, premium={"EE": 1}
    ),
    aggregate=None,
)


def paid(claim_id: str, member: str, on: date, dollars: int) -> PaidClaim:
    return PaidClaim(claim_id, member, date(2026, 1, 5), on, dollars * USD, "medical")


def test_a_reversal_frees_the_asd_it_held_for_the_next_excess() -> None:
    claims = [
        paid("A1", "A", date(2026, 2, 1), 130_000),  # A: $30k excess, all to the ASD
        paid("B1", "B", date(2026, 3, 1), 140_000),  # B: $40k excess, $20k to the ASD
    ]
    before = {p.member_id: p for p in specific_positions(POLICY, claims)}
    assert (before["A"].asd_retained, before["B"].asd_retained) == (30_000 * USD, 20_000 * USD)
    assert before["B"].reimbursable == 20_000 * USD
    # A's claim is voided: A has no excess, and the freed $30k of ASD takes B's other $20k
    voided = [*claims, paid("A1-void", "A", date(2026, 4, 1), -130_000)]
    after = {p.member_id: p for p in specific_positions(POLICY, voided)}
    assert (after["A"].excess, after["A"].asd_retained) == (0, 0)
    assert (after["B"].asd_retained, after["B"].reimbursable) == (40_000 * USD, 0)


def test_positions_to_date_leave_out_later_payments() -> None:
    claims = [paid("A1", "A", date(2026, 2, 1), 60_000), paid("A2", "A", date(2026, 5, 1), 90_000)]
    (april,) = specific_positions(POLICY, claims, through=date(2026, 4, 30))
    (may,) = specific_positions(POLICY, claims, through=date(2026, 5, 31))
    assert (april.paid, april.excess) == (60_000 * USD, 0)
    assert (may.paid, may.excess) == (150_000 * USD, 50_000 * USD)


def test_a_policy_naming_its_plans_covers_only_their_claims() -> None:
    named = replace(POLICY, plans=("acme-ppo-2026",))
    ours = replace(paid("C1", "A", date(2026, 2, 1), 10), plan_id="acme-ppo-2026")
    other = replace(ours, claim_id="C2", plan_id="globex-ppo-2026")
    unnamed = replace(ours, claim_id="C3", plan_id=None)
    assert eligible_claims(named, [ours, other, unnamed]) == (ours, unnamed)


def test_a_policy_without_specific_cover_has_no_positions_or_notices() -> None:
    aggregate_only = replace(POLICY, specific=None)
    claims = [paid("A1", "A", date(2026, 2, 1), 500_000)]
    assert specific_positions(aggregate_only, claims) == ()
    assert notices(aggregate_only, claims) == ()


def test_an_aggregate_report_needs_aggregate_cover() -> None:
    with pytest.raises(ValueError, match="has no aggregate cover"):
        aggregate_report(POLICY, [], {}, date(2026, 1, 1))
