"""Stop-loss documents a carrier receives, as PDF (fpdf2, core Helvetica): a specific
reimbursement filing with its claims listing, and the Monthly Aggregate Report."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from typing import Any

from fpdf import FPDF, FontFace

from openaso.adapters.render.stoploss_csv import TIERS
from openaso.adapters.render.text import dollars, latin1
from openaso.core.stoploss import Filing
from openaso.services.stoploss_filings import MonthlyAggregate

HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))


def _document(title: str, produced: date, compress: bool) -> FPDF:
    pdf = FPDF(format="Letter")
    pdf.set_compression(compress)
    pdf.set_creation_date(datetime.combine(produced, time(), UTC))  # same input, same bytes
    pdf.set_title(latin1(title))
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, latin1(title), new_x="LMARGIN", new_y="NEXT")
    return pdf


def _facts(pdf: FPDF, facts: Sequence[tuple[str, str]]) -> None:
    pdf.set_font("Helvetica", size=9)
    for label, value in facts:
        pdf.cell(55, 5, latin1(label))
        pdf.cell(0, 5, latin1(value), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)


def _table(pdf: FPDF, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    pdf.set_font("Helvetica", size=8)
    with pdf.table(headings_style=HEADINGS, text_align="RIGHT", line_height=4.5) as table:
        table.row([latin1(h) for h in header])
        for row in rows:
            table.row([latin1(cell) for cell in row])


def _policy_facts(detail: dict[str, Any]) -> list[tuple[str, str]]:
    start, end = detail["period"]
    return [
        ("Carrier", detail["carrier"]),
        ("Policy", f"{detail['policy']} ({detail.get('policy_number') or 'no number'})"),
        ("Plan sponsor", detail["sponsor"]),
        ("Policy period / basis", f"{start} to {end}, {detail['basis']}"),
    ]


def render_filing_pdf(filing: Filing, compress: bool = True) -> bytes:
    """A specific reimbursement filing: claimant, position, the amount, the claims listing."""
    detail = dict(filing.detail)
    position = detail["position"]
    deductible = position["deductible"]
    pdf = _document(f"Specific stop-loss reimbursement request {filing.id}", filing.filed_on,
                    compress)  # fmt: skip
    _facts(pdf, [
        *_policy_facts(detail),
        ("Claimant (member id)", str(filing.member_id)),
        ("Claims paid through", filing.through.isoformat()),
        ("Filed on", filing.filed_on.isoformat()),
    ])  # fmt: skip
    _facts(pdf, [
        ("Eligible paid claims", dollars(position["paid"])),
        ("Specific deductible", "excluded" if deductible is None else dollars(deductible)),
        ("Excess over the deductible", dollars(position["excess"])),
        ("Aggregating specific deductible", dollars(position["asd_retained"])),
        ("Reimbursable to date", dollars(position["reimbursable"])),
        ("Filed before", dollars(detail["filed_before"])),
        ("Amount requested", dollars(filing.amount)),
    ])  # fmt: skip
    rows = [
        (c["claim_id"], str(c["incurred"]), str(c["paid"]), dollars(c["amount"]))
        for c in detail["claims"]
    ]
    _table(pdf, ("Claim", "Incurred", "Paid", "Plan paid"), rows)
    return bytes(pdf.output())


def render_aggregate_pdf(
    aggregate: MonthlyAggregate, produced: date, compress: bool = True
) -> bytes:
    """The Monthly Aggregate Report through its month, month by month."""
    policy, report = aggregate.policy, aggregate.report
    detail = {
        "carrier": policy.carrier,
        "policy": policy.id,
        "policy_number": policy.policy_number,
        "sponsor": policy.sponsor,
        "period": [policy.period.start.isoformat(), policy.period.end.isoformat()],
        "basis": str(policy.basis),
    }
    month = report.month.strftime("%B %Y")
    pdf = _document(f"Monthly Aggregate Report - {month}", produced, compress)
    _facts(pdf, _policy_facts(detail))
    _facts(pdf, [
        ("Attachment to date", dollars(report.attachment)),
        ("Eligible paid claims", dollars(report.eligible_paid)),
        ("Less specific excess", dollars(report.specific_excess)),
        ("Aggregate claims", dollars(report.aggregate_claims)),
        ("Accommodation advanced", dollars(report.advanced)),
        ("Accommodation due", dollars(report.accommodation_due)),
    ])  # fmt: skip
    tiers = [t for t in TIERS if any(aggregate.enrolled[m].get(t) for m in aggregate.enrolled)]
    rows = [
        (r.month.strftime("%Y-%m"), *(str(aggregate.enrolled[r.month].get(t, 0)) for t in tiers),
         dollars(attachment), dollars(r.attachment), dollars(r.aggregate_claims))
        for r, attachment in zip(aggregate.reports, aggregate.attachments, strict=True)
    ]  # fmt: skip
    header = ("Month", *tiers, "Attachment", "To date", "Aggregate claims")
    _table(pdf, header, rows)
    return bytes(pdf.output())
