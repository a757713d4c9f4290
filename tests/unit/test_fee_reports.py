"""Invoice and plan-year reports: the same figures in CSV (decimal strings) and PDF (dollars)."""

from datetime import date

from openaso.adapters.render.fee_reports import (
    invoice_report,
    planyear_report,
    report_csv,
    report_pdf,
)
from openaso.core.invoicing import InvoiceLine
from openaso.core.planyear import LedgerFigures, PlanYearSummary
from openaso.services.invoicing import InvoiceView

JAN = date(2026, 1, 1)


def view() -> InvoiceView:
    lines = (
        InvoiceLine("admin", JAN, "EE", 120, 3_000),
        InvoiceLine("specific", JAN, "FAM", 80, 21_000),
        InvoiceLine("admin", date(2025, 12, 1), "EE", -1, 3_000, "E7"),
    )
    return InvoiceView(1, "INV-1", "acme", JAN, lines, 357_000, 1_680_000, 1_000_000, ())


def test_an_invoice_csv_has_a_row_per_line_then_its_totals() -> None:
    rows = report_csv(invoice_report(view())).splitlines()
    assert rows == [
        "Line,Item,Month,Tier,Member,Employees,Rate PEPM,Amount",
        "1,Admin fee,2026-01,EE,,120,30.00,3600.00",
        "2,Specific stop-loss premium,2026-01,FAM,,80,210.00,16800.00",
        "3,Admin fee (adjustment),2025-12,EE,E7,-1,30.00,-30.00",
        ",Fees (admin and network),,,,,,3570.00",
        ",Stop-loss premiums,,,,,,16800.00",
        ",Total,,,,,,20370.00",
        ",Paid,,,,,,10000.00",
        ",Outstanding,,,,,,10370.00",
    ]


def test_an_invoice_pdf_shows_the_same_figures_in_dollars_and_is_reproducible() -> None:
    report = invoice_report(view())
    pdf = report_pdf(report, compress=False)
    assert pdf.startswith(b"%PDF-")
    for text in (b"Invoice INV-1", b"$16,800.00", b"-$30.00", b"$10,370.00", b"E7"):
        assert text in pdf, text
    assert report_pdf(report) == report_pdf(report)


def test_a_plan_year_without_aggregate_cover_has_no_maximum_liability() -> None:
    figures = LedgerFigures(100_000, 60_000, 8_000, 20_000, 5_000)
    summary = PlanYearSummary("acme", JAN, date(2026, 12, 1), (("EE", 12),), 150_000, figures, None)
    assert summary.net_cost == 60_000 - 5_000 + 8_000 + 20_000
    rows = report_csv(planyear_report(summary, JAN)).splitlines()
    assert "Surplus (+) or deficit (-) against budget,,670.00" in rows
    assert rows[-1] == "Maximum claims liability,none: no aggregate stop-loss cover,"
