"""Stop-loss reports as CSV: claimant status, a filing's claims listing, the aggregate report.

Amounts are dollars with two decimals (`format_cents`), negative with a leading minus; dates
ISO. One table per file, a header row first.
"""

import csv
import io
from collections.abc import Iterable, Sequence

from openaso.core.members import TierCode
from openaso.core.money import format_cents
from openaso.core.stoploss import AggregateSettlement, Filing
from openaso.services.stoploss import Status
from openaso.services.stoploss_filings import MonthlyAggregate

TIERS: tuple[TierCode, ...] = ("EE", "ES", "EC", "FAM")


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def status_csv(status: Status) -> str:
    header = ("member", "paid", "deductible", "excess", "asd_retained", "reimbursable",
              "filed", "received", "threshold_notice")  # fmt: skip
    rows = []
    for row in status.claimants:
        p = row.position
        deductible = "excluded" if p.deductible is None else format_cents(p.deductible)
        rows.append((p.member_id, format_cents(p.paid), deductible, format_cents(p.excess),
                     format_cents(p.asd_retained), format_cents(p.reimbursable),
                     format_cents(row.filed), format_cents(row.received),
                     "yes" if row.threshold_notified else "no"))  # fmt: skip
    return _csv(header, rows)


def filing_csv(filing: Filing) -> str:
    """The claims listing of a specific filing: every eligible claim of the claimant to date."""
    header = ("filing", "claimant", "claim", "incurred", "paid", "amount")
    rows = [
        (filing.id, filing.member_id, c["claim_id"], c["incurred"], c["paid"],
         format_cents(c["amount"]))
        for c in filing.detail.get("claims", [])
    ]  # fmt: skip
    return _csv(header, rows)


def aggregate_csv(aggregate: MonthlyAggregate) -> str:
    """One row per policy month: enrolment by tier, the month's attachment, and the cumulative
    report through that month."""
    tiers = [t for t in TIERS if any(aggregate.enrolled[m].get(t) for m in aggregate.enrolled)]
    header = ("month", *(f"enrolled_{t}" for t in tiers), "monthly_attachment",
              "attachment_to_date", "eligible_paid", "specific_excess", "aggregate_claims",
              "advanced", "accommodation_due")  # fmt: skip
    rows = []
    for report, attachment in zip(aggregate.reports, aggregate.attachments, strict=True):
        counts = aggregate.enrolled[report.month]
        rows.append((report.month.strftime("%Y-%m"), *(counts.get(t, 0) for t in tiers),
                     format_cents(attachment), format_cents(report.attachment),
                     format_cents(report.eligible_paid), format_cents(report.specific_excess),
                     format_cents(report.aggregate_claims), format_cents(report.advanced),
                     format_cents(report.accommodation_due)))  # fmt: skip
    return _csv(header, rows)


def settlement_csv(settlement: AggregateSettlement) -> str:
    figures = (
        ("monthly_attachments", settlement.monthly_attachments),
        ("minimum_attachment", settlement.minimum_attachment),
        ("terminal_liability", settlement.terminal_liability),
        ("attachment", settlement.attachment),
        ("eligible_paid", settlement.eligible_paid),
        ("specific_excess", settlement.specific_excess),
        ("aggregate_claims", settlement.aggregate_claims),
        ("reimbursement", settlement.reimbursement),
        ("advanced", settlement.advanced),
        ("balance", settlement.balance),
    )
    return _csv(("figure", "amount"), ((k, format_cents(v)) for k, v in figures))
