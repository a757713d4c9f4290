"""Plan documents as the engine reads them: one frozen value per plan and plan year.

Amounts are cents and percentages basis points (the member's share). Every number comes from
the plan document; none is written in code.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from openaso.core.codes import CodeRange
from openaso.core.money import BasisPoints, Cents

Coverage = Literal["medical", "dental", "rx", "std"]
Network = Literal["in", "out"]


class FamilyMode(StrEnum):
    EMBEDDED = "embedded"
    AGGREGATE = "aggregate"


class PricingMethod(StrEnum):
    FEE_SCHEDULE = "fee_schedule"
    PERCENT_OF_FEE_SCHEDULE = "percent_of_fee_schedule"
    PERCENT_OF_BILLED = "percent_of_billed"


@dataclass(frozen=True, slots=True)
class PlanYear:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Pricing:
    method: PricingMethod
    percent: BasisPoints = 10_000

    @property
    def needs_fee(self) -> bool:
        return self.method is not PricingMethod.PERCENT_OF_BILLED


@dataclass(frozen=True, slots=True)
class Limit:
    """An individual amount with an optional family amount (cents)."""

    individual: Cents
    family: Cents | None = None


@dataclass(frozen=True, slots=True)
class NetworkCostShare:
    """The general cost share of one network."""

    deductible: Limit | None = None
    oop_max: Limit | None = None
    coinsurance: BasisPoints = 0
    copay: Cents = 0


@dataclass(frozen=True, slots=True)
class CostShareOverride:
    """A benefit's own copay / deductible / coinsurance for one network; None inherits."""

    copay: Cents | None = None
    deductible: bool | None = None
    coinsurance: BasisPoints | None = None


@dataclass(frozen=True, slots=True)
class Frequency:
    count: int
    per: Literal["plan_year"] = "plan_year"


@dataclass(frozen=True, slots=True)
class Benefit:
    name: str
    codes: tuple[CodeRange, ...]
    covered: bool = True
    visit_limit: int | None = None
    frequency: Frequency | None = None
    waiting_months: int | None = None
    in_network: CostShareOverride | None = None
    out_of_network: CostShareOverride | None = None

    @property
    def counted_limit(self) -> int | None:
        """Lines allowed per member and plan year (visit limit or frequency), if any."""
        if self.visit_limit is not None:
            return self.visit_limit
        return self.frequency.count if self.frequency is not None else None

    def matches(self, code: str) -> bool:
        return any(code in codes for codes in self.codes)


@dataclass(frozen=True, slots=True)
class MedicalPlan:
    """A medical or dental plan: claims with service lines."""

    id: str
    name: str
    sponsor: str
    coverage: Literal["medical", "dental"]
    plan_year: PlanYear
    timely_filing_days: int
    in_network_pricing: Pricing
    out_of_network_pricing: Pricing
    family_mode: FamilyMode
    cross_accumulate: bool
    in_network: NetworkCostShare
    out_of_network: NetworkCostShare
    annual_max: Cents | None
    benefits: tuple[Benefit, ...]

    def cost_share(self, network: Network) -> NetworkCostShare:
        return self.in_network if network == "in" else self.out_of_network

    def pricing(self, network: Network) -> Pricing:
        return self.in_network_pricing if network == "in" else self.out_of_network_pricing


@dataclass(frozen=True, slots=True)
class Tier:
    copay: Cents | None = None
    coinsurance: BasisPoints | None = None
    max_per_fill: Cents | None = None


@dataclass(frozen=True, slots=True)
class RxPlan:
    """A prescription-drug plan: fills priced by NDC through a tiered formulary."""

    id: str
    name: str
    sponsor: str
    plan_year: PlanYear
    tiers: Mapping[str, Tier]
    formulary: Mapping[str, str]  # NDC → tier name
    integrated_oop_with: str | None = None
    rx_deductible: bool = False
    coverage: Literal["rx"] = field(default="rx")

    def __post_init__(self) -> None:
        object.__setattr__(self, "tiers", MappingProxyType(dict(self.tiers)))
        object.__setattr__(self, "formulary", MappingProxyType(dict(self.formulary)))


@dataclass(frozen=True, slots=True)
class StdPlan:
    """Short-term disability: income replacement after an elimination period."""

    id: str
    name: str
    sponsor: str
    plan_year: PlanYear
    benefit_percent: BasisPoints
    weekly_max: Cents
    elimination_days: int
    max_weeks: int
    coverage: Literal["std"] = field(default="std")


Plan = MedicalPlan | RxPlan | StdPlan
