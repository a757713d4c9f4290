"""`openaso invoice` and `openaso planyear`: a census, a retroactive CSV, reports as CSV and PDF."""

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.entrypoints.cli import app
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
HEADER = (
    "member_id,family_id,relationship,last_name,first_name,birth_date,gender,coverage,tier,"
    "plan_code,start,end\n"
)


@pytest.fixture
def cli(database_url: str, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    monkeypatch.setenv("COLUMNS", "200")
    return CliRunner()


def ok(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_a_quarter_of_invoices_with_a_retroactive_census_and_the_plan_year(
    cli: CliRunner, tmp_path: Path
) -> None:
    ok(
        cli,
        "enroll",
        str(EXAMPLES / "census-2026.csv"),
        "--sponsor",
        "acme",
        "--as-of",
        "2026-01-01",
    )
    loaded = ok(
        cli,
        "invoice",
        "contract",
        "load",
        str(EXAMPLES / "acme-fees-2026.yaml"),
        "--sponsor",
        "acme",
    )
    assert "acme: fee contract in force from 2026-01-01; stop-loss policy acme-sl-2026" in loaded
    # January: A100 family (256.00) and B200 employee-only (131.00)
    january = ok(cli, "invoice", "run", "--sponsor", "acme", "--month", "2026-01")
    assert "INV-1: acme 2026-01" in january
    assert "total 387.00" in january
    again = ok(cli, "invoice", "run", "--sponsor", "acme", "--month", "2026-01")
    assert "(already invoiced: nothing changed)" in again
    ok(cli, "invoice", "run", "--sponsor", "acme", "--month", "2026-02")
    # in March a census says B200 left on January 31 and C300 was covered from January 1
    late = tmp_path / "census-march.csv"
    late.write_text(
        HEADER
        + "B200,B200,subscriber,CHEN,WEI,1990-02-03,M,medical,EE,,2026-01-01,2026-01-31\n"
        + "C300,C300,subscriber,OKAFOR,ADA,1988-09-09,F,medical,EE,,2026-01-01,\n"
    )
    ok(cli, "enroll", str(late), "--sponsor", "acme", "--as-of", "2026-03-01")
    csv_file, pdf_file = tmp_path / "inv3.csv", tmp_path / "inv3.pdf"
    march = ok(
        cli,
        "invoice",
        "run",
        "--sponsor",
        "acme",
        "--month",
        "2026-03",
        "--csv",
        str(csv_file),
        "--pdf",
        str(pdf_file),
    )
    # March: A100 256.00 + C300 131.00; adjustments: C300 January and February +262.00, B200
    # February −131.00
    assert "total 518.00" in march
    rows = csv_file.read_text().splitlines()
    assert rows[0] == "Line,Item,Month,Tier,Member,Employees,Rate PEPM,Amount"
    assert "9,Admin fee (adjustment),2026-01,EE,C300,1,30.00,30.00" in rows
    assert "13,Admin fee (adjustment),2026-02,EE,B200,-1,30.00,-30.00" in rows
    assert rows[-3:] == [",Total,,,,,,518.00", ",Paid,,,,,,0.00", ",Outstanding,,,,,,518.00"]
    assert pdf_file.read_bytes().startswith(b"%PDF-")
    # the stored January invoice is as it was
    assert "total 387.00" in ok(cli, "invoice", "show", "1")
    paid = ok(cli, "invoice", "paid", "3", "--amount", "500.00", "--date", "2026-03-10")
    assert "INV-3: paid 500.00 of 518.00; outstanding 18.00" in paid
    # the premium part of the $500 (settled first) goes on to the carrier, once
    remit = ["invoice", "remit", "--sponsor", "acme", "--date", "2026-03-11"]
    sent = ok(cli, *remit, "--carrier", "summit-re", "--reference", "WIRE-7")
    assert re.search(r"acme: remitted [0-9.]+ to summit-re \(WIRE-7\)", sent), sent
    again = ok(cli, *remit, "--carrier", "summit-re", "--reference", "WIRE-8")
    assert "acme: nothing collected to remit to summit-re" in again
    wrong = cli.invoke(app, [*remit, "--carrier", "other-re", "--reference", "W"])
    assert wrong.exit_code == 1
    assert "acme was never invoiced stop-loss premium for other-re" in wrong.output
    year_csv, year_pdf = tmp_path / "year.csv", tmp_path / "year.pdf"
    summary = ok(
        cli,
        "planyear",
        "summary",
        "--sponsor",
        "acme",
        "--year",
        "2026",
        "--csv",
        str(year_csv),
        "--pdf",
        str(year_pdf),
    )
    assert "Projected: 9 months at the last invoiced month's enrolment" in summary
    lines = year_csv.read_text().splitlines()
    # fees 40.00 × 7 member-months billed net: A100 and C300 three each, B200's January
    assert "Fees (admin and network),,280.00" in lines
    assert '"Member-months billed, EE",4,' in lines
    assert year_pdf.read_bytes().startswith(b"%PDF-")


def test_a_contract_with_mistakes_is_refused_with_its_lines(cli: CliRunner) -> None:
    path = ROOT / "tests" / "fixtures" / "fees" / "bad" / "mistakes.yaml"
    result = cli.invoke(app, ["invoice", "contract", "load", str(path), "--sponsor", "acme"])
    assert result.exit_code == 1
    assert f"{path}:3: coverage: expected one of medical, dental, rx, std" in result.output
    assert "nothing loaded: fix the problems above" in result.output


def test_an_invoice_action_that_does_not_apply_says_why(cli: CliRunner) -> None:
    result = cli.invoke(app, ["invoice", "run", "--sponsor", "acme", "--month", "2026-01"])
    assert result.exit_code == 1
    assert "no fee contract is loaded for sponsor acme" in result.output
    result = cli.invoke(app, ["invoice", "run", "--sponsor", "acme", "--month", "2026-13"])
    assert result.exit_code == 2
    assert "--month: expected YYYY-MM, got '2026-13'" in result.output
    result = cli.invoke(app, ["invoice", "show", "7"])
    assert result.exit_code == 1
    assert "no invoice 7" in result.output
