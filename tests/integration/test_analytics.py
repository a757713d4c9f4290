"""Actuarial reports from stored paid claims: claims through adjudication and payment runs, then
the lag triangle, IBNR and experience read back, with the de-identification rules applied."""

import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.analytics.ibnr import Blending
from openaso.analytics.months import month_of
from openaso.core.money import format_cents
from openaso.entrypoints.cli import app
from openaso.services.access import AccessDeniedError, Principal, Role
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.analytics import (
    claimant_key,
    expected_claims_pepm,
    experience_report,
    lag_report,
)
from openaso.services.intake import receive_claims
from openaso.services.payments import pay_run, set_claims_float
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT, claim, open_book, subscriber

TPA = Principal("ops", Role.TPA_ADMIN)
HR = Principal("hr", Role.SPONSOR, frozenset({"acme"}))
OTHER = Principal("hr2", Role.SPONSOR, frozenset({"globex"}))
MEMBERS = [f"M{i:02d}" for i in range(1, 13)]
VISIT = 6_500  # 99213: fee $95 less the $30 copay
SECRET = b"acme-claimant-secret"


def _pay(new_uow: Callable[[], UnitOfWork], on: date) -> None:
    adjudicate_waiting(new_uow)
    pay_run(new_uow(), "acme", on, actor="test", at=AT)


@pytest.fixture
def book(database_url: str) -> Callable[[], UnitOfWork]:
    """12 employees; January visits paid in January (all) and February (three late ones),
    February visits paid in February, and one knee replacement for M01 in February."""
    new_uow = open_book(database_url, [subscriber(m) for m in MEMBERS])
    set_claims_float(new_uow(), "acme", 10_000_000_00, date(2026, 1, 1))
    jan, feb = date(2026, 1, 12), date(2026, 2, 9)
    receive_claims(new_uow(), [claim(f"J{m}", m, "99213", 15_000, jan) for m in MEMBERS])
    _pay(new_uow, date(2026, 1, 30))
    late = [claim(f"L{m}", m, "99213", 15_000, date(2026, 1, 20), feb) for m in MEMBERS[:3]]
    receive_claims(new_uow(), late + [claim(f"F{m}", m, "99213", 15_000, feb) for m in MEMBERS])
    receive_claims(new_uow(), [claim("K1", "M01", "27447", 4_000_000, feb)])
    _pay(new_uow, date(2026, 2, 27))
    return new_uow


def test_the_lag_triangle_puts_each_payment_in_its_incurred_month_and_lag(
    book: Callable[[], UnitOfWork],
) -> None:
    report = lag_report(book, TPA, "acme", date(2026, 2, 28))
    amounts = report.triangle.amounts.tolist()
    assert amounts[0] == [12 * VISIT, 3 * VISIT]
    assert amounts[1][0] > 12 * VISIT  # the visits and the knee replacement
    assert report.triangle.counts.tolist() == [[12, 3], [13, 0]]
    assert report.cell_members.tolist() == [[12, 3], [12, 0]]
    january, february = report.reserve.months
    assert (january.ibnr, january.member_months) == (0, 12)
    assert february.completion == pytest.approx(12 / 15)
    assert february.ibnr == round(february.paid * 15 / 12) - february.paid


def test_blending_projects_the_latest_month_at_the_given_pmpm(
    book: Callable[[], UnitOfWork],
) -> None:
    blended = lag_report(book, TPA, "acme", date(2026, 2, 28), Blending(months=1, pmpm=50_000))
    february = blended.reserve.months[-1]
    assert february.method == "blended"
    assert february.ibnr == round((1 - 12 / 15) * 50_000 * 12)


def test_a_sponsor_sees_its_triangle_when_every_month_has_ten_members_but_not_anothers(
    book: Callable[[], UnitOfWork],
) -> None:
    theirs = lag_report(book, HR, "acme", date(2026, 2, 28))
    ours = lag_report(book, TPA, "acme", date(2026, 2, 28))
    assert theirs.triangle.amounts.tolist() == ours.triangle.amounts.tolist()
    assert theirs.reserve == ours.reserve
    with pytest.raises(AccessDeniedError):
        lag_report(book, OTHER, "acme", date(2026, 2, 28))


def test_a_de_identified_lag_report_of_fewer_than_ten_members_is_refused(
    tmp_path: Path,
) -> None:
    small = open_book(f"sqlite:///{tmp_path}/small.db", [subscriber(m) for m in MEMBERS[:4]])
    set_claims_float(small(), "acme", 1_000_000_00, date(2026, 1, 1))
    receive_claims(
        small(), [claim(f"J{m}", m, "99213", 15_000, date(2026, 1, 5)) for m in MEMBERS[:4]]
    )
    _pay(small, date(2026, 1, 30))
    assert lag_report(small, TPA, "acme", date(2026, 1, 31)).reserve.paid == 4 * VISIT
    with pytest.raises(ValueError, match="4 members enrolled in 2026-01"):
        lag_report(small, HR, "acme", date(2026, 1, 31))


def test_experience_gives_pmpm_by_month_and_keys_large_claimants_for_the_tpa(
    book: Callable[[], UnitOfWork],
) -> None:
    months = (month_of(date(2026, 1, 1)), month_of(date(2026, 2, 1)))
    report = experience_report(
        book, TPA, "acme", months, SECRET, large_claim=5_000_00, budget_pepm={"EE": 500_00}
    )
    january, february = report.experience.by_month
    assert (january.paid, january.member_months, january.pmpm) == (15 * VISIT, 12, 8_125)
    assert (february.paid or 0) > 12 * VISIT
    (knee,) = report.experience.large_claimants
    assert knee.key == claimant_key(SECRET, "M01")
    assert "M01" not in knee.key
    assert dict(knee.by_category)["surgery"] > 5_000_00
    assert [r.budget for r in report.experience.loss_ratio] == [12 * 500_00, 12 * 500_00]
    surgery = {c.label: c for c in report.experience.by_category}["surgery"]
    assert surgery.members == 1


def test_a_sponsor_sees_experience_without_claimants_or_cells_under_ten_members(
    book: Callable[[], UnitOfWork],
) -> None:
    months = (month_of(date(2026, 1, 1)), month_of(date(2026, 2, 1)))
    report = experience_report(book, HR, "acme", months, SECRET, large_claim=5_000_00)
    assert report.suppressed
    assert report.experience.large_claimants == ()
    assert (report.large_claimants, report.large_claimant_paid) == (1, None)
    by_category = {c.label: c for c in report.experience.by_category}
    assert by_category["surgery"].paid is None
    # withheld too, or the total less the office visits would give the one surgery away
    assert by_category["office_visit"].paid is None
    assert report.experience.total.paid is not None
    assert report.experience.by_month[0].pmpm == 8_125


def test_the_report_commands_write_csv_and_charts_from_the_database(
    book: Callable[[], UnitOfWork],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    monkeypatch.setenv("OPENASO_CLAIMANT_SECRET", "s3cret")
    lag_csv, lag_svg = tmp_path / "lag.csv", tmp_path / "lag.svg"
    result = CliRunner().invoke(
        app,
        ["report", "lag", "--sponsor", "acme", "--valuation", "2026-02",
         "--csv", str(lag_csv), "--chart", str(lag_svg), "--role", "sponsor"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = lag_csv.read_text()
    assert "2026-01,780.00,195.00\n" in text.replace("\r\n", "\n")
    assert "0,1.2500,0.8000" in text  # 15 / 12 from lag 0 to lag 1
    assert ET.parse(lag_svg).getroot().tag.endswith("svg")
    exp_csv = tmp_path / "exp.csv"
    result = CliRunner().invoke(
        app,
        ["report", "experience", "--sponsor", "acme", "--start", "2026-01", "--end", "2026-02",
         "--budget", "EE=500", "--csv", str(exp_csv), "--chart", str(tmp_path / "exp.svg")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Loss ratio against budget" in exp_csv.read_text()
    assert ET.parse(tmp_path / "exp.svg").getroot().tag.endswith("svg")


def test_expected_claims_come_from_experience_capped_at_the_specific_deductible_and_trended(
    book: Callable[[], UnitOfWork],
) -> None:
    months = (month_of(date(2026, 1, 1)), month_of(date(2026, 2, 1)))
    # M01 capped at $10,000; M02–M03 three visits; M04–M12 two; over 24 employee months
    expected = (10_000_00 + 2 * 3 * VISIT + 9 * 2 * VISIT) / 24
    assert expected_claims_pepm(book, TPA, "acme", months, 10_000_00) == {"EE": round(expected)}
    trended = expected_claims_pepm(book, TPA, "acme", months, 10_000_00, trend=0.10)
    assert trended == {"EE": round(expected * 1.10)}
    assert expected_claims_pepm(book, HR, "acme", months, 10_000_00) == {"EE": round(expected)}


def test_compare_takes_the_expected_claims_from_the_sponsors_experience(
    book: Callable[[], UnitOfWork],
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    assumptions = tmp_path / "rates.yaml"
    assumptions.write_text(
        "employees: {EE: 12}\nspecific_deductible: 10000\n"
        "tiers:\n  EE: {expected_claims: 1, admin: 40, specific_premium: 85}\n"
    )
    out = tmp_path / "compare.csv"
    result = CliRunner().invoke(
        app,
        ["report", "compare", "--assumptions", str(assumptions), "--sponsor", "acme",
         "--start", "2026-01", "--end", "2026-02", "--csv", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pepm = round((10_000_00 + 2 * 3 * VISIT + 9 * 2 * VISIT) / 24)
    table = {row.split(",")[0]: row.split(",")[1] for row in out.read_text().splitlines()[1:]}
    assert table["expected claims"] == format_cents(pepm * 12 * 12)
