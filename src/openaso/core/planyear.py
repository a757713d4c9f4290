"""The plan-year view of a sponsor: budget, funded, paid, fees, stop-loss, and the worst case.

Every money figure but the budget and the maximum claims liability is read from the ledger, by
the entries dated inside the plan year (`ledger_figures`); the budget is the contract's
working rates × the member-months billed on the year's invoices; the maximum claims liability
(domain.md §5) is the aggregate attachment point + laser and ASD retentions + fixed costs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from openaso.core.invoicing import (
    TIERS,
    FeeContract,
    MemberMonth,
    rates_for,
)
from openaso.core.ledger import AccountKind, Entry
from openaso.core.members import TierCode
from openaso.core.money import Cents
from openaso.core.stoploss.aggregate import minimum_attachment, monthly_attachments
from openaso.core.stoploss.policy import StopLossPolicy, per_tier

_K = AccountKind


def moved(
    entries: Iterable[Entry], into: AccountKind, out_of: AccountKind, first: date, last: date
) -> Cents:
    """What entries dated `first`..`last` moved from `out_of` into `into` (reversals subtract)."""
    total = 0
    for entry in entries:
        if not first <= entry.on <= last:
            continue
        kinds = {p.account.kind for p in entry.postings}
        if into in kinds and out_of in kinds:
            total += sum(p.amount for p in entry.postings if p.account.kind == into)
    return total


def credited(entries: Iterable[Entry], kind: AccountKind, first: date, last: date) -> Cents:
    """The net credit to accounts of `kind` by entries dated `first`..`last`."""
    return -sum(
        p.amount
        for e in entries
        if first <= e.on <= last
        for p in e.postings
        if p.account.kind == kind
    )


@dataclass(frozen=True, slots=True)
class LedgerFigures:
    funded: Cents  # sponsor funding received into the claims fund
    paid_claims: Cents  # payments issued from the claims fund, less recoveries refunded into it
    fees: Cents  # admin and network fees invoiced, net of credits
    premiums: Cents  # stop-loss premiums invoiced, net of credits
    stop_loss_reimbursed: Cents  # specific and aggregate filings, from STOP_LOSS_REIMBURSEMENTS


def ledger_figures(entries: Iterable[Entry], first: date, last: date) -> LedgerFigures:
    books = list(entries)
    issued = moved(books, _K.PROVIDER_PAYABLE, _K.CLAIMS_FUND, first, last) + moved(
        books, _K.MEMBER_REIMBURSEMENT_PAYABLE, _K.CLAIMS_FUND, first, last
    )
    refunded = moved(books, _K.CLAIMS_FUND, _K.RECOVERIES_RECEIVABLE, first, last)
    return LedgerFigures(
        funded=moved(books, _K.CLAIMS_FUND, _K.FUNDING_RECEIVABLE, first, last),
        paid_claims=issued - refunded,
        fees=credited(books, _K.ADMIN_FEES_EARNED, first, last),
        premiums=moved(
            books, _K.STOP_LOSS_PREMIUM_RECEIVABLE, _K.STOP_LOSS_PREMIUM_PAYABLE, first, last
        ),
        stop_loss_reimbursed=credited(books, _K.STOP_LOSS_REIMBURSEMENTS, first, last),
    )


@dataclass(frozen=True, slots=True)
class MaximumLiability:
    """Aggregate attachment + retentions + fixed costs, over every month of the policy period;
    a month not invoiced is projected at the enrolment of the last month of the period
    invoiced before it (or, before the first, of the first)."""

    aggregate_attachment: Cents
    laser_retention: Cents  # Σ (laser − specific deductible) over lasered members
    asd_retention: Cents  # the aggregating specific deductible
    fixed_costs: Cents  # fees and premiums at the contract's rates
    projected_months: int
    excluded_members: tuple[str, ...]  # lasered out of the specific cover: no cap on them

    @property
    def total(self) -> Cents:
        return (
            self.aggregate_attachment + self.laser_retention + self.asd_retention + self.fixed_costs
        )


def maximum_liability(
    contract: FeeContract, policy: StopLossPolicy, enrolled: Mapping[date, Mapping[TierCode, int]]
) -> MaximumLiability | None:
    """None without aggregate cover (nothing caps the claims) or before any month is billed."""
    if policy.aggregate is None:
        return None
    billed = sorted(m for m in enrolled if m in policy.period.months)
    if not billed:
        return None
    months: dict[date, Mapping[TierCode, int]] = {}
    projected = 0
    for month in policy.period.months:
        if month not in enrolled:
            projected += 1
        earlier = [m for m in billed if m <= month]
        months[month] = enrolled[earlier[-1] if earlier else billed[0]]
    attachments = monthly_attachments(policy, months)
    attachment = max(sum(attachments), minimum_attachment(policy, attachments[0]))
    fixed = 0
    for month, tiers in months.items():
        terms = contract.terms_for(month)
        for tier, count in tiers.items():
            fixed += count * sum(rates_for(terms, month, tier).values())
    laser, asd, excluded = 0, 0, []
    if policy.specific is not None:
        asd = policy.specific.aggregating_deductible
        for item in policy.specific.lasers:
            if item.deductible is None:
                excluded.append(item.member_id)
            else:
                laser += max(0, item.deductible - policy.specific.deductible)
    return MaximumLiability(attachment, laser, asd, fixed, projected, tuple(excluded))


@dataclass(frozen=True, slots=True)
class PlanYearSummary:
    sponsor: str
    first_month: date
    last_month: date
    member_months: tuple[tuple[TierCode, int], ...]  # billed on the year's invoices, net
    budget: Cents
    ledger: LedgerFigures
    liability: MaximumLiability | None

    @property
    def net_cost(self) -> Cents:
        """Paid claims − stop-loss reimbursed + fees + premiums."""
        books = self.ledger
        return books.paid_claims - books.stop_loss_reimbursed + books.fees + books.premiums

    @property
    def surplus(self) -> Cents:
        """Budget − net cost: positive a surplus, negative a deficit."""
        return self.budget - self.net_cost


def budget(contract: FeeContract, billed: Iterable[tuple[MemberMonth, int]]) -> Cents:
    """Working rate × member-months (each ±1 as billed), at the rates of its coverage month."""
    total = 0
    for mm, count in billed:
        terms = contract.terms_for(mm.month)
        try:
            total += count * per_tier(terms.working, {mm.tier: 1})
        except ValueError:
            raise ValueError(
                f"the fee contract of {contract.sponsor} from {terms.effective.isoformat()}"
                f" has no working rate for tier {mm.tier}"
            ) from None
    return total


def tier_counts(billed: Iterable[tuple[MemberMonth, int]]) -> tuple[tuple[TierCode, int], ...]:
    counts: dict[TierCode, int] = {}
    for mm, count in billed:
        counts[mm.tier] = counts.get(mm.tier, 0) + count
    return tuple((tier, counts[tier]) for tier in TIERS if counts.get(tier))
