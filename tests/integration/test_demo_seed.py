"""A generated book goes through the real pipeline whole: every file accepted, a year paid.

A small book (20 employees, 4 months of services, seed 8, which draws one unlisted procedure)
keeps the test quick; `openaso demo seed` runs the same code on 300 employees and a year.
"""

import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.adapters.files.stoploss_document import load_stoploss_file
from openaso.adapters.x12.ack_999 import Party
from openaso.bootstrap import database
from openaso.core.ledger import Account, AccountKind, balances
from openaso.entrypoints.cli import app
from openaso.services.demo import VOID_EVERY, seed_demo
from openaso.services.invoicing import show_invoice
from openaso.services.stoploss import status as stop_loss_status
from openaso.synthetic.book import Book, draw_book, write_book
from openaso.synthetic.catalogue import UNLISTED

OURS = Party("ZZ", "OPENASO")
X12VALID = Path(sys.executable).parent / "x12valid"


@pytest.fixture(scope="module")
def book() -> Book:
    return draw_book(20, 8, 2026, months=4)


def test_the_generated_plans_pass_plan_check_and_the_policy_loads(
    book: Book, tmp_path: Path
) -> None:
    documents = write_book(book, tmp_path)["documents"]
    plans = [str(tmp_path / name) for name in documents["plans"]]
    assert len(plans) == 3
    result = CliRunner().invoke(app, ["plan", "check", *plans])
    assert result.exit_code == 0, result.output
    assert result.output.count(": OK (") == 3
    policy, findings = load_stoploss_file(tmp_path / "documents" / "demo-stoploss-2026.yaml")
    assert findings == []
    assert policy is not None


@pytest.mark.parametrize("kind", ["P", "I"])
def test_pyx12_accepts_the_generated_837s(book: Book, kind: str, tmp_path: Path) -> None:
    """pyx12 has no map for the 837D guide (X224A2); the 837P and 837I are checked."""
    write_book(book, tmp_path / "book")
    biggest = max((tmp_path / "book" / "claims").glob(f"*/837{kind}.x12"), key=_size)
    copy = tmp_path / f"check.{kind}.x12"  # x12valid writes a .997 beside the file
    shutil.copy(biggest, copy)
    checked = subprocess.run(
        [str(X12VALID), str(copy)], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert f"{copy.name}: OK" in checked.stdout + checked.stderr, checked.stderr[-2000:]


def _size(path: Path) -> int:
    return path.stat().st_size


def test_generate_writes_a_book_and_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    out = tmp_path / "book"
    arguments = ["generate", "--out", str(out), "--employees", "5", "--months", "2"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 0, result.output
    assert "5 employees" in result.output
    assert (out / "manifest.json").is_file()
    again = CliRunner().invoke(app, arguments)
    assert again.exit_code == 1
    assert "not empty" in again.output


def test_the_demo_seed_takes_every_file_and_pays_the_year_with_balanced_books(
    book: Book, database_url: str, tmp_path: Path
) -> None:
    manifest = write_book(book, tmp_path)
    weeks = len(manifest["weeks"])
    _, new_uow = database(database_url)
    report = seed_demo(new_uow, tmp_path, actor="demo", ours=OURS)
    members = sum(len(family.people) for family in book.population.families)
    assert (report.members, report.claims) == (members, len(book.claims.bills))
    assert report.fills == len(book.claims.fills)
    assert report.runs > 10
    assert len(report.voided) == weeks // VOID_EVERY >= 1
    unlisted = [b for b in book.claims.bills if any(x.code in UNLISTED for x in b.claim.lines)]
    with new_uow() as uow:
        assert len({row["claim"] for row in uow.claims.pend_queue()}) == len(unlisted) == 1
        assert {uow.claims.status_of(claim) for claim in report.voided} == {"voided"}
        received = uow.x12.recent(1000)
        statuses = {a["status"] for f in received for a in uow.x12.acknowledgments(f["id"])}
        entries = uow.payments.entries("demo")
        fund = uow.payments.balance(Account(AccountKind.CLAIMS_FUND, "demo"))
        held = uow.payments.held("demo")
    assert {f["outcome"] for f in received} == {"accepted"}
    assert statuses == {"A"}
    assert entries
    assert all(sum(p.amount for p in entry.postings) == 0 for entry in entries)
    assert fund == 0
    assert held == []
    assert report.paid > 0
    year_end = date(int(manifest["year"]), 12, 31)
    standing = stop_loss_status(new_uow(), "demo", year_end)
    assert report.stop_loss.endswith("version 1")
    assert sum(row.filed for row in standing.claimants) == report.filed
    assert all(row.filed <= row.position.reimbursable for row in standing.claimants)
    assert report.notices >= sum(row.threshold_notified for row in standing.claimants)
    # a month's invoice for each month with a run; all paid but the latest, premium remitted
    fridays = [date.fromisoformat(w["week"]) + timedelta(days=4) for w in manifest["weeks"]]
    months = {(f.year, f.month) for f in fridays if f.year == int(manifest["year"])}
    assert report.invoices == len(months)
    invoices = [show_invoice(new_uow(), i) for i in range(1, report.invoices + 1)]
    with new_uow() as uow:
        books = balances(uow.payments.entries("demo"))
    assert [v.outstanding > 0 for v in invoices] == [False] * (len(invoices) - 1) + [True]
    assert report.invoiced == sum(v.total for v in invoices)
    assert report.remitted == sum(v.premiums for v in invoices[:-1])
    payable = Account(AccountKind.STOP_LOSS_PREMIUM_PAYABLE, "demo", "summit-re")
    assert -books[payable] == invoices[-1].premiums  # the latest month's, not yet collected


def test_seeding_a_seeded_database_says_so_and_changes_nothing(tmp_path: Path) -> None:
    write_book(draw_book(3, 1, 2026, months=1), tmp_path / "book")
    _, new_uow = database(f"sqlite:///{tmp_path}/demo.db")
    seed_demo(new_uow, tmp_path / "book", actor="demo", ours=OURS)
    with new_uow() as uow:
        files = len(uow.x12.recent(1000))
    again = seed_demo(new_uow, tmp_path / "book", actor="demo", ours=OURS)
    assert again.already_seeded
    with new_uow() as uow:
        assert len(uow.x12.recent(1000)) == files
