"""Enrolment files applied to the members on file: reconciliation, re-imports, retro terms."""

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.adapters.files.census_csv import read_census
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.core.enrolment import EnrolmentBatch, MemberRecord
from openaso.entrypoints.cli import app
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.enrolment import EnrolmentReport, import_enrolment
from openaso.services.intake import receive_claims
from openaso.services.ports import UnitOfWork
from tests.conftest import ROOT
from tests.integration.books import AT, claim, open_book

X12 = ROOT.parent / "shared" / "x12"
Book = Callable[[], UnitOfWork]
CENSUS_HEADER = (
    "member_id,family_id,relationship,last_name,first_name,birth_date,gender,"
    "coverage,tier,plan_code,start,end\n"
)


@pytest.fixture
def book(database_url: str) -> Book:
    return open_book(database_url, [])


def _import(book: Book, path: Path, full_file: bool = False) -> EnrolmentReport:
    if path.suffix == ".csv":
        batch, findings = read_census(path, "acme", date(2026, 7, 1))
        batches = [batch] if batch else []
    else:
        batches, findings = read_834(path)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return import_enrolment(book(), batches, findings, str(path), sha, "acme", full_file, "ops", AT)


def _spans(book: Book, member_id: str) -> list[tuple[str, str | None, date, date | None]]:
    with book() as uow:
        return [(s.coverage, s.tier, s.start, s.end) for s in uow.members.enrolments(member_id)]


def _needs_samples() -> None:
    if not X12.is_dir():
        pytest.skip(f"the public X12 samples are not at {X12}")


def test_a_family_834_enrols_everyone_and_a_second_import_changes_nothing(book: Book) -> None:
    _needs_samples()
    path = X12 / "pyx12__834_deident_family.txt"
    first = _import(book, path)
    assert (first.added, first.changed, first.skipped) == (3, 0, 0)
    with book() as uow:
        spouse = uow.members.get("M000003")
    assert spouse is not None
    assert (spouse.family_id, spouse.relationship, spouse.tier) == ("M000002", "spouse", "FAM")
    assert _spans(book, "M000004") == [("medical", "FAM", date(2026, 4, 1), None)]
    again = _import(book, path)
    assert again.already_imported is not None
    assert (again.added, again.changed) == (0, 0)


def test_the_same_facts_in_a_new_file_change_nothing(book: Book, tmp_path: Path) -> None:
    _needs_samples()
    original = X12 / "pyx12__834_deident_family.txt"
    _import(book, original)
    resent = tmp_path / "resent.834"
    resent.write_text(original.read_text().replace("000000002", "000000009"))  # a new ISA13
    report = _import(book, resent)
    assert report.already_imported is None
    assert (report.added, report.changed, report.unchanged) == (0, 0, 3)


def test_a_retroactive_termination_sends_a_paid_claim_back_as_co27(book: Book) -> None:
    _needs_samples()
    _import(book, X12 / "pyx12__834_deident_new_enroll.txt")  # M000001, medical from 2026-04-01
    receive_claims(book(), [claim("C1", "M000001", "99213", 15_000, date(2026, 5, 10))])
    adjudicate_waiting(book)
    with book() as uow:
        assert uow.claims.lines("C1")[0].plan_paid == 6_500
    term = MemberRecord(
        "term.834",
        7,
        "terminate",
        "M000001",
        "M000001",
        "subscriber",
        "DOE",
        "JOHN",
        eligibility_end=date(2026, 4, 30),
    )
    batch = EnrolmentBatch("term.834", "acme", date(2026, 6, 1), "T1", "2", (term,))
    report = import_enrolment(book(), [batch], [], "term.834", "sha-term", "acme", False, "ops", AT)
    assert (report.terminated, report.reprocess) == (1, ["C1"])
    assert _spans(book, "M000001") == [("medical", "EE", date(2026, 4, 1), date(2026, 4, 30))]
    adjudicate_waiting(book)
    with book() as uow:
        (line,) = uow.claims.lines("C1")
        assert (line.status, line.plan_paid, list(line.adjustments)) == (
            "denied",
            0,
            [("CO", "27", 15_000)],
        )
        assert uow.accumulators.value(("member", "M000001", "acme-ppo-2026", "oop_in")) == 0


def test_members_absent_from_a_census_are_terminated_only_for_a_full_file(
    book: Book, tmp_path: Path
) -> None:
    first = tmp_path / "census-1.csv"
    first.write_text(
        CENSUS_HEADER
        + "A1,A1,subscriber,ALPHA,ANN,1980-01-02,F,medical,EE,,2026-01-01,\n"
        + "B1,B1,subscriber,BETA,BOB,1979-03-04,M,medical,EE,,2026-01-01,\n"
    )
    assert _import(book, first).added == 2
    second = tmp_path / "census-2.csv"
    second.write_text(
        CENSUS_HEADER + "A1,A1,subscriber,ALPHA,ANN,1980-01-02,F,medical,EE,,2026-01-01,\n"
    )
    change_only = _import(book, second)
    assert (change_only.terminated, _spans(book, "B1")[0][3]) == (0, None)
    third = tmp_path / "census-3.csv"
    third.write_bytes(second.read_bytes() + b"\n")
    full = _import(book, third, full_file=True)
    assert (full.terminated, full.unchanged) == (1, 1)
    assert _spans(book, "B1") == [("medical", "EE", date(2026, 1, 1), date(2026, 7, 1))]


def test_a_bad_record_is_reported_with_its_line_and_the_rest_applied(
    book: Book, tmp_path: Path
) -> None:
    census = tmp_path / "census.csv"
    census.write_text(
        CENSUS_HEADER
        + "A1,A1,subscriber,ALPHA,ANN,1980-02-30,F,medical,EE,,2026-01-01,\n"
        + "B1,B1,subscriber,BETA,BOB,1979-03-04,M,medical,EE,,2026-01-01,\n"
    )
    report = _import(book, census)
    assert report.added == 1
    assert report.skipped == 1
    assert any(f.startswith(f"{census}:2: birth_date") for f in report.findings), report.findings
    with book() as uow:
        assert uow.members.get("A1") is None
        stored = uow.imports.find(hashlib.sha256(census.read_bytes()).hexdigest())
    assert stored is not None
    assert stored["report"]["findings"] == report.findings


def test_the_enroll_command_prints_the_report_and_refuses_nothing_twice(tmp_path: Path) -> None:
    _needs_samples()
    env = {"OPENASO_DATABASE_URL": f"sqlite:///{tmp_path}/cli.db", "OPENASO_USER": "ops"}
    path = str(X12 / "linuxforhealth__834_005010X220A1__enroll-employee-multiple-products.834")
    first = CliRunner().invoke(app, ["enroll", path, "--sponsor", "acme"], env=env)
    assert first.exit_code == 0, first.output
    assert "1 added, 0 changed" in first.output
    assert "HD03: VIS: vision is not administered" in first.output
    second = CliRunner().invoke(app, ["enroll", path, "--sponsor", "acme"], env=env)
    assert "already imported" in second.output
    assert "nothing changed" in second.output
    shown = CliRunner().invoke(app, ["members", "show", "123456789"], env=env)
    assert "medical" in shown.output
    assert "1996-06-01" in shown.output


SAMPLES_834 = sorted(X12.glob("*834*")) if X12.is_dir() else []


@pytest.mark.parametrize("path", SAMPLES_834, ids=lambda p: p.name)
def test_every_public_834_sample_imports_or_is_refused_with_a_reason(
    book: Book, path: Path
) -> None:
    report = _import(book, path)
    applied = (
        report.added + report.changed + report.terminated + report.reinstated + report.unchanged
    )
    assert applied or report.findings, f"{path.name}: nothing applied and no reason given"
    for finding in report.findings:
        assert finding.startswith(f"{path}:"), finding
    again = _import(book, path)
    assert again.already_imported is not None
