"""`openaso stoploss ...` on a small book: B1 is paid $85k in March and April.

Policy: tests/fixtures/stoploss/good/acme-sl-2026.yaml. B1: $170k paid − $100k deductible =
$70k excess; the $50k ASD keeps the first $50k, so $20k is filed. Enrolment: B1 and E1
employee-only, F1 family: 2 × $450 + $1,250 = $2,150 attached a month, $8,600 by April;
aggregate claims $170k − $70k = $100k, so $91,400 of accommodation is due.
"""

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.entrypoints.cli import app
from openaso.services.intake import receive_claims
from tests.integration.books import open_book, subscriber
from tests.integration.stoploss_book import POLICY, Book, big_claim, pay_and_fund


@pytest.fixture
def book(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Book:
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    monkeypatch.setenv("OPENASO_USER", "tpa")
    members = [subscriber("B1"), subscriber("E1"), subscriber("F1", tier="FAM")]
    new_uow = open_book(database_url, members)
    receive_claims(new_uow(), [big_claim("B1-3", "B1", date(2026, 3, 10), 90_000)])
    pay_and_fund(new_uow, date(2026, 3, 25))
    receive_claims(new_uow(), [big_claim("B1-4", "B1", date(2026, 4, 10), 85_000)])
    pay_and_fund(new_uow, date(2026, 4, 25))
    return new_uow


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, ["stoploss", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_the_stoploss_commands_file_receive_and_report(book: Book, tmp_path: Path) -> None:
    assert "acme-sl-2026: version 1 in force" in _run("load", str(POLICY), "--sponsor", "acme")
    assert "version 1 in force" in _run("load", str(POLICY), "--sponsor", "acme")
    _run("status", "--sponsor", "acme", "--as-of", "2026-04-30", "--out", str(tmp_path))
    status = (tmp_path / "acme-sl-2026-status-2026-04-30.csv").read_text().splitlines()
    assert status[1] == "B1,170000.00,100000.00,70000.00,50000.00,20000.00,0.00,0.00,no"

    assert "1 new notices" in _run("notices", "--sponsor", "acme", "--as-of", "2026-04-30")
    assert "0 new notices" in _run("notices", "--sponsor", "acme", "--as-of", "2026-04-30")

    filed = _run("file", "--sponsor", "acme", "--as-of", "2026-04-30", "--out", str(tmp_path))
    assert "1 filings" in filed
    listing = (tmp_path / "acme-sl-2026-0001.csv").read_text().splitlines()
    assert listing[1:] == [
        "acme-sl-2026-0001,B1,B1-3,2026-03-10,2026-03-25,85000.00",
        "acme-sl-2026-0001,B1,B1-4,2026-04-10,2026-04-25,85000.00",
    ]
    assert (tmp_path / "acme-sl-2026-0001.pdf").read_bytes().startswith(b"%PDF")
    assert "0 filings" in _run("file", "--sponsor", "acme", "--as-of", "2026-04-30")

    received = _run("receive", "acme-sl-2026-0001", "--amount", "5000", "--date", "2026-05-10")
    assert "5000.00 of 20000.00 received" in received
    too_much = CliRunner().invoke(
        app, ["stoploss", "receive", "acme-sl-2026-0001", "--amount", "15000.01", "--date",
              "2026-05-11"],
    )  # fmt: skip
    assert too_much.exit_code == 1
    assert "has 15000.00 outstanding, not 15000.01" in too_much.output
    assert "│ 20000.00 │ 5000.00 " in _run("filings", "--sponsor", "acme")

    report = _run("aggregate", "--sponsor", "acme", "--month", "2026-04", "--out", str(tmp_path))
    assert "attachment 8600.00" in report
    assert "aggregate claims 100000.00" in report
    assert "accommodation due 91400.00" in report
    rows = (tmp_path / "acme-sl-2026-aggregate-2026-04.csv").read_text().splitlines()
    assert rows[0].startswith("month,enrolled_EE,enrolled_FAM,monthly_attachment")
    assert rows[4] == "2026-04,2,1,2150.00,8600.00,170000.00,70000.00,100000.00,0.00,91400.00"
    assert (tmp_path / "acme-sl-2026-aggregate-2026-04.pdf").read_bytes().startswith(b"%PDF")

    settled = _run("settle", "--sponsor", "acme", "--date", "2027-01-10")
    assert "attachment 25800.00" in settled  # 12 × $2,150 (above 95% × $2,150 × 12)
    assert "reimbursement 74200.00" in settled  # $100,000 − $25,800


def test_a_policy_for_another_sponsor_is_refused(book: Book) -> None:
    result = CliRunner().invoke(app, ["stoploss", "load", str(POLICY), "--sponsor", "globex"])
    assert result.exit_code == 1
    assert "the policy is for sponsor acme, not globex" in result.output
