"""ASO (self-funded) against fully insured for one plan year (domain.md §5).

Self-funded expected cost = expected claims + fixed costs; maximum cost = the aggregate
attachment point + laser and ASD retentions + fixed costs. The aggregate attachment is each
tier's attachment factor (the corridor, 125% by default, of its expected claims PEPM, or a
quoted factor) × employees × months.

The fully insured equivalent loads the same claims, a pooling charge (the specific premium is the
self-funded equivalent of pooling), expenses (admin) and fixed fees, grossed up by the loads
charged as a share of premium (state premium tax, risk margin/profit):
premium = (claims + pooling + expenses + fees) / (1 − premium tax − risk margin), half up to the
cent. A real quote, when given, replaces the equivalent and the loads are what it carries above
claims + pooling + expenses.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from openaso.analytics.rates import TierCosts
from openaso.core.money import ONE_HUNDRED_PERCENT, BasisPoints, Cents, percent_of, ratio_of

DEFAULT_CORRIDOR: BasisPoints = 12_500


@dataclass(frozen=True, slots=True)
class SelfFunded:
    expected_claims: Cents
    admin: Cents
    specific_premium: Cents
    aggregate_premium: Cents
    other_fees: Cents
    aggregate_attachment: Cents
    retentions: Cents  # laser and ASD retentions above the aggregate

    @property
    def fixed(self) -> Cents:
        return self.admin + self.specific_premium + self.aggregate_premium + self.other_fees

    @property
    def expected(self) -> Cents:
        return self.expected_claims + self.fixed

    @property
    def maximum(self) -> Cents:
        return self.aggregate_attachment + self.retentions + self.fixed


@dataclass(frozen=True, slots=True)
class FullyInsured:
    claims: Cents
    pooling: Cents
    expenses: Cents
    fees: Cents
    premium: Cents
    quoted: bool

    @property
    def loads(self) -> Cents:
        """What the premium carries above claims, pooling, expenses and fees (tax, risk...)."""
        return self.premium - self.claims - self.pooling - self.expenses - self.fees


@dataclass(frozen=True, slots=True)
class Comparison:
    self_funded: SelfFunded
    fully_insured: FullyInsured

    @property
    def expected_saving(self) -> Cents:
        return self.fully_insured.premium - self.self_funded.expected

    @property
    def worst_case_extra(self) -> Cents:
        """What the worst self-funded year costs above the fully insured premium."""
        return self.self_funded.maximum - self.fully_insured.premium


def self_funded(
    tiers: Sequence[TierCosts],
    employees: Mapping[str, int],
    months: int = 12,
    corridor: BasisPoints = DEFAULT_CORRIDOR,
    attachment_factors: Mapping[str, Cents] | None = None,
    retentions: Cents = 0,
) -> SelfFunded:
    def total(field: str) -> Cents:
        return sum(getattr(t, field) * employees.get(t.tier, 0) * months for t in tiers)

    factors = attachment_factors or {t.tier: percent_of(t.expected_claims, corridor) for t in tiers}
    missing = sorted(t.tier for t in tiers if t.tier not in factors)
    if missing:
        raise ValueError(f"attachment factors: no factor for tier {', '.join(missing)}")
    return SelfFunded(
        expected_claims=total("expected_claims"),
        admin=total("admin"),
        specific_premium=total("specific_premium"),
        aggregate_premium=total("aggregate_premium"),
        other_fees=total("other_fees"),
        aggregate_attachment=sum(
            factors[t.tier] * employees.get(t.tier, 0) * months for t in tiers
        ),
        retentions=retentions,
    )


def fully_insured(
    budget: SelfFunded,
    premium_tax: BasisPoints,
    risk_margin: BasisPoints,
    quote: Cents | None = None,
) -> FullyInsured:
    """The fully insured premium equivalent to `budget`'s claims, or the `quote` given."""
    share = ONE_HUNDRED_PERCENT - premium_tax - risk_margin
    if share <= 0:
        raise ValueError(f"premium tax + risk margin must stay under 100%, got {10_000 - share}bp")
    base = budget.expected_claims + budget.specific_premium + budget.admin + budget.other_fees
    return FullyInsured(
        claims=budget.expected_claims,
        pooling=budget.specific_premium,
        expenses=budget.admin,
        fees=budget.other_fees,
        premium=ratio_of(base, ONE_HUNDRED_PERCENT, share) if quote is None else quote,
        quoted=quote is not None,
    )
