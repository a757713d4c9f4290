"""Stop-loss filings with the carrier and their receipts; the monthly aggregate and settlement.

A specific filing claims what a claimant's reimbursable excess gained since the last filing
(a negative supplementary filing when a void took some away); every filing posts to the
ledger through `entries_for`: filed → reimbursement receivable from the carrier, received →
cash into the claims fund. Re-running files nothing twice: each amount is what the core
computes less what is already on file.
"""

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.ledger import (
    LedgerEvent,
    StopLossReimbursementFiled,
    StopLossReimbursementReceived,
    StopLossReimbursementRefunded,
    StopLossReimbursementWithdrawn,
    entries_for,
)
from openaso.core.money import Cents, format_cents
from openaso.core.stoploss import (
    AggregateReport,
    AggregateSettlement,
    Enrolled,
    Filing,
    FilingKind,
    StopLossPolicy,
    aggregate_report,
    aggregate_settlement,
    monthly_attachments,
    specific_filings_due,
)
from openaso.services.ports import UnitOfWork
from openaso.services.stoploss import (
    StopLossError,
    enrolment,
    paid_claims,
    policy_for,
)


def file_specific(
    uow: UnitOfWork, sponsor: str, through: date, *, filed_on: date, actor: str, at: datetime,
    policy_id: str | None = None,
) -> list[Filing]:  # fmt: skip
    """File, for every claimant, the reimbursable excess on claims paid through `through` not
    yet filed; returns the new filings (none when nothing changed)."""
    with uow:
        policy = policy_for(uow, sponsor, through, policy_id)
        filed: dict[str, Cents] = {}
        for earlier in uow.stoploss.filings(policy.id, "specific"):
            member = earlier.member_id or ""
            filed[member] = filed.get(member, 0) + earlier.amount
        due = specific_filings_due(policy, paid_claims(uow, policy), filed, through=through)
        made = []
        for item in due:
            position = item.position
            detail = _header(policy) | {
                "claimant": position.member_id,
                "position": asdict(position) | {"reimbursable": position.reimbursable},
                "filed_before": item.filed_before,
                "claims": [asdict(line) for line in item.listing],
            }
            filing = _file(uow, policy, "specific", item.amount, through, filed_on, detail,
                           member=position.member_id, actor=actor, at=at)  # fmt: skip
            made.append(filing)
        uow.commit()
    return made


def receive(
    uow: UnitOfWork, filing_id: str, amount: Cents, on: date, *, actor: str, at: datetime
) -> Filing:
    """The carrier paid `amount` on a filing (part or all of it); for a negative filing, the
    sponsor refunded `amount` to the carrier. Returns the filing as it now stands."""
    if amount <= 0:
        raise StopLossError("the amount received must be positive")
    with uow:
        filing = uow.stoploss.filing(filing_id)
        if filing is None:
            raise StopLossError(f"no stop-loss filing {filing_id}")
        sponsor, carrier = filing.detail["sponsor"], filing.detail["carrier"]
        open_ = abs(filing.outstanding)
        if amount > open_:
            raise StopLossError(
                f"filing {filing_id} has {format_cents(open_)} outstanding, not"
                f" {format_cents(amount)}"
            )
        event: LedgerEvent
        if filing.amount > 0:
            event = StopLossReimbursementReceived(sponsor, on, filing_id, carrier, amount)
            signed = amount
        else:
            event = StopLossReimbursementRefunded(sponsor, on, filing_id, carrier, amount)
            signed = -amount
        uow.stoploss.receive(filing_id, signed, on, actor)
        uow.payments.post(sponsor, entries_for(event))
        uow.audit.record(at, actor, "stop-loss receipt", "stoploss_filing", filing_id,
                         {"amount": signed})  # fmt: skip
        stored = uow.stoploss.filing(filing_id)
        assert stored is not None
        uow.commit()
    return stored


@dataclass(frozen=True, slots=True)
class MonthlyAggregate:
    """The Monthly Aggregate Report: one cumulative report per policy month through the month
    asked for (the last is the report), each month's enrolment and attachment."""

    policy: StopLossPolicy
    reports: tuple[AggregateReport, ...]
    enrolled: Enrolled
    attachments: tuple[Cents, ...]
    filing: Filing | None  # the accommodation filed with it, if any

    @property
    def report(self) -> AggregateReport:
        return self.reports[-1]


def monthly_report(
    uow: UnitOfWork, sponsor: str, month: date, *, policy_id: str | None = None,
    file_on: date | None = None, actor: str = "", at: datetime | None = None,
) -> MonthlyAggregate:  # fmt: skip
    """The cumulative Monthly Aggregate Report through `month`; with `file_on`, also file the
    accommodation it shows due. Accommodation filed for reports through a month is the
    advance that month's report nets, so an advance is filed once."""
    with uow:
        policy = policy_for(uow, sponsor, month, policy_id)
        month = month.replace(day=1)
        enrolled = enrolment(uow, policy, month)
        claims = paid_claims(uow, policy)
        advances = uow.stoploss.filings(policy.id, "accommodation")
        reports = []
        for each in (m for m in policy.period.months if m <= month):
            month_end = add_months(each, 1) - ONE_DAY
            advanced = sum(f.amount for f in advances if f.through <= month_end)
            reports.append(aggregate_report(policy, claims, enrolled, each, advanced=advanced))
        report = reports[-1]
        filing = None
        if file_on is not None and report.accommodation_due:
            detail = _header(policy) | {"report": _plain(asdict(report))}
            month_end = add_months(month, 1) - ONE_DAY
            filing = _file(uow, policy, "accommodation", report.accommodation_due, month_end,
                           file_on, detail, actor=actor, at=at or datetime.now())  # fmt: skip
            uow.commit()
    attachments = monthly_attachments(policy, enrolled, month)
    return MonthlyAggregate(policy, tuple(reports), enrolled, attachments, filing)


def settlement(
    uow: UnitOfWork, sponsor: str, on: date, *, policy_id: str | None = None,
    terminated: bool = False, file: bool = False, actor: str = "", at: datetime | None = None,
) -> tuple[StopLossPolicy, AggregateSettlement, Enrolled, Filing | None]:  # fmt: skip
    """The year-end aggregate settlement as of `on`; with `file`, file its balance less what
    aggregate filings already claimed (negative when the accommodation must be repaid). Filing
    waits until the paid window has closed."""
    with uow:
        policy = policy_for(uow, sponsor, on, policy_id)
        enrolled = enrolment(uow, policy)
        advanced = _filed(uow, policy, "accommodation")
        result = aggregate_settlement(policy, paid_claims(uow, policy), enrolled,
                                      advanced=advanced, terminated=terminated)  # fmt: skip
        filing = None
        if file:
            last = policy.windows(terminated=terminated)[1].last
            if last is None or on <= last:
                closes = "never (an incurred basis)" if last is None else f"on {last}"
                raise StopLossError(f"policy {policy.id}: the paid window closes {closes}")
            amount = result.balance - _filed(uow, policy, "aggregate")
            if amount:
                detail = _header(policy) | {
                    "settlement": _plain(asdict(result))
                    | {"attachment": result.attachment, "reimbursement": result.reimbursement},
                    "terminated": terminated,
                }
                filing = _file(uow, policy, "aggregate", amount, last, on, detail,
                               actor=actor, at=at or datetime.now())  # fmt: skip
            uow.commit()
    return policy, result, enrolled, filing


def _filed(uow: UnitOfWork, policy: StopLossPolicy, kind: FilingKind) -> Cents:
    return sum(filing.amount for filing in uow.stoploss.filings(policy.id, kind))


def _file(
    uow: UnitOfWork, policy: StopLossPolicy, kind: FilingKind, amount: Cents, through: date,
    filed_on: date, detail: dict[str, Any], *, actor: str, at: datetime, member: str | None = None,
) -> Filing:  # fmt: skip
    number = uow.stoploss.next_filing_number(policy.id)
    filing = Filing(
        f"{policy.id}-{number:04d}", policy.id, kind, member, through, filed_on, amount, 0, detail
    )
    uow.stoploss.add_filing(filing, at, actor)
    s, carrier = policy.sponsor, policy.carrier
    event: LedgerEvent = (
        StopLossReimbursementFiled(s, filed_on, filing.id, carrier, kind, amount)
        if amount > 0
        else StopLossReimbursementWithdrawn(s, filed_on, filing.id, carrier, kind, -amount)
    )
    uow.payments.post(s, entries_for(event))
    uow.audit.record(at, actor, f"stop-loss {kind} filing", "stoploss_filing", filing.id,
                     {"amount": amount, "member": member})  # fmt: skip
    return filing


def _header(policy: StopLossPolicy) -> dict[str, Any]:
    return {
        "sponsor": policy.sponsor,
        "carrier": policy.carrier,
        "policy": policy.id,
        "policy_number": policy.policy_number,
        "period": [policy.period.start.isoformat(), policy.period.end.isoformat()],
        "basis": str(policy.basis),
    }


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {key: value.isoformat() if isinstance(value, date) else value
            for key, value in values.items()}  # fmt: skip
