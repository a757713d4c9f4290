"""The EOB as a PDF (fpdf2, core Helvetica): the same content as the HTML page.

Core fonts draw latin-1 only, so every string goes through `latin1` on its way in.
"""

from collections.abc import Sequence
from datetime import UTC, datetime, time

from fpdf import FPDF, FontFace

from openaso.adapters.render.text import KIND, STATUS, dollars, latin1
from openaso.services.eob import Amounts, Eob

LINE_HEADINGS = (
    "Line / date / service",
    "Billed",
    "Reduced\nor denied",
    "Allowed",
    "Plan\npaid",
    "Copay",
    "Deductible",
    "Co-\ninsurance",
    "Not\ncovered",
    "You owe",
)
HEADINGS = FontFace(emphasis="BOLD", fill_color=(235, 235, 235))
BOLD = FontFace(emphasis="BOLD")


class _Document(FPDF):
    claim_id = ""

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", size=7)
        text = f"Explanation of Benefits, claim {self.claim_id} - page {self.page_no()}/{{nb}}"
        self.cell(0, 5, latin1(text), align="C")


def render_eob_pdf(eob: Eob, compress: bool = True) -> bytes:
    """The PDF; `compress=False` leaves its text readable in the file (tests search it)."""
    pdf = _Document(format="Letter")
    pdf.claim_id = eob.claim_id
    pdf.set_compression(compress)
    pdf.set_creation_date(datetime.combine(eob.produced, time(), UTC))  # same EOB, same bytes
    pdf.set_title(latin1(f"Explanation of Benefits - claim {eob.claim_id}"))
    pdf.set_margins(12, 12, 12)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_page()
    _heading(pdf, eob)
    _lines(pdf, eob)
    _why(pdf, eob)
    _standing(pdf, eob)
    _section(pdf, "Your right to appeal")
    for paragraph in eob.appeal_rights:
        _paragraph(pdf, paragraph)
    return bytes(pdf.output())


def _heading(pdf: FPDF, eob: Eob) -> None:
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 8, "Explanation of Benefits", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 10)
    pdf.cell(0, 6, "THIS IS NOT A BILL.", new_x="LMARGIN", new_y="NEXT")
    _paragraph(pdf, f"Produced {eob.produced}. It explains how your plan processed the claim.")
    _section(pdf, "Claim")
    patient = eob.patient + (f" ({eob.relationship})" if eob.relationship else "")
    facts = [("Claim number", eob.claim_id), ("Coverage", KIND.get(eob.kind, eob.kind))]
    facts += [("Patient", patient), ("Member ID", eob.member_id)]
    facts += [("Subscriber", eob.subscriber)] if eob.subscriber else []
    facts += [("Family", eob.family_id)] if eob.family_id else []
    facts += [
        ("Provider", f"{eob.provider}, {eob.network}"),
        ("Received", str(eob.received)),
        ("Status", STATUS.get(eob.status, eob.status)),
    ]
    for label, value in facts:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(32, 5, latin1(label))
        pdf.set_font("Helvetica", size=9)
        pdf.multi_cell(0, 5, latin1(value), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    totals = eob.totals
    _table(
        pdf,
        ("Amount billed", "Plan paid", "You may owe the provider"),
        [[dollars(totals.billed), dollars(totals.plan_paid), dollars(totals.member_owes)]],
        (1, 1, 1),
        ("RIGHT", "RIGHT", "RIGHT"),
        size=10,
    )


def _lines(pdf: FPDF, eob: Eob) -> None:
    _section(pdf, "What was billed, allowed and paid")
    rows = []
    for line in eob.lines:
        what = f"{line.number}  {line.service_date}\n{line.service}"
        rows.append([what + (f"\n{line.benefit}" if line.benefit else ""), *_amounts(line.amounts)])
    rows.append(["Total", *_amounts(eob.totals)])
    widths = (34, *[17.5] * 9)
    _table(pdf, LINE_HEADINGS, rows, widths, ("LEFT", *["RIGHT"] * 9), size=7.5, total=True)


def _amounts(amounts: Amounts) -> list[str]:
    return [
        dollars(a)
        for a in (
            amounts.billed,
            amounts.adjusted,
            amounts.allowed,
            amounts.plan_paid,
            amounts.copay,
            amounts.deductible,
            amounts.coinsurance,
            amounts.not_covered,
            amounts.member_owes,
        )
    ]


def _why(pdf: FPDF, eob: Eob) -> None:
    _section(pdf, "Why")
    for line in eob.lines:
        pdf.set_font("Helvetica", "B", 9)
        title = f"Line {line.number}: {line.service}"
        title += f" ({line.benefit})" if line.benefit else ""
        pdf.multi_cell(
            0, 5, latin1(f"{title} - {line.status}"), align="L", new_x="LMARGIN", new_y="NEXT"
        )
        for reason in line.reasons:
            amount = f" {dollars(reason.amount)}" if reason.amount is not None else ""
            _paragraph(pdf, f"{reason.code}{amount}: {reason.text}", bullet=True)
        for note in line.notes:
            _paragraph(pdf, note, bullet=True)
    for notice in eob.notices:
        _paragraph(pdf, notice)


def _standing(pdf: FPDF, eob: Eob) -> None:
    if not eob.standing:
        return
    _section(pdf, "Where you stand after this claim")
    for plan in eob.standing:
        pdf.set_font("Helvetica", "B", 9)
        heading = f"{plan.plan}, plan year {plan.plan_year} ({plan.network})"
        pdf.multi_cell(0, 5, latin1(heading), align="L", new_x="LMARGIN", new_y="NEXT")
        rows = [
            [r.accumulator, r.level, dollars(r.limit), dollars(r.met), dollars(r.remaining)]
            for r in plan.rows
        ]
        headings = ("Accumulator", "Level", "Limit", "Met", "Remaining")
        _table(pdf, headings, rows, (3, 2, 2, 2, 2), ("LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT"))


def _section(pdf: FPDF, title: str) -> None:
    pdf.ln(3)
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, latin1(title), border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str, bullet: bool = False) -> None:
    pdf.set_font("Helvetica", size=9)
    if bullet:
        pdf.cell(4, 4.5, "-")
    pdf.multi_cell(0, 4.5, latin1(text), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(0.8)


def _table(
    pdf: FPDF,
    headings: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float],
    align: Sequence[str],
    size: float = 9,
    total: bool = False,
) -> None:
    """A table with a heading row; with `total` its last row is in bold."""
    pdf.set_font("Helvetica", size=size)
    with pdf.table(
        col_widths=tuple(widths),
        text_align=tuple(align),
        headings_style=HEADINGS,
        line_height=size * 0.55,
        padding=1,
    ) as table:
        for number, cells in enumerate((headings, *rows)):
            bold = total and number == len(rows)
            row = table.row(style=BOLD if bold else None)
            for text in cells:
                row.cell(latin1(text))
    pdf.ln(2)
