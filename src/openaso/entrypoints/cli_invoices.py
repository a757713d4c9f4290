"""`openaso invoice ...` (fee contract, monthly invoices, payments) and `openaso planyear`."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from openaso.adapters.files.fee_contract import load_contract_file
from openaso.adapters.render.fee_reports import (
    COMPONENT,
    Report,
    invoice_report,
    planyear_report,
    report_csv,
    report_pdf,
)
from openaso.core.money import format_cents, parse_amount
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.invoicing import (
    InvoiceError,
    InvoiceView,
    load_contract,
    record_payment,
    run_invoice,
    show_invoice,
)
from openaso.services.planyear import plan_year_summary
from openaso.services.premium_remittance import RemittanceError, remit_premium

app = typer.Typer(help="Sponsor fee invoices and their fee contract.", no_args_is_help=True)
contract_app = typer.Typer(help="The sponsor's fee contract (docs/fees.md).", no_args_is_help=True)
app.add_typer(contract_app, name="contract")
planyear_app = typer.Typer(help="The sponsor's plan year.", no_args_is_help=True)

Sponsor = Annotated[str, typer.Option(help="the sponsor's id")]
Csv = Annotated[Path | None, typer.Option("--csv", help="write the report as CSV here")]
Pdf = Annotated[Path | None, typer.Option("--pdf", help="write the report as PDF here")]


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


@contract_app.command("load")
def contract_load(file: Path, sponsor: Sponsor) -> None:
    """Check a fee contract (and the stop-loss policy it names) and store it."""
    loaded, findings = load_contract_file(file, sponsor)
    for finding in findings:
        err.print(str(finding), markup=False)
    if loaded is None:
        raise _fail("nothing loaded: fix the problems above")
    load_contract(open_database()(), loaded, str(file), actor=actor(), at=now())
    terms = loaded.terms
    policy = f"; stop-loss policy {terms.stoploss.id}" if terms.stoploss else ""
    out.print(f"{sponsor}: fee contract in force from {terms.effective}{policy}", markup=False)


@app.command("run")
def run(
    sponsor: Sponsor,
    month: Annotated[str, typer.Option(help="the month billed, YYYY-MM")],
    csv: Csv = None,
    pdf: Pdf = None,
) -> None:
    """Invoice a month (running it again shows the same invoice and changes nothing)."""
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise _fail(f"--month: expected YYYY-MM, got {month!r}", 2) from None
    try:
        invoice_id, made = run_invoice(open_database()(), sponsor, first, actor=actor(), at=now())
    except InvoiceError as exc:
        raise _fail(str(exc)) from None
    view = show_invoice(open_database()(), invoice_id)
    note = "" if made else " (already invoiced: nothing changed)"
    out.print(f"{view.number}: {sponsor} {first:%Y-%m}{note}", markup=False)
    _print_invoice(view)
    _write(invoice_report(view), csv, pdf)


@app.command("show")
def show(invoice: int, csv: Csv = None, pdf: Pdf = None) -> None:
    """An invoice's lines, totals and payments."""
    try:
        view = show_invoice(open_database()(), invoice)
    except InvoiceError as exc:
        raise _fail(str(exc)) from None
    out.print(f"{view.number}: {view.sponsor} {view.month:%Y-%m}", markup=False)
    _print_invoice(view)
    _write(invoice_report(view), csv, pdf)


@app.command("paid")
def paid(
    invoice: int,
    amount: Annotated[str, typer.Option(help="dollars received")],
    on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
) -> None:
    """Record the sponsor's payment of an invoice (premiums are settled first, then fees)."""
    try:
        cents, day = parse_amount(amount), date.fromisoformat(on)
    except ValueError as exc:
        raise _fail(f"--amount / --date: {exc}", 2) from None
    try:
        view = record_payment(open_database()(), invoice, cents, day, actor=actor(), at=now())
    except InvoiceError as exc:
        raise _fail(str(exc)) from None
    out.print(
        f"{view.number}: paid {format_cents(view.paid)} of {format_cents(view.total)};"
        f" outstanding {format_cents(view.outstanding)}",
        markup=False,
    )


@app.command("remit")
def remit(
    sponsor: Sponsor,
    carrier: Annotated[str, typer.Option(help="the stop-loss carrier's id")],
    on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
    reference: Annotated[str, typer.Option(help="the wire or cheque number")],
) -> None:
    """Remit the stop-loss premium collected from the sponsor to its carrier."""
    try:
        day = date.fromisoformat(on)
    except ValueError as exc:
        raise _fail(f"--date: {exc}", 2) from None
    try:
        amount = remit_premium(
            open_database()(), sponsor, carrier, day, reference, actor=actor(), at=now()
        )
    except RemittanceError as exc:
        raise _fail(str(exc)) from None
    if amount == 0:
        out.print(f"{sponsor}: nothing collected to remit to {carrier}", markup=False)
    else:
        out.print(f"{sponsor}: remitted {format_cents(amount)} to {carrier} ({reference})")


@planyear_app.command("summary")
def summary(
    sponsor: Sponsor,
    year: Annotated[int, typer.Option(help="the year the plan year starts in")],
    csv: Csv = None,
    pdf: Pdf = None,
) -> None:
    """Budget, funded, paid claims, fees, stop-loss reimbursed, surplus, maximum liability."""
    try:
        result = plan_year_summary(open_database()(), sponsor, year)
    except InvoiceError as exc:
        raise _fail(str(exc)) from None
    report = planyear_report(result, now().date())
    table = Table(*report.headings)
    for row in (*report.rows, *report.totals):
        table.add_row(*(_text(cell) for cell in row))
    out.print(f"{report.title}", markup=False)
    for label, value in report.facts:
        out.print(f"{label}: {value}", markup=False)
    out.print(table)
    _write(report, csv, pdf)


def _print_invoice(view: InvoiceView) -> None:
    table = Table("item", "month", "tier", "member", "employees", "rate", "amount")
    for line in view.lines:
        table.add_row(
            COMPONENT[line.component], f"{line.month:%Y-%m}", line.tier, line.member_id or "",
            str(line.quantity), format_cents(line.rate), format_cents(line.amount),
        )  # fmt: skip
    out.print(table)
    out.print(
        f"fees {format_cents(view.fees)}, premiums {format_cents(view.premiums)},"
        f" total {format_cents(view.total)}, paid {format_cents(view.paid)},"
        f" outstanding {format_cents(view.outstanding)}",
        markup=False,
    )


def _text(cell: object) -> str:
    cents = getattr(cell, "cents", None)
    return format_cents(cents) if isinstance(cents, int) else str(cell)


def _write(report: Report, csv: Path | None, pdf: Path | None) -> None:
    if csv is not None:
        csv.write_text(report_csv(report), encoding="utf-8")
        out.print(f"wrote {csv}", markup=False)
    if pdf is not None:
        pdf.write_bytes(report_pdf(report))
        out.print(f"wrote {pdf}", markup=False)
