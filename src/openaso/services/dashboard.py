"""The sponsor dashboard's figures: claims vs budget by month, the year's invoices and the
plan-year summary — aggregates only, for the sponsor itself, its broker or TPA admin.

A claims examiner works claims, not a sponsor's finances, so these use cases refuse that role.
For the de-identified roles (sponsor, broker) a figure of claims paid over fewer than
SMALL_CELL members is withheld (None): a month's claims by the members covered on its first
day — with complementary months withheld so the year's total gives none away — and the
plan-year's claim figures by the members covered at any time in the year. Enrolment counts,
the budget, fees and premiums are not health information and are always shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.invoicing import FeeContract, rates_for
from openaso.core.money import Cents
from openaso.core.planyear import PlanYearSummary, ledger_figures
from openaso.core.stoploss.policy import per_tier
from openaso.services.access import SMALL_CELL, Principal, Role, require_role, require_sponsor
from openaso.services.invoicing import InvoiceError, contract_of, invoice_number
from openaso.services.planyear import plan_year_summary, policy_for_year
from openaso.services.ports import UnitOfWork, UnitOfWorkFactory
from openaso.services.workbench import NotFoundError

READERS = (Role.TPA_ADMIN, Role.SPONSOR, Role.BROKER)


def require_reader(principal: Principal, sponsor_id: str) -> None:
    """TPA admin, or the sponsor's own login or broker."""
    require_role(principal, *READERS)
    require_sponsor(principal, sponsor_id)


def contract_on_file(uow: UnitOfWork, sponsor_id: str) -> FeeContract:
    if sponsor_id not in {s["id"] for s in uow.workbench.sponsors()}:
        raise NotFoundError(f"no sponsor {sponsor_id} on file")
    try:
        return contract_of(uow, sponsor_id)
    except InvoiceError as exc:
        raise NotFoundError(str(exc)) from None


def months_of_year(contract: FeeContract, year: int) -> tuple[date, ...]:
    """The plan year's months: the stop-loss policy period starting in `year`, else Jan–Dec."""
    policy = policy_for_year(contract, year)
    if policy is not None:
        return policy.period.months
    return tuple(date(year, m, 1) for m in range(1, 13))


def current_year(
    new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str, on: date
) -> int:
    """The latest plan year begun on or before `on` (its run-out included), else `on`'s year."""
    require_reader(principal, sponsor_id)
    with new_uow() as uow:
        try:
            contract = contract_of(uow, sponsor_id)
        except InvoiceError:
            return on.year
    begun = [
        t.stoploss.period.start.year
        for t in contract.versions
        if t.stoploss is not None and t.stoploss.period.start <= on
    ]
    return max(begun, default=on.year)


@dataclass(frozen=True, slots=True)
class MonthFigures:
    month: date
    members: int  # covered on the first of the month (the contract's coverage)
    employees: int  # billed for the month, net of adjustments
    paid: Cents | None  # claims paid in the month, net of recoveries; None: withheld
    budget: Cents  # expected claims: (working rate − fixed costs PEPM) × employees billed


@dataclass(frozen=True, slots=True)
class ClaimsByMonth:
    sponsor_id: str
    year: int
    months: tuple[MonthFigures, ...]

    @property
    def withheld(self) -> bool:
        return any(m.paid is None for m in self.months)


def claims_by_month(
    new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str, year: int
) -> ClaimsByMonth:
    require_reader(principal, sponsor_id)
    with new_uow() as uow:
        contract = contract_on_file(uow, sponsor_id)
        months = months_of_year(contract, year)
        entries = uow.payments.entries(sponsor_id)
        billed = uow.invoices.billed(sponsor_id, months[0])
        spans = uow.analytics.coverage(sponsor_id, contract.terms_for(months[0]).coverage)
    employees = dict.fromkeys(months, 0)
    budget = dict.fromkeys(months, 0)
    for mm, count in billed.items():
        if mm.month in budget:
            terms = contract.terms_for(mm.month)
            fixed = sum(rates_for(terms, mm.month, mm.tier).values())
            employees[mm.month] += count
            budget[mm.month] += count * (per_tier(terms.working, {mm.tier: 1}) - fixed)
    figures = []
    for month in months:
        covered = {s[0] for s in spans if s[1] <= month and (s[2] is None or month <= s[2])}
        paid = ledger_figures(entries, month, add_months(month, 1) - ONE_DAY).paid_claims
        figures.append(MonthFigures(month, len(covered), employees[month], paid, budget[month]))
    if not principal.sees_phi:
        figures = withhold_small_months(figures)
    return ClaimsByMonth(sponsor_id, year, tuple(figures))


def withhold_small_months(months: Sequence[MonthFigures]) -> list[MonthFigures]:
    """Withhold the claims of months under SMALL_CELL members, then of the smallest others
    until the withheld months cover SMALL_CELL members together (complementary suppression:
    the year's total less the months shown would otherwise give a withheld month away)."""
    withheld = {i for i, m in enumerate(months) if 0 < m.members < SMALL_CELL}
    if withheld:
        others = sorted((m.members, i) for i, m in enumerate(months) if m.members >= SMALL_CELL)
        for _, i in others:
            if sum(months[j].members for j in withheld) >= SMALL_CELL:
                break
            withheld.add(i)
    return [
        MonthFigures(m.month, m.members, m.employees, None, m.budget) if i in withheld else m
        for i, m in enumerate(months)
    ]


@dataclass(frozen=True, slots=True)
class InvoiceSummary:
    number: str
    month: date
    fees: Cents
    premiums: Cents
    paid: Cents

    @property
    def total(self) -> Cents:
        return self.fees + self.premiums

    @property
    def outstanding(self) -> Cents:
        return self.total - self.paid


def invoices_of_year(
    new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str, year: int
) -> list[InvoiceSummary]:
    """The fee invoices of the plan year's months, oldest first."""
    require_reader(principal, sponsor_id)
    found = []
    with new_uow() as uow:
        months = set(months_of_year(contract_on_file(uow, sponsor_id), year))
        for month in uow.invoices.months(sponsor_id):
            invoice_id = uow.invoices.of_month(sponsor_id, month)
            if month not in months or invoice_id is None:
                continue
            row = uow.invoices.get(invoice_id)
            paid = row.paid_fees + row.paid_premiums
            found.append(
                InvoiceSummary(invoice_number(row.id), month, row.fees, row.premiums, paid)
            )
    return found


@dataclass(frozen=True, slots=True)
class SponsorPlanYear:
    """The plan-year summary, and whether its claim figures (funded, paid claims, stop-loss
    reimbursed, net cost, surplus) are withheld: fewer than SMALL_CELL members in the year."""

    summary: PlanYearSummary
    members: int
    withheld: bool


def plan_year(
    new_uow: UnitOfWorkFactory, principal: Principal, sponsor_id: str, year: int
) -> SponsorPlanYear:
    require_reader(principal, sponsor_id)
    with new_uow() as uow:
        contract = contract_on_file(uow, sponsor_id)
        months = months_of_year(contract, year)
        spans = uow.analytics.coverage(sponsor_id, contract.terms_for(months[0]).coverage)
    first, last = months[0], add_months(months[-1], 1) - ONE_DAY
    members = len({s[0] for s in spans if s[1] <= last and (s[2] is None or first <= s[2])})
    summary = plan_year_summary(new_uow(), sponsor_id, year)
    withheld = not principal.sees_phi and 0 < members < SMALL_CELL
    return SponsorPlanYear(summary, members, withheld)
