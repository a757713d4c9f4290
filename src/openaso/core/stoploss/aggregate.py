"""Aggregate stop-loss: the monthly attachment, the Monthly Aggregate Report, the settlement."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.members import TierCode
from openaso.core.money import Cents, percent_of
from openaso.core.stoploss.claims import PaidClaim, eligible_claims
from openaso.core.stoploss.policy import (
    TERMINAL_LIABILITY_MONTHS,
    AggregateCover,
    StopLossPolicy,
    per_tier,
)
from openaso.core.stoploss.specific import positions

Enrolled = Mapping[date, Mapping[TierCode, int]]
"""Employees enrolled by tier, keyed by the first day of each policy month."""


@dataclass(frozen=True, slots=True)
class AggregateReport:
    """The cumulative Monthly Aggregate Report, through the end of `month`.

    `attachment` is the sum of the monthly attachments so far (the minimum applies only at
    settlement). `specific_excess` is the part of eligible paid that does not count toward the
    aggregate: the specific excess, and the laser or ASD retentions the contract leaves out.
    """

    month: date
    attachment: Cents
    eligible_paid: Cents
    specific_excess: Cents
    advanced: Cents  # accommodation the carrier advanced before this report
    accommodation_due: Cents  # to advance now (0 without the accommodation option)

    @property
    def aggregate_claims(self) -> Cents:
        return self.eligible_paid - self.specific_excess


@dataclass(frozen=True, slots=True)
class AggregateSettlement:
    """The year-end settlement once the paid window has closed."""

    monthly_attachments: Cents  # Σ factor × enrolled, over every month of the period
    minimum_attachment: Cents  # 0 when the policy has none
    terminal_liability: Cents  # the last months' attachments, when the option is exercised
    eligible_paid: Cents
    specific_excess: Cents
    maximum: Cents | None
    advanced: Cents  # accommodation advanced during the year

    @property
    def attachment(self) -> Cents:
        return max(self.monthly_attachments, self.minimum_attachment) + self.terminal_liability

    @property
    def aggregate_claims(self) -> Cents:
        return self.eligible_paid - self.specific_excess

    @property
    def reimbursement(self) -> Cents:
        """min(claims − attachment, aggregate maximum); zero below the attachment."""
        over = max(0, self.aggregate_claims - self.attachment)
        return over if self.maximum is None else min(over, self.maximum)

    @property
    def balance(self) -> Cents:
        """Still due from the carrier; negative when the sponsor repays accommodation."""
        return self.reimbursement - self.advanced


def monthly_attachments(
    policy: StopLossPolicy, enrolled: Enrolled, through: date | None = None
) -> tuple[Cents, ...]:
    """Each policy month's attachment (factor × enrolled, by tier), through month `through`."""
    cover = _aggregate(policy)
    result = []
    for month in policy.period.months:
        if through is not None and month > through:
            break
        if month not in enrolled:
            raise ValueError(f"no enrolment for the month of {month.isoformat()}")
        result.append(per_tier(cover.factors, enrolled[month]))
    return tuple(result)


def minimum_attachment(policy: StopLossPolicy, first_month: Cents) -> Cents:
    """The greater of percent × first month's attachment × months of the period, and amount."""
    floor = _aggregate(policy).minimum_attachment
    if floor is None:
        return 0
    months = len(policy.period.months)
    by_percent = (
        0
        if floor.percent_of_first_month is None
        else percent_of(first_month * months, floor.percent_of_first_month)
    )
    return max(by_percent, floor.amount or 0)


def aggregate_report(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    enrolled: Enrolled,
    month: date,
    *,
    advanced: Cents = 0,
) -> AggregateReport:
    """The report through the last day of `month` (any day of it; a run-out month too)."""
    cover = _aggregate(policy)
    month = month.replace(day=1)
    if month < policy.period.start:
        raise ValueError(f"{month.isoformat()} is before the policy period")
    eligible = eligible_claims(policy, claims, through=add_months(month, 1) - ONE_DAY)
    paid, excess = _split(policy, eligible)
    attachment = sum(monthly_attachments(policy, enrolled, month))
    due = 0
    if cover.accommodation:
        over = max(0, paid - excess - attachment)
        over = over if cover.maximum is None else min(over, cover.maximum)
        due = max(0, over - advanced)
    return AggregateReport(month, attachment, paid, excess, advanced, due)


def aggregate_settlement(
    policy: StopLossPolicy,
    claims: Iterable[PaidClaim],
    enrolled: Enrolled,
    *,
    advanced: Cents = 0,
    terminated: bool = False,
) -> AggregateSettlement:
    """Settle the year: `terminated` exercises the terminal liability option, if elected,
    which pays its run-out and adds the last months' attachments to the attachment point."""
    cover = _aggregate(policy)
    months = monthly_attachments(policy, enrolled)
    eligible = eligible_claims(policy, claims, terminated=terminated)
    paid, excess = _split(policy, eligible)
    extra = (
        sum(months[-TERMINAL_LIABILITY_MONTHS:]) if terminated and policy.terminal_liability else 0
    )
    return AggregateSettlement(
        monthly_attachments=sum(months),
        minimum_attachment=minimum_attachment(policy, months[0]),
        terminal_liability=extra,
        eligible_paid=paid,
        specific_excess=excess,
        maximum=cover.maximum,
        advanced=advanced,
    )


def _split(policy: StopLossPolicy, eligible: Sequence[PaidClaim]) -> tuple[Cents, Cents]:
    """(eligible paid, the part of it that does not count toward the aggregate)."""
    paid = sum(claim.amount for claim in eligible)
    specific, cover = policy.specific, _aggregate(policy)
    if specific is None:
        return paid, 0
    counted = 0
    for position in positions(specific, eligible):
        cap = position.deductible if cover.laser_retention_counts else specific.deductible
        counted += position.paid if cap is None else min(position.paid, cap)
        if cover.asd_retention_counts:
            counted += position.asd_retained
    return paid, paid - counted


def _aggregate(policy: StopLossPolicy) -> AggregateCover:
    if policy.aggregate is None:
        raise ValueError(f"stop-loss policy {policy.id} has no aggregate cover")
    return policy.aggregate
