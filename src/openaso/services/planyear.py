"""The plan-year summary of a sponsor, from its ledger, invoices and fee contract.

The plan year is the period of the stop-loss policy (named by the fee contract) that starts in
the year asked for; without one, the calendar year. See core.planyear for each figure.
"""

from datetime import date

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.invoicing import FeeContract
from openaso.core.members import TierCode
from openaso.core.planyear import (
    PlanYearSummary,
    budget,
    ledger_figures,
    maximum_liability,
    tier_counts,
)
from openaso.core.stoploss.policy import StopLossPolicy
from openaso.services.invoicing import InvoiceError, contract_of
from openaso.services.ports import UnitOfWork


def policy_for_year(contract: FeeContract, year: int) -> StopLossPolicy | None:
    for terms in contract.versions:
        if terms.stoploss is not None and terms.stoploss.period.start.year == year:
            return terms.stoploss
    return None


def plan_year_summary(uow: UnitOfWork, sponsor: str, year: int) -> PlanYearSummary:
    with uow:
        contract = contract_of(uow, sponsor)
        policy = policy_for_year(contract, year)
        if policy is not None:
            first, last = policy.period.start, policy.period.end.replace(day=1)
        else:
            first, last = date(year, 1, 1), date(year, 12, 1)
        end = add_months(last, 1) - ONE_DAY
        figures = ledger_figures(uow.payments.entries(sponsor), first, end)
        billed = list(uow.invoices.billed(sponsor, first, last).items())
        try:
            planned = budget(contract, billed)
        except ValueError as exc:
            raise InvoiceError(str(exc)) from None
        liability = None
        if policy is not None:
            enrolled: dict[date, dict[TierCode, int]] = {}
            for mm, count in uow.invoices.billed(sponsor).items():
                tiers = enrolled.setdefault(mm.month, {})
                tiers[mm.tier] = tiers.get(mm.tier, 0) + count
            liability = maximum_liability(contract, policy, enrolled)
        return PlanYearSummary(
            sponsor, first, last, tier_counts(billed), planned, figures, liability
        )
