"""The 835 writer: balanced by construction, refused when not, and accepted by pyx12."""

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.adapters.x12.ack_999 import Party
from openaso.adapters.x12.remit_835 import (
    Address,
    Recovery,
    RemitClaim,
    RemitLine,
    Remittance,
    RemittanceError,
    write_835,
)
from openaso.adapters.x12.segments import tokenize_text
from openaso.core.money import parse_amount

X12VALID = Path(sys.executable).parent / "x12valid"
ADDRESS = Address("1 MAIN ST", "HARRISBURG", "PA", "17101")
OURS, THEIRS = Party("ZZ", "OPENASO"), Party("ZZ", "1234567893")
WHEN = datetime(2026, 4, 15, 9, 30)


def line(charge: int, paid: int, *adjustments: tuple[str, str, int], allowed: int = 0) -> RemitLine:
    return RemitLine("99213", (), charge, paid, allowed, 1, date(2026, 3, 10), adjustments)


def claim(number: str, status: Literal["1", "4"], *lines: RemitLine) -> RemitClaim:
    return RemitClaim(
        f"PCN-{number}",
        status,
        number,
        ("SMITH", "JOHN"),
        "S100",
        date(2026, 4, 1),
        lines,
    )


def remittance(
    *claims: RemitClaim, recoveries: tuple[Recovery, ...] = (), **kw: object
) -> Remittance:
    values: dict[str, object] = {
        "payer_name": "ACME HEALTH PLAN",
        "payer_id": "1123456789",
        "payer_address": ADDRESS,
        "payer_contact": ("EDI DESK", "5555550100"),
        "payee_name": "BEN KILDARE SERVICE",
        "payee_npi": "1234567893",
        "payee_tin": "587654321",
        "payee_address": ADDRESS,
        "method": "CHK",
        "number": "100045",
        "paid_on": date(2026, 4, 15),
        "claims": claims,
        "recoveries": recoveries,
    }
    values.update(kw)
    return Remittance(**values)  # type: ignore[arg-type]


PAID = claim(
    "1-1", "1", line(15_000, 6_500, ("CO", "45", 5_500), ("PR", "3", 3_000), allowed=9_500)
)
DENIED = claim("1-2", "4", line(20_000, 0, ("CO", "31", 20_000)))


def pyx12_verdict(tmp_path: Path, text: str) -> str:
    """x12valid's verdict line for the file (its exit status is not reliable)."""
    path = tmp_path / "remit.835"
    path.write_text(text)
    run = subprocess.run(
        [str(X12VALID), str(path)], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    verdicts = [x for x in (run.stdout + run.stderr).splitlines() if x.startswith(f"{path}: ")]
    assert len(verdicts) == 1, run.stdout + run.stderr
    return verdicts[0].removeprefix(f"{path}: ")


@pytest.mark.parametrize(
    "remit",
    [
        remittance(PAID, DENIED, recoveries=(Recovery("0-9", 1_000),)),
        remittance(DENIED, payee_tin=None, payee_address=None),  # denials only: BPR*H
        remittance(PAID, method="ACH", bank=("011000015", "12345", "021000021", "67890")),
    ],
    ids=["cheque-with-recovery", "denials-only", "eft"],
)
def test_pyx12_accepts_what_we_write(tmp_path: Path, remit: Remittance) -> None:
    assert (
        pyx12_verdict(tmp_path, write_835(remit, ours=OURS, theirs=THEIRS, control=12, when=WHEN))
        == "OK"
    )


def test_pyx12_is_strict_enough_to_trust(tmp_path: Path) -> None:
    """Its verdict is read right: a missing payer contact (PER) or a 30 February fails."""
    text = write_835(remittance(PAID), ours=OURS, theirs=THEIRS, control=12, when=WHEN)
    no_contact = "".join(x + "~\n" for x in text.split("~\n") if x and not x.startswith("PER*"))
    assert pyx12_verdict(tmp_path, no_contact) == "Failure"
    assert (
        pyx12_verdict(tmp_path, text.replace("DTM*472*20260310", "DTM*472*20260230")) == "Failure"
    )


def test_the_payment_is_the_claims_paid_less_the_recoveries() -> None:
    text = write_835(
        remittance(PAID, DENIED, recoveries=(Recovery("0-9", 1_000),)),
        ours=OURS, theirs=THEIRS, control=12, when=WHEN,
    )  # fmt: skip
    segments = {s.tag: s for s in tokenize_text(text, "835")}
    assert segments["BPR"].get(1) == "C"
    assert segments["BPR"].get(2) == "55.00"
    assert segments["PLB"].elements[3:] == ["WO:0-9", "10.00"]
    assert "CLP*PCN-1-2*4*200.00*0.00*0*12*1-2~" in text


def test_a_run_of_denials_is_a_notification_of_nothing_paid() -> None:
    text = write_835(remittance(DENIED), ours=OURS, theirs=THEIRS, control=12, when=WHEN)
    assert "BPR*H*0*C*NON************20260415~" in text


@pytest.mark.parametrize(
    ("remit", "message"),
    [
        (
            remittance(claim("1-3", "1", line(10_000, 6_000, ("CO", "45", 3_000)))),
            "claim 1-3 line 1: charge 100.00 − paid 60.00 ≠ adjustments 30.00",
        ),
        (
            remittance(DENIED, recoveries=(Recovery("0-9", 100),)),
            "recoveries exceed the claims paid",
        ),
        (remittance(PAID, method="ACH"), "an EFT needs both bank accounts"),
        (
            remittance(claim("1-4", "4", line(10_000, 100, ("CO", "45", 9_900)))),
            "claim 1-4 is denied but pays",
        ),
    ],
)
def test_an_unbalanced_remittance_is_refused(remit: Remittance, message: str) -> None:
    with pytest.raises(RemittanceError, match=message.replace("(", r"\(").replace(")", r"\)")):
        write_835(remit, ours=OURS, theirs=THEIRS, control=12, when=WHEN)


amounts = st.integers(0, 500_000)


@st.composite
def balanced_lines(draw: st.DrawFn) -> RemitLine:
    charge = draw(st.integers(1, 1_000_000))
    paid = draw(st.integers(0, charge))
    rest = charge - paid
    patient = draw(st.integers(0, rest))
    adjustments = [("CO", "45", rest - patient), ("PR", "2", patient)]
    return line(charge, paid, *[a for a in adjustments if a[2]], allowed=paid + patient)


@settings(max_examples=200)
@given(st.lists(st.lists(balanced_lines(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_every_claim_and_line_balances_in_the_written_file(claims: list[list[RemitLine]]) -> None:
    remit = remittance(*(claim(f"1-{n}", "1", *lines) for n, lines in enumerate(claims, start=1)))
    text = write_835(remit, ours=OURS, theirs=THEIRS, control=12, when=WHEN)
    segments = list(tokenize_text(text, "835"))
    total_paid = 0
    for index, segment in enumerate(segments):
        if segment.tag == "CLP":
            charge, paid = parse_amount(segment.get(3)), parse_amount(segment.get(4))
            total_paid += paid
            cas = 0
            for inner in segments[index + 1 :]:
                if inner.tag in ("CLP", "SE"):
                    break
                if inner.tag == "CAS":
                    cas += sum(parse_amount(x) for x in inner.elements[3::2])
            assert charge - paid == cas
        if segment.tag == "SVC":
            charge, paid = parse_amount(segment.get(2)), parse_amount(segment.get(3))
            cas = 0
            for inner in segments[index + 1 :]:
                if inner.tag in ("SVC", "CLP", "SE", "PLB"):
                    break
                if inner.tag == "CAS":
                    cas += sum(parse_amount(x) for x in inner.elements[3::2])
            assert charge - paid == cas
    bpr = next(s for s in segments if s.tag == "BPR")
    assert parse_amount(bpr.get(2)) == total_paid
