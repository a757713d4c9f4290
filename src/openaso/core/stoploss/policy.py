"""A stop-loss policy as the calculations read it: one frozen value per policy period.

Amounts are cents, percentages basis points, rates per employee per month (PEPM) by coverage
tier. Every number comes from the policy document (docs/stoploss-policy.md); none is in code.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.members import TierCode
from openaso.core.money import BasisPoints, Cents

StopLossCoverage = Literal["medical", "rx", "dental"]
Rates = Mapping[TierCode, Cents]
"""PEPM amounts by coverage tier (attachment factors, premium rates)."""

TERMINAL_LIABILITY_MONTHS = 3  # the option's run-out, and the months added to the attachment
_BASIS = re.compile(r"^(\d{1,2})/(\d{1,2})$")
BASIS_EXPECTED = (
    "expected a contract basis like 12/12, 12/15, 15/12 or 12/24"
    " (months incurred/months paid, each 12 to 36), paid or incurred"
)


@dataclass(frozen=True, slots=True)
class Window:
    """Inclusive dates; None is open on that side."""

    first: date | None
    last: date | None

    def __contains__(self, day: object) -> bool:
        return (
            isinstance(day, date)
            and (self.first is None or self.first <= day)
            and (self.last is None or day <= self.last)
        )


@dataclass(frozen=True, slots=True)
class PolicyPeriod:
    """Whole calendar months: starts on a first and ends on a last day of a month."""

    start: date
    end: date

    @property
    def months(self) -> tuple[date, ...]:
        """The first day of every month of the period."""
        count = (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
        return tuple(add_months(self.start, i) for i in range(count))


@dataclass(frozen=True, slots=True)
class ContractBasis:
    """Which claims count: incurred from `run_in` months before the period, paid up to
    `run_out` months after it. 12/15 is (0, 3), 15/12 is (3, 0); `paid` has an unlimited
    run-in (None), `incurred` an unlimited run-out (None)."""

    run_in_months: int | None
    run_out_months: int | None

    @classmethod
    def parse(cls, text: str) -> "ContractBasis":
        if text == "paid":
            return cls(None, 0)
        if text == "incurred":
            return cls(0, None)
        match = _BASIS.match(text)
        if match is None or not all(12 <= int(n) <= 36 for n in match.groups()):
            raise ValueError(f"{BASIS_EXPECTED}, got {text!r}")
        return cls(int(match[1]) - 12, int(match[2]) - 12)

    def __str__(self) -> str:
        if self.run_in_months is None:
            return "paid"
        if self.run_out_months is None:
            return "incurred"
        return f"{12 + self.run_in_months}/{12 + self.run_out_months}"

    def windows(self, period: PolicyPeriod, extra_run_out: int = 0) -> tuple[Window, Window]:
        """(incurred window, paid window) for a period."""
        incurred_from = (
            None if self.run_in_months is None else add_months(period.start, -self.run_in_months)
        )
        paid_to = (
            None
            if self.run_out_months is None
            else add_months(period.end + ONE_DAY, self.run_out_months + extra_run_out) - ONE_DAY
        )
        return Window(incurred_from, period.end), Window(period.start, paid_to)


@dataclass(frozen=True, slots=True)
class Laser:
    """A member's own specific deductible, above the policy's; None excludes the member."""

    member_id: str
    deductible: Cents | None


@dataclass(frozen=True, slots=True)
class SpecificCover:
    deductible: Cents
    aggregating_deductible: Cents = 0  # the ASD: excess the sponsor keeps before any is paid
    lasers: tuple[Laser, ...] = ()
    notice_percent: BasisPoints = 5_000
    trigger_diagnoses: tuple[str, ...] = ()  # ICD-10 prefixes, upper case, without the dot
    premium: Rates = field(default_factory=lambda: MappingProxyType({}))

    def __post_init__(self) -> None:
        object.__setattr__(self, "premium", MappingProxyType(dict(self.premium)))

    def deductible_for(self, member_id: str) -> Cents | None:
        """The member's specific deductible (a laser's if lasered); None: excluded."""
        for laser in self.lasers:
            if laser.member_id == member_id:
                return laser.deductible
        return self.deductible


@dataclass(frozen=True, slots=True)
class MinimumAttachment:
    """The greater of `percent` × first month's attachment × months, and `amount`."""

    percent_of_first_month: BasisPoints | None = None
    amount: Cents | None = None


@dataclass(frozen=True, slots=True)
class AggregateCover:
    factors: Rates  # monthly attachment factor per enrolled employee, by tier
    minimum_attachment: MinimumAttachment | None = None
    maximum: Cents | None = None  # the aggregate maximum benefit; None: unlimited
    premium: Rates = field(default_factory=lambda: MappingProxyType({}))
    accommodation: bool = False  # monthly aggregate accommodation
    # contract-specific (domain.md §4.6): whether claims the sponsor keeps under a laser (above
    # the policy's specific deductible) and under the ASD count toward the aggregate
    laser_retention_counts: bool = True
    asd_retention_counts: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "factors", MappingProxyType(dict(self.factors)))
        object.__setattr__(self, "premium", MappingProxyType(dict(self.premium)))


@dataclass(frozen=True, slots=True)
class StopLossPolicy:
    id: str
    sponsor: str
    carrier: str
    period: PolicyPeriod
    basis: ContractBasis
    covers: frozenset[StopLossCoverage]
    specific: SpecificCover | None
    aggregate: AggregateCover | None
    plans: tuple[str, ...] = ()  # plan document ids covered; () = every plan of the kinds
    terminal_liability: bool = False
    policy_number: str | None = None

    def windows(self, *, terminated: bool = False) -> tuple[Window, Window]:
        """(incurred, paid) windows; a terminated policy with the terminal liability option
        pays claims for `TERMINAL_LIABILITY_MONTHS` more."""
        extra = TERMINAL_LIABILITY_MONTHS if terminated and self.terminal_liability else 0
        return self.basis.windows(self.period, extra)


@dataclass(frozen=True, slots=True)
class PremiumDue:
    specific: Cents
    aggregate: Cents

    @property
    def total(self) -> Cents:
        return self.specific + self.aggregate


def per_tier(rates: Rates, enrolled: Mapping[TierCode, int]) -> Cents:
    """Σ rate × enrolled employees; a tier the rates do not name cannot be priced."""
    unknown = sorted(tier for tier, count in enrolled.items() if count and tier not in rates)
    if unknown:
        raise ValueError(
            f"enrolment names tier {', '.join(unknown)}; the policy's rates name"
            f" {', '.join(rates) or 'none'}"
        )
    return sum(rates[tier] * count for tier, count in enrolled.items() if count)


def monthly_premium(policy: StopLossPolicy, enrolled: Mapping[TierCode, int]) -> PremiumDue:
    """One month's stop-loss premium for the employees enrolled by tier."""
    specific = per_tier(policy.specific.premium, enrolled) if policy.specific else 0
    aggregate = per_tier(policy.aggregate.premium, enrolled) if policy.aggregate else 0
    return PremiumDue(specific, aggregate)
