"""Specific reimbursement filings: what to claim from the carrier now, given what was filed.

A filing claims the difference between a claimant's reimbursable excess to date and what was
filed for them before, so filing again with nothing new files nothing, a later payment run
that raises the claimant's paid claims files only the increase, and a void after a filing
files the decrease as a negative (supplementary) filing. The sum of a claimant's filings is
therefore always their reimbursable excess, which never exceeds their paid claims above their
(lasered) deductible.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from openaso.core.money import Cents
from openaso.core.stoploss.claims import PaidClaim, eligible_claims
from openaso.core.stoploss.policy import StopLossPolicy
from openaso.core.stoploss.specific import SpecificPosition, positions

FilingKind = Literal["specific", "accommodation", "aggregate"]


@dataclass(frozen=True, slots=True)
class Filing:
    """A filing on file with the carrier: specific (a claimant), accommodation or aggregate."""

    id: str
    policy_id: str
    kind: FilingKind
    member_id: str | None
    through: date
    filed_on: date
    amount: Cents  # signed
    received: Cents  # signed like amount
    detail: Mapping[str, Any]

    @property
    def outstanding(self) -> Cents:
        return self.amount - self.received


@dataclass(frozen=True, slots=True)
class ListedClaim:
    """One line of a filing's claims listing: what the plan paid on a claim, and when."""

    claim_id: str
    incurred: date
    paid: date
    amount: Cents


@dataclass(frozen=True, slots=True)
class SpecificFilingDue:
    """A claimant's filing: their position to date, what was filed before, and the listing."""

    position: SpecificPosition
    filed_before: Cents
    listing: tuple[ListedClaim, ...]

    @property
    def member_id(self) -> str:
        return self.position.member_id

    @property
    def amount(self) -> Cents:
        """Reimbursable not yet filed; negative when a void shrank what was filed."""
        return self.position.reimbursable - self.filed_before


def specific_filings_due(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    filed: Mapping[str, Cents],
    *,
    through: date,
) -> tuple[SpecificFilingDue, ...]:
    """The filings owed for claims paid on or before `through`: one per claimant whose
    reimbursable excess differs from what was filed for them (`filed`, by member)."""
    if policy.specific is None:
        return ()
    eligible = eligible_claims(policy, claims, through=through)
    listing: dict[str, list[ListedClaim]] = {}
    for claim in eligible:
        listing.setdefault(claim.member_id, []).append(
            ListedClaim(claim.claim_id, claim.incurred, claim.paid, claim.amount)
        )
    due = []
    seen = set()
    for position in positions(policy.specific, eligible):
        seen.add(position.member_id)
        before = filed.get(position.member_id, 0)
        if position.reimbursable != before:
            lines = tuple(listing[position.member_id])
            due.append(SpecificFilingDue(position, before, lines))
    for member, before in filed.items():
        if member not in seen and before:  # every claim filed on left the basis window
            deductible = policy.specific.deductible_for(member)
            due.append(SpecificFilingDue(SpecificPosition(member, 0, deductible, 0, 0), before, ()))
    return tuple(due)
