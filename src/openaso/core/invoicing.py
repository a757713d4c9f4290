"""Sponsor fee invoices: the TPA's contract terms, member-months, and the lines they bill.

A sponsor is billed per employee (subscriber) per month (PEPM), by coverage tier: the TPA's
admin fee and network access fee from the fee contract, and the specific and aggregate
stop-loss premiums from the stop-loss policy (`core.stoploss.monthly_premium`). An employee
counts for a month when a span of the billed coverage covers the **first day** of the month;
the tier is the span's, else the member's.

What was billed is kept per member-month. An invoice bills its own month and, for every month
invoiced before, the difference between the member-months enrolment says now and what was
billed (a retroactive add bills the month, a retroactive termination credits it, a tier change
does both): adjustment lines, one per member-month and component, never an edit of an old
invoice. Amounts are cents; rates are cents PEPM.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

from openaso.core.members import Enrolment, TierCode
from openaso.core.money import Cents
from openaso.core.plan import Coverage
from openaso.core.stoploss.policy import Rates, StopLossPolicy, monthly_premium, per_tier

Component = Literal["admin", "network", "specific", "aggregate"]
COMPONENTS: tuple[Component, ...] = ("admin", "network", "specific", "aggregate")
FEE_COMPONENTS = frozenset({"admin", "network"})  # the TPA's; the rest is stop-loss premium
TIERS: tuple[TierCode, ...] = ("EE", "ES", "EC", "FAM")


class BillingError(ValueError):
    """Enrolment or a month the contract cannot bill; the message says what and why."""


@dataclass(frozen=True, slots=True)
class FeeTerms:
    """One version of a sponsor's fee contract, in force for months from `effective`."""

    sponsor: str
    effective: date  # the first day of a month
    coverage: Coverage  # the enrolment that is billed
    admin: Rates
    network: Rates
    working: Rates  # premium equivalents: expected claims + fixed costs, the budget's rates
    stoploss: StopLossPolicy | None = None

    def __post_init__(self) -> None:
        for name in ("admin", "network", "working"):
            object.__setattr__(self, name, MappingProxyType(dict(getattr(self, name))))


@dataclass(frozen=True, slots=True)
class FeeContract:
    """Every version of a sponsor's terms; a month is billed under the latest one in force."""

    sponsor: str
    versions: tuple[FeeTerms, ...]

    def terms_for(self, month: date) -> FeeTerms:
        in_force = [t for t in self.versions if t.effective <= month]
        if not in_force:
            first = min((t.effective for t in self.versions), default=None)
            since = f"; the first is in force from {first.isoformat()}" if first else ""
            raise BillingError(
                f"no fee contract of {self.sponsor} is in force in {_m(month)}{since}"
            )
        return max(in_force, key=lambda t: t.effective)


@dataclass(frozen=True, slots=True, order=True)
class MemberMonth:
    member_id: str
    month: date  # the first day of the month
    tier: TierCode


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    """`quantity` employees × `rate`; negative quantities credit (adjustments)."""

    component: Component
    month: date  # the coverage month billed
    tier: TierCode
    quantity: int
    rate: Cents
    member_id: str | None = None  # set on adjustment lines (one member-month each)

    @property
    def amount(self) -> Cents:
        return self.quantity * self.rate

    @property
    def adjustment(self) -> bool:
        return self.member_id is not None


@dataclass(frozen=True, slots=True)
class Draft:
    """An invoice before it is stored: its lines and the member-months it changes (±1)."""

    month: date
    lines: tuple[InvoiceLine, ...]
    member_months: tuple[tuple[MemberMonth, int], ...]
    carriers: Mapping[str, Cents] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def fees(self) -> Cents:
        return sum(line.amount for line in self.lines if line.component in FEE_COMPONENTS)

    @property
    def premiums(self) -> Cents:
        return sum(line.amount for line in self.lines if line.component not in FEE_COMPONENTS)

    @property
    def total(self) -> Cents:
        return self.fees + self.premiums


def enrolled_member_months(
    subscribers: Mapping[str, TierCode],
    spans: Iterable[Enrolment],
    coverage: Coverage,
    months: Iterable[date],
) -> set[MemberMonth]:
    """The employees of `subscribers` (id → their default tier) enrolled on each month's 1st."""
    wanted = tuple(months)
    result: set[MemberMonth] = set()
    for span in spans:
        if span.coverage != coverage or span.member_id not in subscribers:
            continue
        tier = span.tier or subscribers[span.member_id]
        result.update(MemberMonth(span.member_id, m, tier) for m in wanted if span.covers(m))
    return result


def by_tier(member_months: Iterable[MemberMonth]) -> dict[TierCode, int]:
    return dict(Counter(mm.tier for mm in member_months))


def rates_for(terms: FeeTerms, month: date, tier: TierCode) -> dict[Component, Cents]:
    """One employee's PEPM by component in `month` (0 where the contract bills nothing)."""
    rates: dict[Component, Cents] = {
        "admin": _rate(terms.admin, tier, "admin fee", terms),
        "network": _rate(terms.network, tier, "network access fee", terms),
        "specific": 0,
        "aggregate": 0,
    }
    policy = terms.stoploss
    if policy is not None:
        if not (policy.period.start <= month <= policy.period.end):
            raise BillingError(
                f"stop-loss policy {policy.id} covers {_m(policy.period.start)} to"
                f" {_m(policy.period.end)}, not {_m(month)}: load the fee contract that names"
                " the policy in force then"
            )
        try:
            premium = monthly_premium(policy, {tier: 1})
        except ValueError as exc:
            raise BillingError(f"stop-loss policy {policy.id}: {exc}") from None
        rates["specific"], rates["aggregate"] = premium.specific, premium.aggregate
    return rates


def draft_invoice(
    contract: FeeContract,
    month: date,
    current: Iterable[MemberMonth],
    billed: Mapping[MemberMonth, int],
    invoiced_months: Sequence[date],
) -> Draft:
    """The invoice of `month`: its own member-months in `current`, and adjustments for the
    `invoiced_months` before it where `current` differs from what was `billed` (net ±)."""
    now = set(current)
    lines: list[InvoiceLine] = []
    changes: list[tuple[MemberMonth, int]] = []
    carriers: Counter[str] = Counter()
    terms = contract.terms_for(month)
    own = sorted(mm for mm in now if mm.month == month)
    for tier, count in sorted(by_tier(own).items(), key=lambda item: TIERS.index(item[0])):
        for component, rate in rates_for(terms, month, tier).items():
            if rate:
                lines.append(InvoiceLine(component, month, tier, count, rate))
    changes.extend((mm, 1) for mm in own)
    earlier = set(invoiced_months)
    enrolled_before = {mm for mm in now if mm.month in earlier}
    billed_before = {mm for mm, count in billed.items() if count and mm.month in earlier}
    changed = enrolled_before ^ billed_before  # only these can differ from what was billed
    changed |= {mm for mm in billed_before if billed[mm] != 1}
    for mm in sorted(changed, key=lambda k: (k.month, k.member_id, TIERS.index(k.tier))):
        delta = (1 if mm in now else 0) - billed.get(mm, 0)
        if not delta:
            continue
        changes.append((mm, delta))
        old_terms = contract.terms_for(mm.month)
        for component, rate in rates_for(old_terms, mm.month, mm.tier).items():
            if rate:
                lines.append(InvoiceLine(component, mm.month, mm.tier, delta, rate, mm.member_id))
    for line in lines:
        if line.component not in FEE_COMPONENTS:
            policy = contract.terms_for(line.month).stoploss
            assert policy is not None  # a premium rate comes only from a policy
            carriers[policy.carrier] += line.amount
    return Draft(month, tuple(lines), tuple(changes), MappingProxyType(dict(carriers)))


def _rate(rates: Rates, tier: TierCode, what: str, terms: FeeTerms) -> Cents:
    if not rates:
        return 0  # the contract does not bill it
    try:
        return per_tier(rates, {tier: 1})
    except ValueError:
        named = ", ".join(rates) or "none"
        raise BillingError(
            f"an employee is enrolled in tier {tier}, but the {what} of {terms.sponsor}'s"
            f" contract from {terms.effective.isoformat()} names tiers {named}"
        ) from None


def _m(day: date) -> str:
    return day.strftime("%Y-%m")
