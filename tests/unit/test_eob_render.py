"""HTML and PDF from one EOB data model: escaped, self-contained, latin-1 safe, same content."""

import re
from datetime import date

import pytest

from openaso.adapters.render.eob_html import render_eob_html
from openaso.adapters.render.eob_pdf import render_eob_pdf
from openaso.adapters.render.text import dollars, latin1
from openaso.services.eob import (
    APPEAL_RIGHTS,
    Amounts,
    Eob,
    EobLine,
    PlanStanding,
    Reason,
    Standing,
)

AMOUNTS = Amounts(15_000, 5_500, 9_500, 6_500, 3_000, 0, 0, 0)


def _eob(patient: str = "Ann Lee") -> Eob:
    line = EobLine(
        1,
        date(2026, 3, 2),
        "99213",
        "office visit",
        "approved",
        AMOUNTS,
        (Reason("CO-45", 5_500, "More than allowed."), Reason("PR-3", 3_000, "Your copay.")),
        ("The deductible does not apply to this benefit.",),
    )
    standing = PlanStanding(
        "Acme PPO",
        "2026-01-01 to 2026-12-31",
        "in-network",
        (Standing("Out-of-pocket maximum", "Individual", 500_000, 3_000),),
    )
    return Eob(
        claim_id="C1",
        kind="medical",
        status="approved",
        received=date(2026, 3, 10),
        produced=date(2026, 6, 1),
        patient=patient,
        member_id="E1",
        relationship="subscriber",
        subscriber=patient,
        family_id="F1",
        provider="Lakeside Clinic (NPI 1234567893)",
        network="in-network",
        lines=(line,),
        totals=AMOUNTS,
        standing=(standing,),
        notices=(),
        appeal_rights=APPEAL_RIGHTS,
    )


def pdf_text(pdf: bytes) -> str:
    """The text an uncompressed fpdf2 PDF draws, in order (core fonts: latin-1 strings)."""
    content = pdf.decode("latin-1")
    shown = re.findall(r"\(((?:\\.|[^\\)])*)\) Tj", content)
    return " ".join(re.sub(r"\\(.)", r"\1", s) for s in shown)


@pytest.mark.parametrize(
    ("cents", "text"),
    [(0, "$0.00"), (5, "$0.05"), (123_456, "$1,234.56"), (100_000_000, "$1,000,000.00")],
)
def test_amounts_print_as_dollars(cents: int, text: str) -> None:
    assert dollars(cents) == text
    assert dollars(-cents) == (f"-{text}" if cents else text)


def test_the_html_escapes_what_came_from_data() -> None:
    html = render_eob_html(_eob(patient="<script>alert(1)</script>"))
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_html_needs_nothing_from_elsewhere_and_aligns_amounts_right() -> None:
    html = render_eob_html(_eob())
    for outside in ("src=", "href=", "<link", "@import", "url("):
        assert outside not in html
    assert ".amount { text-align: right;" in html
    assert '<td class="amount" data-field="member_owes">$30.00</td>' in html
    assert "@media print" in html


def test_the_pdf_draws_the_same_content_as_the_html() -> None:
    eob = _eob()
    html, text = render_eob_html(eob), pdf_text(render_eob_pdf(eob, compress=False))
    for expected in ("99213", "office visit", "$150.00", "$55.00", "$30.00", "Your copay."):
        assert expected in html
        assert expected in text
    assert "Out-of-pocket maximum" in text
    assert "$4,970.00" in text  # remaining


def test_the_pdf_is_the_same_bytes_for_the_same_eob() -> None:
    pdf = render_eob_pdf(_eob())
    assert pdf.startswith(b"%PDF-")
    assert pdf == render_eob_pdf(_eob())


def test_text_outside_latin_1_is_spelled_for_the_core_fonts() -> None:
    assert latin1("Zoë “Z” O’Brien – Łukasz Dvořák 李") == 'Zoë "Z" O\'Brien - Lukasz Dvorák ?'
    text = pdf_text(render_eob_pdf(_eob(patient="Łukasz O’Brien"), compress=False))
    assert "Lukasz O'Brien" in text
