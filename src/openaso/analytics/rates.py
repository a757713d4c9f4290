"""Premium equivalents ("working rates") by tier and COBRA rates (domain.md §5).

Working rate PEPM = expected claims (net of the specific deductible) + admin and network fees +
specific premium + aggregate premium + other fixed fees + a fluctuation margin, the margin a
percentage of expected claims. COBRA = 102% of the working rate, 150% in the 11-month disability
extension (percent_of: half up to the cent). All figures are integer cents per employee per month.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from openaso.core.money import BasisPoints, Cents, percent_of

COBRA: BasisPoints = 10_200
COBRA_DISABILITY: BasisPoints = 15_000


@dataclass(frozen=True, slots=True)
class TierCosts:
    """What one employee of a tier costs per month, as the rate assumptions state it."""

    tier: str
    expected_claims: Cents
    admin: Cents  # TPA admin + network access
    specific_premium: Cents
    aggregate_premium: Cents
    other_fees: Cents = 0  # e.g. PCORI spread monthly, other vendors
    margin: BasisPoints = 0  # fluctuation margin, of expected claims

    @property
    def fixed(self) -> Cents:
        return self.admin + self.specific_premium + self.aggregate_premium + self.other_fees


@dataclass(frozen=True, slots=True)
class WorkingRate:
    costs: TierCosts
    margin: Cents
    rate: Cents
    cobra: Cents
    cobra_disability: Cents


def working_rate(costs: TierCosts) -> WorkingRate:
    margin = percent_of(costs.expected_claims, costs.margin)
    rate = costs.expected_claims + costs.fixed + margin
    return WorkingRate(
        costs=costs,
        margin=margin,
        rate=rate,
        cobra=percent_of(rate, COBRA),
        cobra_disability=percent_of(rate, COBRA_DISABILITY),
    )


def working_rates(tiers: Sequence[TierCosts]) -> tuple[WorkingRate, ...]:
    return tuple(working_rate(costs) for costs in tiers)
