"""The broker's and actuary's reports for one sponsor, as the web pages and the API ask for them.

Who may ask is decided here: the TPA's administrators and brokers (a broker only for the
sponsors it is assigned to) read every report and run simulations; a plan sponsor reads its
own sponsor's reports — lag and IBNR, experience against budget, rates, ASO against fully
insured — which services/analytics.py de-identifies for it (no claimant, cells under ten
members withheld), but runs no simulation, an actuarial tool of the broker; examiners work
claims, not analyses. Each report is the same use case the `openaso report` commands call.
Bad input is an AnalysisError that names the field.
"""

from dataclasses import dataclass
from datetime import date

from openaso.analytics.compare import Comparison, fully_insured, self_funded
from openaso.analytics.ibnr import NO_BLENDING, Blending
from openaso.analytics.months import Month, month_label, month_of, month_start
from openaso.analytics.rates import TierCosts, WorkingRate, working_rates
from openaso.core.money import BasisPoints, Cents
from openaso.services.access import Principal, Role, require_role, require_sponsor
from openaso.services.analytics import (
    ExperienceReport,
    LagReport,
    expected_claims_pepm,
    experience_report,
    lag_report,
)
from openaso.services.ports import UnitOfWorkFactory
from openaso.services.workbench import NotFoundError

REPORT_ROLES = (Role.TPA_ADMIN, Role.BROKER, Role.SPONSOR)
SIMULATION_ROLES = (Role.TPA_ADMIN, Role.BROKER)
LONGEST = 36  # months an experience period may span


class AnalysisError(ValueError):
    """An input a report cannot use, or data too thin for it: says which field and why."""


@dataclass(frozen=True, slots=True)
class Period:
    """What the sponsor's paid claims span: the first incurred and the last paid month."""

    first: Month
    last: Month

    def experience(self) -> tuple[Month, Month]:
        """The default experience period: the last twelve months (or fewer) to the last paid."""
        return max(self.first, self.last - 11), self.last


@dataclass(frozen=True, slots=True)
class RateInputs:
    """The costs a renewal adds to expected claims, PEPM and the same for every tier."""

    admin: Cents = 0
    specific_premium: Cents = 0
    aggregate_premium: Cents = 0
    other_fees: Cents = 0
    margin: BasisPoints = 0  # of expected claims
    trend: BasisPoints = 0  # experience to the plan year ahead
    specific_deductible: Cents | None = None  # caps each member's experience
    corridor: BasisPoints = 12_500
    premium_tax: BasisPoints = 200
    risk_margin: BasisPoints = 300
    quote: Cents | None = None  # a fully insured quote for the year, if there is one


@dataclass(frozen=True, slots=True)
class Rates:
    rates: tuple[WorkingRate, ...]
    employees: dict[str, int]  # by tier, enrolled in the last experience month
    months: tuple[Month, Month]


def month_field(field: str, text: str) -> Month:
    try:
        year, month = text.strip().split("-")
        return month_of(date(int(year), int(month), 1))
    except ValueError:
        raise AnalysisError(f"{field}: expected a month like 2026-03, got {text!r}") from None


def require_analyst(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    roles: tuple[Role, ...] = REPORT_ROLES,
) -> None:
    require_role(principal, *roles)
    require_sponsor(principal, sponsor_id)
    with new_uow() as uow:
        if sponsor_id not in {s["id"] for s in uow.workbench.sponsors()}:
            raise NotFoundError(f"no sponsor {sponsor_id} on file")


def period_of(new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str) -> Period:
    require_analyst(new_uow, principal, sponsor_id)
    with new_uow() as uow:
        rows = uow.analytics.payments(sponsor_id)
    if not rows:
        raise AnalysisError(f"sponsor {sponsor_id}: no paid claims yet to report on")
    return Period(month_of(min(r[1] for r in rows)), month_of(max(r[2] for r in rows)))


def _span(start: Month, end: Month) -> tuple[Month, ...]:
    if end < start:
        raise AnalysisError(f"end: {month_label(end)} is before the start {month_label(start)}")
    if end - start >= LONGEST:
        raise AnalysisError(f"end: an experience period spans at most {LONGEST} months")
    return tuple(range(start, end + 1))


def lag(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    valuation: Month | None = None,
    blending: Blending = NO_BLENDING,
) -> LagReport:
    """The lag triangle, development factors and IBNR at `valuation` (the last paid month)."""
    period = period_of(new_uow, principal, sponsor_id)
    through = period.last if valuation is None else valuation
    if not period.first <= through <= period.last + 12:
        raise AnalysisError(
            f"valuation: expected a month from {month_label(period.first)}"
            f" to {month_label(period.last + 12)}, got {month_label(through)}"
        )
    try:
        return lag_report(new_uow, principal, sponsor_id, month_start(through), blending)
    except ValueError as exc:
        raise AnalysisError(f"valuation: {exc}") from None


def experience(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    secret: bytes,
    start: Month | None = None,
    end: Month | None = None,
    large_claim: Cents = 50_000_00,
    budget_pepm: Cents | None = None,
) -> ExperienceReport:
    """PMPM by month, category and tier; the loss ratio when a budget PEPM (every tier) is given."""
    if not secret:
        raise AnalysisError("claimant secret: set OPENASO_CLAIMANT_SECRET to key claimant ids")
    first, last = _months(new_uow, principal, sponsor_id, start, end)
    budget = None
    if budget_pepm is not None:
        with new_uow() as uow:
            tiers = {row[3] for row in uow.analytics.coverage(sponsor_id, "medical")}
        budget = dict.fromkeys(tiers, budget_pepm)
    try:
        return experience_report(
            new_uow, principal, sponsor_id, _span(first, last), secret, large_claim, budget
        )
    except AnalysisError:
        raise
    except ValueError as exc:
        raise AnalysisError(f"start: {exc}") from None


def _months(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    start: Month | None,
    end: Month | None,
) -> tuple[Month, Month]:
    if start is not None and end is not None:
        require_analyst(new_uow, principal, sponsor_id)
        return start, end
    first, last = period_of(new_uow, principal, sponsor_id).experience()
    return (first if start is None else start), (last if end is None else end)


def rates(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    inputs: RateInputs,
    start: Month | None = None,
    end: Month | None = None,
) -> Rates:
    """Working rates and COBRA rates by tier, expected claims taken from the experience."""
    first, last = _months(new_uow, principal, sponsor_id, start, end)
    months = _span(first, last)
    _check(inputs)
    try:
        pepm = expected_claims_pepm(
            new_uow, principal, sponsor_id, months, inputs.specific_deductible,
            inputs.trend / 10_000,
        )  # fmt: skip
    except ValueError as exc:
        raise AnalysisError(f"start: {exc}") from None
    if not pepm:
        raise AnalysisError(f"start: no employee enrolled from {month_label(first)}")
    costs = tuple(
        TierCosts(
            tier, expected, inputs.admin, inputs.specific_premium, inputs.aggregate_premium,
            inputs.other_fees, inputs.margin,
        )
        for tier, expected in sorted(pepm.items())
    )  # fmt: skip
    return Rates(working_rates(costs), _employees(new_uow, sponsor_id, last), (first, last))


def _check(inputs: RateInputs) -> None:
    for name, value, low, high in (
        ("margin", inputs.margin, 0, 10_000),
        ("trend", inputs.trend, -5_000, 10_000),
        ("aggregate_corridor", inputs.corridor, 10_000, 20_000),
        ("premium_tax", inputs.premium_tax, 0, 5_000),
        ("risk_margin", inputs.risk_margin, 0, 5_000),
    ):
        if not low <= value <= high:
            raise AnalysisError(f"{name}: expected {low / 100:g}% to {high / 100:g}%")


def _employees(new_uow: UnitOfWorkFactory, sponsor_id: str, month: Month) -> dict[str, int]:
    """Employees (subscribers) covered on the first of `month`, by tier."""
    on = month_start(month)
    with new_uow() as uow:
        spans = uow.analytics.coverage(sponsor_id, "medical")
    counted: dict[str, set[str]] = {}
    for member, begins, ends, tier, employee in spans:
        if employee and begins <= on and (ends is None or ends >= on):
            counted.setdefault(tier, set()).add(member)
    return {tier: len(members) for tier, members in sorted(counted.items())}


def compare(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    inputs: RateInputs,
    start: Month | None = None,
    end: Month | None = None,
) -> Comparison:
    """ASO against fully insured for a plan year of today's employees at the working rates."""
    found = rates(new_uow, principal, sponsor_id, inputs, start, end)
    budget = self_funded(tuple(r.costs for r in found.rates), found.employees, 12, inputs.corridor)
    try:
        insured = fully_insured(budget, inputs.premium_tax, inputs.risk_margin, inputs.quote)
    except ValueError as exc:
        raise AnalysisError(f"premium_tax: {exc}") from None
    return Comparison(budget, insured)


def sponsors_analysed(new_uow: UnitOfWorkFactory, principal: Principal) -> list[dict[str, str]]:
    """The sponsors this principal may analyse: id and name."""
    require_role(principal, *REPORT_ROLES)
    with new_uow() as uow:
        return [s for s in uow.workbench.sponsors() if principal.may_see_sponsor(s["id"])]
