"""837 intake through the service: claims stored, 999/TA1 kept, re-sent files, 7/8 frequencies.

Amounts are from acme-ppo-2026 (tests/scenarios/public/plans): 99213 has a fee of $95.00 and
is an office visit with a $30 copay, no deductible, no coinsurance in network.
"""

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from openaso.adapters.x12.ack_999 import Party
from openaso.adapters.x12.claims_837 import read_837
from openaso.core.members import Member
from openaso.entrypoints.cli import app
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.claims_837 import FileIntake, intake_837
from openaso.services.ports import UnitOfWork
from tests.integration.books import AT, open_book

OURS = Party("ZZ", "OPENASO")
NPI, OTHER_NPI = "1234567893", "1003000126"


def family() -> list[Member]:
    return [
        Member("S100", "S100", "subscriber", "ES", "acme"),
        Member("S100-02", "S100", "spouse", "ES", "acme"),
    ]


def names(new_uow: Callable[[], UnitOfWork]) -> None:
    """The names and birth dates the 834 would have given (the book has none)."""
    with new_uow() as uow:
        for member, last, first, born in [
            (family()[0], "SMITH", "JOHN", date(1980, 5, 1)),
            (family()[1], "SMITH", "JANE", date(1982, 2, 3)),
        ]:
            uow.members.save(member, {"last_name": last, "first_name": first, "birth_date": born})
        uow.providers.upsert(NPI, "587654321", "BEN KILDARE SERVICE", "in")
        uow.commit()


def envelope(sets: list[list[str]], control: int = 905, iea: int | None = None) -> str:
    """One ISA/GS around `sets`, each a list of segments from BHT to the last claim segment."""
    out = [
        f"ISA*00*{' ' * 10}*00*{' ' * 10}*ZZ*CLEARINGHOUSE  *ZZ*OPENASO        *260401*1200*^*"
        f"00501*{control:09d}*0*P*:",
        "GS*HC*CLEARHOUSE*OPENASO*20260401*1200*7*X*005010X222A1",
    ]
    for number, body in enumerate(sets, start=1):
        segments = [f"ST*837*{number:04d}*005010X222A1", *body]
        out += [*segments, f"SE*{len(segments) + 1}*{number:04d}"]
    out += [f"GE*{len(sets)}*7", f"IEA*1*{iea if iea is not None else control:09d}"]
    return "".join(segment + "~\n" for segment in out)


def header(npi: str = NPI) -> list[str]:
    return [
        "BHT*0019*00*B1*20260401*1200*CH",
        "NM1*41*2*CLEARING HOUSE*****46*CH1",
        "PER*IC*DESK*TE*5555550100",
        "NM1*40*2*OPENASO*****46*OPENASO",
        "HL*1**20*1",
        f"NM1*85*2*BEN KILDARE SERVICE*****XX*{npi}",
        "N3*234 SEAWAY ST",
        "N4*MIAMI*FL*331110000",
        "REF*EI*587654321",
    ]


def subscriber_claim(pcn: str, billed: str, frequency: str = "1", ref: str = "") -> list[str]:
    return [
        "HL*2*1*22*0",
        "SBR*P*18*GRP1******CI",
        "NM1*IL*1*SMITH*JOHN****MI*S100",
        "DMG*D8*19800501*M",
        "NM1*PR*2*OPENASO PLAN*****PI*OPENASO",
        f"CLM*{pcn}*{billed}***11:B:{frequency}*Y*A*Y*Y",
        *([f"REF*F8*{ref}"] if ref else []),
        "HI*ABK:J069",
        "LX*1",
        f"SV1*HC:99213*{billed}*UN*1***1",
        "DTP*472*D8*20260310",
    ]


def dependent_claim(pcn: str, first: str = "JANE", born: str = "19820203") -> list[str]:
    return [
        "HL*3*1*22*1",
        "SBR*P**GRP1******CI",
        "NM1*IL*1*SMITH*JOHN****MI*S100",
        "NM1*PR*2*OPENASO PLAN*****PI*OPENASO",
        "HL*4*3*23*0",
        "PAT*01",
        f"NM1*QC*1*SMITH*{first}",
        f"DMG*D8*{born}*F",
        f"CLM*{pcn}*120.00***11:B:1*Y*A*Y*Y",
        "HI*ABK:R69*ABF:Z0000",
        "LX*1",
        "SV1*HC:99213*120.00*UN*1***1",
        "DTP*472*D8*20260311",
    ]


def receive(new_uow: Callable[[], UnitOfWork], path: Path, text: str) -> FileIntake:
    path.write_text(text)
    return intake_837(new_uow(), path, ours=OURS, actor="clerk", at=AT)


def line_amounts(
    uow: UnitOfWork, claim_id: str
) -> list[tuple[int, int, list[tuple[str, str, int]]]]:
    return [
        (line.allowed, line.plan_paid, [tuple(a) for a in line.adjustments])  # type: ignore[misc]
        for line in uow.claims.lines(claim_id)
    ]


def test_claims_are_stored_with_their_origin_and_decided(database_url: str, tmp_path: Path) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    body = header() + subscriber_claim("PCN-A", "150.00") + dependent_claim("PCN-B")
    result = receive(new_uow, tmp_path / "in.837", envelope([body]))
    assert (result.outcome, result.stored, result.unmatched) == ("accepted", ["1-1", "1-2"], [])
    [ack] = result.acknowledgments
    assert (ack.kind, ack.status, ack.group) == ("999", "A", "7")
    assert "AK9*A*1*1*1~" in ack.content
    assert adjudicate_waiting(new_uow).claims == 2
    with new_uow() as uow:
        # $150 billed, $95 allowed (CO-45 $55), $30 copay (PR-3), plan pays $65.
        assert line_amounts(uow, "1-1") == [
            (9_500, 6_500, [("CO", "45", 5_500), ("PR", "3", 3_000)])
        ]
        # The spouse, found by name and birth date in S100's family: $120 billed, CO-45 $25.
        assert line_amounts(uow, "1-2") == [
            (9_500, 6_500, [("CO", "45", 2_500), ("PR", "3", 3_000)])
        ]
        header_b = uow.claims.header("1-2")
        assert header_b is not None
        assert header_b.member_id == "S100-02"
        origin = uow.claims.origin(header_b.seq)
        assert (origin.patient_control, origin.diagnoses) == ("PCN-B", ("R69", "Z0000"))
        assert origin.billing_npi == NPI
        assert origin.source_file == result.file_id
        assert [a["kind"] for a in uow.x12.acknowledgments(result.file_id or 0)] == ["999"]


def test_a_file_sent_again_stores_nothing(database_url: str, tmp_path: Path) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    text = envelope([header() + subscriber_claim("PCN-A", "150.00")])
    first = receive(new_uow, tmp_path / "a.837", text)
    again = receive(new_uow, tmp_path / "a-again.837", text)
    assert first.stored == ["1-1"]
    assert again.outcome == "already received"
    assert again.stored == []
    assert again.earlier is not None
    assert again.earlier["id"] == first.file_id
    with new_uow() as uow:
        assert len(uow.x12.recent()) == 1


def test_a_bad_set_is_rejected_whole_and_the_others_go_through(
    database_url: str, tmp_path: Path
) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    good = header() + subscriber_claim("PCN-A", "150.00")
    bad = header() + subscriber_claim("PCN-X", "99.00")
    bad[bad.index("SV1*HC:99213*99.00*UN*1***1")] = "SV1*HC:99213*98.00*UN*1***1"  # CLM02 ≠ lines
    result = receive(new_uow, tmp_path / "mixed.837", envelope([good, bad]))
    assert (result.outcome, result.stored) == ("partial", ["1-1"])
    assert (result.sets_accepted, result.sets_rejected) == (1, 1)
    [ack] = result.acknowledgments
    assert ack.status == "P"
    assert "AK2*837*0002*005010X222A1~\nIK3*CLM*" in ack.content
    assert "IK5*R*5~" in ack.content
    assert any("CLM02" in str(problem) for problem in result.problems)


def test_a_broken_envelope_gets_a_ta1_and_keeps_nothing(database_url: str, tmp_path: Path) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    text = envelope([header() + subscriber_claim("PCN-A", "150.00")], iea=906)  # IEA02 ≠ ISA13
    result = receive(new_uow, tmp_path / "broken.837", text)
    assert (result.outcome, result.stored) == ("rejected", [])
    assert [(a.kind, a.status) for a in result.acknowledgments] == [("TA1", "R")]
    assert "TA1*000000905*260401*1200*R*001~" in result.acknowledgments[0].content
    with new_uow() as uow:
        assert uow.claims.header("1-1") is None
    # Nothing was stored, so the same bytes are read again rather than called a repeat.
    assert receive(new_uow, tmp_path / "broken.837", text).earlier is None


def test_replacement_and_void_act_on_the_claims_they_name(
    database_url: str, tmp_path: Path
) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    first = header() + subscriber_claim("PCN-A", "150.00") + dependent_claim("PCN-B")
    receive(new_uow, tmp_path / "first.837", envelope([first]))
    adjudicate_waiting(new_uow)
    void = dependent_claim("PCN-B")
    void[void.index("CLM*PCN-B*120.00***11:B:1*Y*A*Y*Y")] = "CLM*PCN-B*120.00***11:B:8*Y*A*Y*Y"
    void.insert(9, "REF*F8*1-2")
    second = header() + subscriber_claim("PCN-A", "200.00", "7", "1-1") + void
    result = receive(new_uow, tmp_path / "second.837", envelope([second], control=906))
    assert result.problems == []
    assert (result.replaced, result.voided) == ([("1-1", "2-1")], ["1-2"])
    adjudicate_waiting(new_uow)
    with new_uow() as uow:
        statuses = {i: uow.claims.status_of(i) for i in ("1-1", "1-2", "2-1")}
        assert statuses == {"1-1": "replaced", "1-2": "voided", "2-1": "approved"}
        # $200 billed, $95 allowed (CO-45 $105), $30 copay, plan pays $65.
        assert line_amounts(uow, "2-1") == [
            (9_500, 6_500, [("CO", "45", 10_500), ("PR", "3", 3_000)])
        ]
        replacement = uow.claims.header("2-1")
        original = uow.claims.header("1-1")
        assert replacement is not None
        assert original is not None
        assert (replacement.position, replacement.replaces) == (original.position, "1-1")


@pytest.mark.parametrize(
    ("ref", "npi", "expected"),
    [
        ("9-9", NPI, "no claim 9-9 on file"),
        ("1-1", OTHER_NPI, f"claim 1-1 came from billing provider {NPI}, not {OTHER_NPI}"),
    ],
)
def test_a_replacement_that_cannot_apply_is_reported(
    database_url: str, tmp_path: Path, ref: str, npi: str, expected: str
) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    receive(new_uow, tmp_path / "first.837", envelope([header() + subscriber_claim("A", "150.00")]))
    body = header(npi) + subscriber_claim("A", "200.00", "7", ref)
    result = receive(new_uow, tmp_path / "second.837", envelope([body], control=906))
    [problem] = result.problems
    assert str(problem).endswith(
        f"REF*F8: the replacement in claim 2-1 was not applied: {expected}"
    )
    assert result.replaced == []
    assert result.outcome == "rejected"
    with new_uow() as uow:
        assert uow.claims.status_of("1-1") == "received"
        assert uow.claims.header("2-1") is None


def test_a_patient_not_found_is_kept_for_a_co31_denial(database_url: str, tmp_path: Path) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    body = header() + dependent_claim("PCN-C", first="JOAN", born="20100101")
    result = receive(new_uow, tmp_path / "unknown.837", envelope([body]))
    assert result.unmatched == ["1-1"]
    adjudicate_waiting(new_uow)
    with new_uow() as uow:
        assert uow.claims.status_of("1-1") == "denied"
        [(allowed, paid, adjustments)] = line_amounts(uow, "1-1")
        assert (allowed, paid, adjustments) == (0, 0, [("CO", "31", 12_000)])


SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
SAMPLES = sorted(p.name for p in SHARED.glob("*837*")) if SHARED.is_dir() else []


@pytest.mark.skipif(not SAMPLES, reason=f"the public X12 samples are not at {SHARED}")
@pytest.mark.parametrize("name", SAMPLES)
def test_every_public_837_sample_is_stored_or_answered(tmp_path: Path, name: str) -> None:
    new_uow = open_book(f"sqlite:///{tmp_path}/samples.db", family())
    expected = read_837(SHARED / name)
    result = intake_837(new_uow(), SHARED / name, ours=OURS, actor="clerk", at=AT)
    standing = [x for x in expected.interchanges if x.acknowledgment != "R"]
    claims = [c for x in standing for g in x.groups for s in g.sets for c in s.claims]
    assert len(result.stored) == len(claims)
    answered = [a.kind for a in result.acknowledgments]
    assert answered.count("999") == sum(len(x.groups) for x in standing)
    assert answered.count("TA1") == sum(bool(x.errors) for x in expected.interchanges)
    if not expected.interchanges:  # nothing to answer: the operator is told why
        assert result.outcome == "rejected"
        assert result.problems
    for ack in result.acknowledgments:
        if ack.kind == "999" and ack.status == "R":
            assert "IK5*R" in ack.content


def test_the_intake_command_reports_writes_acks_and_lists_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    names(open_book(url, family()))
    monkeypatch.setenv("OPENASO_DATABASE_URL", url)
    monkeypatch.setenv("OPENASO_USER", "clerk")
    good = tmp_path / "good.837"
    good.write_text(envelope([header() + subscriber_claim("PCN-A", "150.00")]))
    bad = tmp_path / "bad.837"
    bad.write_text(envelope([header() + subscriber_claim("PCN-B", "150.00")], iea=1))
    runner = CliRunner()
    result = runner.invoke(app, ["claims", "intake", str(good), "--acks", str(tmp_path / "acks")])
    assert result.exit_code == 0, result.output
    assert "file 1, accepted: 1 claims stored; sets: 1 accepted, 0 rejected; sent 999 A" in (
        result.output
    )
    assert (tmp_path / "acks" / "good.837.000000001.999").read_text().startswith("ISA*00*")
    again = runner.invoke(app, ["claims", "intake", str(good)])
    assert again.exit_code == 0
    assert "nothing stored again" in again.output
    refused = runner.invoke(app, ["claims", "intake", str(bad)])
    assert refused.exit_code == 1
    assert "IEA02" in refused.output
    assert "sent TA1 R" in refused.output
    listed = runner.invoke(app, ["claims", "files"])
    assert listed.exit_code == 0
    assert "accepted" in listed.output
    assert "rejected" in listed.output
