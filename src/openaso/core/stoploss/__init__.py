"""Stop-loss: the policy, which paid claims it covers, specific and aggregate calculations.

Pure functions over a `StopLossPolicy` (read from a policy document, docs/stoploss-policy.md)
and a list of `PaidClaim` facts:

- `eligible_claims` — the claims inside the contract basis windows;
- `specific_positions` — per member: paid, deductible (or laser), excess, ASD share, and what
  the carrier reimburses; `notices` — the 50% and trigger-diagnosis notices, once each;
- `specific_filings_due` — per claimant, the reimbursable excess not yet filed, with its listing;
- `aggregate_report` — the cumulative Monthly Aggregate Report (attachment to date, claims net
  of specific excess, accommodation due); `aggregate_settlement` — the year-end settlement;
- `monthly_premium` — the premium for one month's enrolment.
"""

from openaso.core.stoploss.aggregate import (
    AggregateReport,
    AggregateSettlement,
    Enrolled,
    aggregate_report,
    aggregate_settlement,
    minimum_attachment,
    monthly_attachments,
)
from openaso.core.stoploss.claims import PaidClaim, eligible_claims, normalise_diagnosis
from openaso.core.stoploss.filings import (
    Filing,
    FilingKind,
    ListedClaim,
    SpecificFilingDue,
    specific_filings_due,
)
from openaso.core.stoploss.policy import (
    AggregateCover,
    ContractBasis,
    Laser,
    MinimumAttachment,
    PolicyPeriod,
    PremiumDue,
    Rates,
    SpecificCover,
    StopLossCoverage,
    StopLossPolicy,
    Window,
    monthly_premium,
)
from openaso.core.stoploss.specific import Notice, SpecificPosition, notices, specific_positions

__all__ = [
    "AggregateCover",
    "AggregateReport",
    "AggregateSettlement",
    "ContractBasis",
    "Enrolled",
    "Filing",
    "FilingKind",
    "Laser",
    "ListedClaim",
    "MinimumAttachment",
    "Notice",
    "PaidClaim",
    "PolicyPeriod",
    "PremiumDue",
    "Rates",
    "SpecificCover",
    "SpecificFilingDue",
    "SpecificPosition",
    "StopLossCoverage",
    "StopLossPolicy",
    "Window",
    "aggregate_report",
    "aggregate_settlement",
    "eligible_claims",
    "minimum_attachment",
    "monthly_attachments",
    "monthly_premium",
    "normalise_diagnosis",
    "notices",
    "specific_filings_due",
    "specific_positions",
]
