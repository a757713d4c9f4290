"""Sponsor invoices and the plan-year summary as reports: one table, written as CSV or PDF.

A report is a title, facts (label, value) and a table; money cells are `Amount`s, written as
decimal strings in CSV (`-1250.00`) and as dollars in the PDF (`-$1,250.00`). The PDF uses the
core Helvetica font (latin-1 only), like the EOB.
"""

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from fpdf import FPDF, FontFace

from openaso.adapters.render.text import dollars, latin1
from openaso.core.money import Cents, format_cents
from openaso.core.planyear import PlanYearSummary
from openaso.services.invoicing import InvoiceView

HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
BOLD = FontFace(emphasis="BOLD")
COMPONENT = {
    "admin": "Admin fee",
    "network": "Network access fee",
    "specific": "Specific stop-loss premium",
    "aggregate": "Aggregate stop-loss premium",
}


@dataclass(frozen=True, slots=True)
class Amount:
    cents: Cents


Cell = str | int | Amount


@dataclass(frozen=True, slots=True)
class Report:
    title: str
    produced: date
    facts: tuple[tuple[str, str], ...]
    headings: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: tuple[tuple[Cell, ...], ...]  # rows in bold after the table's rows
    widths: tuple[float, ...]  # the PDF's relative column widths
    right: tuple[bool, ...]  # which columns align right (numbers)


def invoice_report(view: InvoiceView) -> Report:
    rows = []
    for number, line in enumerate(view.lines, start=1):
        what = COMPONENT[line.component] + (" (adjustment)" if line.adjustment else "")
        rows.append(
            (
                number,
                what,
                f"{line.month:%Y-%m}",
                line.tier,
                line.member_id or "",
                line.quantity,
                Amount(line.rate),
                Amount(line.amount),
            )
        )
    blank = ("", "", "", "", "", "")
    totals = (
        ("", "Fees (admin and network)", *blank[:5], Amount(view.fees)),
        ("", "Stop-loss premiums", *blank[:5], Amount(view.premiums)),
        ("", "Total", *blank[:5], Amount(view.total)),
        ("", "Paid", *blank[:5], Amount(view.paid)),
        ("", "Outstanding", *blank[:5], Amount(view.outstanding)),
    )
    facts = (
        ("Invoice", view.number),
        ("Sponsor", view.sponsor),
        ("Month billed", f"{view.month:%Y-%m} (employees enrolled on the 1st)"),
    )
    return Report(
        f"Invoice {view.number}",
        view.month,
        facts,
        ("Line", "Item", "Month", "Tier", "Member", "Employees", "Rate PEPM", "Amount"),
        tuple(rows),
        totals,
        (1, 5, 1.5, 1, 2, 1.8, 1.8, 2),
        (True, False, False, False, False, True, True, True),
    )


def planyear_report(summary: PlanYearSummary, produced: date) -> Report:
    books = summary.ledger
    rows: list[tuple[Cell, ...]] = [
        (f"Member-months billed, {tier}", str(count), "") for tier, count in summary.member_months
    ]
    rows += [
        ("Budget (working rates x member-months)", "", Amount(summary.budget)),
        ("Funded by the sponsor", "", Amount(books.funded)),
        ("Paid claims", "", Amount(books.paid_claims)),
        ("Fees (admin and network)", "", Amount(books.fees)),
        ("Stop-loss premiums", "", Amount(books.premiums)),
        ("Stop-loss reimbursed", "", Amount(books.stop_loss_reimbursed)),
        ("Net cost (paid - reimbursed + fees + premiums)", "", Amount(summary.net_cost)),
        ("Surplus (+) or deficit (-) against budget", "", Amount(summary.surplus)),
    ]
    liability = summary.liability
    if liability is not None:
        rows += [
            ("Aggregate attachment point", "", Amount(liability.aggregate_attachment)),
            ("Laser retentions", "", Amount(liability.laser_retention)),
            ("Aggregating specific deductible", "", Amount(liability.asd_retention)),
            ("Fixed costs", "", Amount(liability.fixed_costs)),
        ]
        totals: tuple[tuple[Cell, ...], ...] = (
            ("Maximum claims liability", "", Amount(liability.total)),
        )
    else:
        totals = (("Maximum claims liability", "none: no aggregate stop-loss cover", ""),)
    facts = [
        ("Sponsor", summary.sponsor),
        ("Plan year", f"{summary.first_month:%Y-%m} to {summary.last_month:%Y-%m}"),
    ]
    if liability is not None and liability.projected_months:
        note = f"{liability.projected_months} months at the last invoiced month's enrolment"
        facts.append(("Projected", note))
    if liability is not None and liability.excluded_members:
        facts.append(("Uncapped (lasered out)", ", ".join(liability.excluded_members)))
    return Report(
        f"Plan year {summary.first_month:%Y} - {summary.sponsor}",
        produced,
        tuple(facts),
        ("Figure", "Count", "Amount"),
        tuple(rows),
        totals,
        (6, 2, 2),
        (False, True, True),
    )


def report_csv(report: Report) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(report.headings)
    for row in (*report.rows, *report.totals):
        writer.writerow([format_cents(c.cents) if isinstance(c, Amount) else c for c in row])
    return buffer.getvalue()


def report_pdf(report: Report, compress: bool = True) -> bytes:
    """The PDF; `compress=False` leaves its text readable in the file (tests search it)."""
    pdf = FPDF(format="Letter")
    pdf.set_compression(compress)
    pdf.set_creation_date(datetime.combine(report.produced, time(), UTC))  # same input, same bytes
    pdf.set_title(latin1(report.title))
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=14)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 15)
    pdf.cell(0, 8, latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    for label, value in report.facts:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(40, 5, latin1(label))
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(0, 5, latin1(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    _table(pdf, report)
    return bytes(pdf.output())


def _table(pdf: FPDF, report: Report) -> None:
    pdf.set_font("Helvetica", size=8)
    with pdf.table(
        col_widths=report.widths,
        text_align=tuple("RIGHT" if right else "LEFT" for right in report.right),
        headings_style=HEADINGS,
        line_height=4.4,
        padding=1,
    ) as table:
        for cells, style in _styled(report):
            row = table.row(style=style)
            for cell in cells:
                row.cell(latin1(_pdf_text(cell)))


def _styled(report: Report) -> Sequence[tuple[Sequence[Cell], FontFace | None]]:
    return [
        (report.headings, None),
        *((row, None) for row in report.rows),
        *((row, BOLD) for row in report.totals),
    ]


def _pdf_text(cell: Cell) -> str:
    return dollars(cell.cents) if isinstance(cell, Amount) else str(cell)
