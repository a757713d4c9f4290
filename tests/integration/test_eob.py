"""The member's EOB from a stored adjudication: amounts as decided, reasons, standing, audit."""

import html
import re
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from typer.testing import CliRunner

from openaso.adapters.db.tables import audit_log
from openaso.adapters.render.eob_html import render_eob_html
from openaso.adapters.render.eob_pdf import render_eob_pdf
from openaso.adapters.render.text import dollars
from openaso.core.claims import Claim, ServiceLine
from openaso.core.members import Member
from openaso.entrypoints.cli import app
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.eob import explain, read_eob
from openaso.services.intake import receive_claims
from openaso.services.lifecycle import adjust_claim, void_claim
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT, claim, open_book
from tests.unit.test_eob_render import pdf_text

Book = Callable[[], UnitOfWork]
DAY = date(2026, 3, 2)
NPI = "1234567893"
SUBSCRIBER = Member("E1", "F1", "subscriber", "FAM", "acme")
SPOUSE = Member("E1-02", "F1", "spouse", "FAM", "acme")


@pytest.fixture
def book(database_url: str) -> Book:
    """A family on acme-ppo-2026: the subscriber's surgery, then the spouse's claim C1 (an
    office visit with a copay, surgery through deductible and coinsurance), then another."""
    new_uow = open_book(database_url, [SUBSCRIBER, SPOUSE])
    with new_uow() as uow:
        uow.members.save(SUBSCRIBER, {"first_name": "John", "last_name": "Doe"})
        uow.members.save(SPOUSE, {"first_name": "Zoë", "last_name": "O'Brien"})
        uow.providers.upsert(NPI, None, "Lakeside Clinic", "in")
        uow.commit()
    spouse_lines = (ServiceLine(1, "99213", DAY, 15_000), ServiceLine(2, "29881", DAY, 1_200_000))
    receive_claims(
        new_uow(),
        [
            claim("C0", "E1", "29881", 600_000, DAY),
            Claim("C1", "E1-02", date(2026, 3, 10), "in", NPI, spouse_lines),
            claim("C2", "E1", "99213", 15_000, date(2026, 3, 20)),
        ],
    )
    adjudicate_waiting(new_uow)
    return new_uow


class _Cells(HTMLParser):
    """The amount cells of the lines table: {line: {field: text}}."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: dict[str, dict[str, str]] = {}
        self._line = ""
        self._field: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "tr" and found.get("data-line"):
            self._line = str(found["data-line"])
        if tag == "td" and found.get("data-field"):
            self._field = found["data-field"]

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self.rows.setdefault(self._line, {})[self._field] = data.strip()
            self._field = None


def test_the_eob_shows_the_stored_decision_and_explains_every_adjustment(book: Book) -> None:
    with book() as uow:
        stored = uow.claims.lines("C1")
    eob = read_eob(book(), "C1", "examiner1", AT, ["c1.html"])
    page = render_eob_html(eob)
    parser = _Cells()
    parser.feed(page)
    text = html.unescape(re.sub(r"<[^>]+>", "", page))  # what a reader sees
    pdf = render_eob_pdf(eob, compress=False)
    drawn = "".join(pdf_text(pdf).split())  # lines wrap at spaces: compare without them
    assert pdf.startswith(b"%PDF-")
    codes = set()
    for line in stored:
        cells = parser.rows[str(line.number)]
        member = sum(a for g, _, a in line.adjustments if g == "PR")
        other = sum(a for g, _, a in line.adjustments if g != "PR")
        by_code = {f"{g}-{c}": a for g, c, a in line.adjustments}
        assert cells["billed"] == dollars(line.plan_paid + member + other)  # billed balances
        assert cells["allowed"] == dollars(line.allowed)
        assert cells["plan_paid"] == dollars(line.plan_paid)
        assert cells["adjusted"] == dollars(other)
        assert cells["member_owes"] == dollars(member)
        assert cells["copay"] == dollars(by_code.get("PR-3", 0))
        assert cells["deductible"] == dollars(by_code.get("PR-1", 0))
        assert cells["coinsurance"] == dollars(by_code.get("PR-2", 0))
        for group, carc, amount in line.adjustments:
            codes.add(f"{group}-{carc}")
            sentence = explain(group, carc, "in")
            assert f"{group}-{carc} {dollars(amount)}: {sentence}" in text
            assert "".join(sentence.split()) in drawn
        for value in cells.values():
            assert value in pdf_text(pdf)
    assert {"CO-45", "PR-1", "PR-2", "PR-3"} <= codes
    # 99213: 95 allowed, copay 30. 29881: 5,000 allowed; the family deductible has 1,500
    # left after C0, then 20% of 3,500.
    assert parser.rows["total"]["member_owes"] == dollars(3_000 + 150_000 + 70_000)
    assert parser.rows["total"]["billed"] == "$12,150.00"


def test_the_standing_counts_the_family_up_to_this_claim_and_not_after(book: Book) -> None:
    eob = read_eob(book(), "C1", "examiner1", AT, [])
    (plan,) = eob.standing
    rows = {(r.accumulator, r.level): (r.met, r.remaining) for r in plan.rows}
    assert rows[("Deductible", "Individual")] == (150_000, 0)
    assert rows[("Deductible", "Family")] == (300_000, 0)
    assert rows[("Out-of-pocket maximum", "Individual")] == (223_000, 277_000)
    # C0 put 2,200 on the family; C2 (received after C1) is not counted.
    assert rows[("Out-of-pocket maximum", "Family")] == (443_000, 557_000)
    assert (eob.patient, eob.relationship, eob.subscriber) == ("Zoë O'Brien", "spouse", "John Doe")
    assert eob.provider == f"Lakeside Clinic (NPI {NPI})"


def test_the_command_writes_html_and_pdf_and_audits_the_read(
    book: Book, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    monkeypatch.setenv("OPENASO_USER", "examiner1")
    page, pdf = tmp_path / "c1.html", tmp_path / "c1.pdf"
    result = CliRunner().invoke(
        app, ["claims", "eob", "C1", "--html", str(page), "--pdf", str(pdf)]
    )
    assert result.exit_code == 0, result.output
    assert "Explanation of Benefits" in page.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        (entry,) = conn.execute(select(audit_log).where(audit_log.c.action == "eob read")).all()
    engine.dispose()
    assert (entry.actor, entry.entity, entry.entity_id) == ("examiner1", "claim", "C1")
    assert entry.detail == {"files": [str(page), str(pdf)]}


def test_claims_without_an_eob_are_refused_with_the_reason(
    book: Book, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receive_claims(book(), [claim("P1", "E1", "72148", 180_000, DAY)])  # no fee: pends
    adjudicate_waiting(book)
    receive_claims(book(), [claim("R1", "E1", "99213", 15_000, date(2026, 4, 1))])
    void_claim(book(), "C2", "sent in error", "examiner1", AT)
    adjust_claim(book(), "C0", {1: {"billed": 550_000}}, "corrected charge", "examiner1", AT)
    monkeypatch.setenv("OPENASO_DATABASE_URL", database_url)
    out = str(tmp_path / "x.html")
    expected = {
        "NOPE": "no claim NOPE on file",
        "P1": "claim P1 is pended for review",
        "R1": "claim R1 is not decided yet",
        "C2": "claim C2 was voided",
        "C0": "claim C0 was replaced by C0-A1: see the EOB of C0-A1",
    }
    for claim_id, message in expected.items():
        result = CliRunner().invoke(app, ["claims", "eob", claim_id, "--html", out])
        assert result.exit_code == 1, claim_id
        assert message in result.output
    result = CliRunner().invoke(app, ["claims", "eob", "C1"])
    assert result.exit_code == 1
    assert "--html FILE, --pdf FILE or both" in result.output
    assert not (tmp_path / "x.html").exists()
