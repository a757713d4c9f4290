"""The 837 reader against every public 837 sample, handwritten variants and generated files;
and the streaming hook `on_set`."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from bench.generate_837 import sample_claims, write_837

from openaso.adapters.x12.claims_837 import Claim837, Intake837, TransactionSet837, read_837
from openaso.core.claims import Claim, ServiceLine

SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
IMS = "imsweb__837_5010__x12_"
LFH = "linuxforhealth__837_005010X222A2__demo."
LFI = "linuxforhealth__837_005010X223A3__"
D = date
needs_samples = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the public X12 samples are not at {SHARED}"
)


def summary(intake: Intake837) -> list[object]:
    """Per interchange: TA1 code and notes; per group: AK905 codes; per set: its sorted errors."""
    out: list[object] = []
    for interchange in intake.interchanges:
        out.append(("TA1", interchange.acknowledgment, [e.code for e in interchange.errors]))
        for group in interchange.groups:
            out.append(("GS", [e.code for e in group.errors]))
            for transaction in group.sets:
                errors = [(e.position, e.key, e.code) for e in transaction.errors]
                out.append(sorted(errors, key=lambda error: (error[0] or 0, error[1])))
    return out


def hi(position: int) -> list[tuple[int, str, str]]:
    """`HI*BK*8901*BF*87200*...`: qualifiers written as elements, so HI01 and HI03 lack a code."""
    return [(position, "HI01-2", "1"), (position, "HI03-2", "1")]


def ims_set(*errors: tuple[int | None, str, str], his: tuple[int, ...] = (21, 30)) -> list[object]:
    """An imsweb set: SE01 25 (wrong) and the given errors, with HI errors at `his`."""
    found: list[tuple[int | None, str, str]] = [(None, "SE01", "4"), *errors]
    found += [error for position in his for error in hi(position)]
    found.sort(key=lambda error: (error[0] or 0, error[1]))
    return list(found)


TWO_CLAIMS = ims_set((20, "CLM02", "I12"), (29, "CLM02", "I12"))  # CLM02 500 vs 12.25
OK: list[object] = [("TA1", "A", []), ("GS", [])]
REJECTED = {  # every imsweb 837 sample and the 835s: what the 999/TA1 must say
    f"{IMS}valid.txt": [*OK, TWO_CLAIMS],
    f"{IMS}valid_different_separators.txt": [*OK, TWO_CLAIMS],
    f"{IMS}multiple_isa.txt": [*OK, TWO_CLAIMS, *OK, TWO_CLAIMS],
    f"{IMS}multiple_gs.txt": [
        ("TA1", "E", ["021"]),
        *(x for _ in range(3) for x in (OK[1], TWO_CLAIMS)),
    ],
    f"{IMS}multiple_st.txt": [OK[0], ("GS", ["5"]), TWO_CLAIMS, TWO_CLAIMS],
    f"{IMS}no_errors.txt": [*OK, ims_set((20, "CLM02", "I12"), (36, "CLM02", "I12"), his=(21, 37))],
    f"{IMS}ambiguous_loop.txt": [*OK, ims_set((23, "CLM02", "I12"), his=())],
    f"{IMS}writer_test.txt": [*OK, ims_set((23, "CLM02", "I12"), his=())],
    "imsweb__837_5010__x223-test.txt": [*OK, ims_set((23, "CLM02", "I12"), his=())],
    f"{IMS}bad_first_line.txt": [("TA1", "R", ["011"])],  # ISA02 is 9 characters
    f"{IMS}bad_segment_identifier.txt": [
        *OK,
        ims_set(
            (4, "", "1"),
            (7, "N4", "3"),
            (9, "Nd4", "1"),
            (18, "NM31", "1"),
            (20, "CLM02", "I12"),
            (25, "NM1", "3"),
            (29, "CLM02", "I12"),
        ),
    ],
    f"{IMS}bad_valid_code.txt": [
        *OK,
        ims_set((7, "NM101", "7"), (16, "NM1", "3"), (20, "CLM02", "I12"), (29, "CLM02", "I12")),
    ],
    f"{IMS}complex.txt": [
        OK[0],
        ("GS", ["5"]),
        *[
            ims_set(
                (25, "CLM02", "I12"), (74, "CLM02", "I12"), (129, "CLM02", "I12"), his=(26, 75, 130)
            )
        ]
        * 2,
    ],
    f"{IMS}loop_errors1_exceeds_max_1_parent.txt": [
        *OK,
        ims_set((13, "NM1", "4"), (16, "REF", "5"), (26, "CLM02", "I12"), his=(27,)),
    ],
    f"{IMS}loop_errors2_exceeds_max_repeats_multiple_parents.txt": [
        *OK,
        ims_set(
            (20, "CLM02", "I12"),
            (32, "NM1", "4"),
            (35, "REF", "5"),
            (45, "CLM02", "I12"),
            his=(21, 46),
        ),
    ],
    f"{IMS}loop_errors3_missing_loops.txt": [
        *OK,
        ims_set((10, "NM1", "3"), (14, "CLM02", "I12"), his=(15,)),
    ],
    f"{IMS}missing_elements.txt": [
        *OK,
        ims_set((5, "NM102", "1"), (20, "CLM02", "I12"), (29, "CLM05", "1"), (29, "CLM02", "I12")),
    ],
    f"{IMS}missing_required_loop_in_one_repeat.txt": [
        *OK,
        ims_set((19, "CLM02", "I12"), (24, "NM1", "3"), (35, "CLM02", "I12"), his=(20, 36)),
    ],
    f"{IMS}missing_required_loops_mult_repeats.txt": [
        *OK,
        ims_set(
            (20, "CLM02", "I12"),
            (29, "CLM02", "I12"),
            (31, "LX", "3"),
            (31, "DTP", "3"),
            (32, "DTP02", "7"),
            (37, "CLM02", "I12"),
            (46, "CLM02", "I12"),
            (55, "CLM02", "I12"),
            (57, "LX", "3"),
            his=(21, 30, 38, 47, 56),
        ),
    ],
    f"{IMS}segment_errors.txt": [
        *OK,
        ims_set((7, "N3", "3"), (10, "REF", "5"), (19, "HI", "3"), (19, "CLM02", "I12"), his=()),
    ],
    f"{IMS}segments_out_of_order.txt": [
        *OK,
        ims_set((10, "N4", "7"), (15, "N3", "7"), (20, "CLM02", "I12"), (29, "CLM02", "I12")),
    ],
    f"{LFH}example6.837": [*OK, [(19, "CLM05-3", "1"), (26, "SV101-1", "7")]],  # '>' not ISA16
    "edi__emedny_sample.txt": [*OK, [(None, "ST01", "1")]],  # an 835
    "edi__united_healthcare_legacy_sample.txt": [*OK, [(None, "ST01", "1")]],  # an 835
    f"{IMS}no_isa_line.txt": [],  # no ISA: nothing a TA1 could answer; a file finding
    "edi__blue_cross_nc_sample.txt": [],  # an 835 that starts at ST
}


def line(c: Claim837) -> list[tuple[object, ...]]:
    return [
        (x.number, x.code, x.modifiers, x.service_date, x.billed, x.units, d.revenue_code)
        for x, d in zip(c.claim.lines, c.details, strict=True)
    ]


def claim(c: Claim837) -> tuple[object, ...]:
    k = c.claim
    return (
        k.id, k.member_id, k.received, k.provider, k.coverage, c.frequency, c.billing_npi,
        c.billing_tin, c.patient, c.diagnoses, line(c),
    )  # fmt: skip


HC = (None,)
ACCEPTED = {
    f"{LFH}cob.example3.A.837": [
        ("26407789", "111223333-3", D(2005, 10, 15), "1999996666", "medical", "1", "1999996666",
         "123456789", "dependent", ("4779", "2724", "2780", "53081"),
         [(1, "99213", (), D(2005, 10, 3), 4300, 1, None),
          (2, "90782", (), D(2005, 10, 3), 1500, 1, None),
          (3, "J3301", (), D(2005, 10, 3), 2104, 1, None)]),
    ],
    f"{LFH}drug.example10.1.837": [
        ("CLMNO12345", "MBRID12345", D(2004, 8, 1), "1122333341", "medical", "1", "1234567893",
         "587654321", "subscriber", ("03591",),
         [(1, "90782", (), D(2004, 7, 11), 5000, 1, None),
          (2, "J1550", (), D(2004, 7, 11), 5337, 1, None)]),
    ],
    f"{LFH}example1.837": [
        ("26463774", "JS00111223333-3", D(2006, 10, 15), "1912301953", "medical", "1",
         "1912301953", "587654321", "dependent", ("0340", "V7389"),
         [(1, "99213", (), D(2006, 10, 3), 4000, 1, None),
          (2, "87070", (), D(2006, 10, 3), 1500, 1, None),
          (3, "99214", (), D(2006, 10, 10), 3500, 1, None),
          (4, "86663", (), D(2006, 10, 10), 1000, 1, None)]),
    ],
    f"{LFH}example2.837": [
        ("26462967", "00221111", D(2006, 10, 15), "9876543210", "medical", "1", "9876543210",
         "587654321", "subscriber", ("0340", "V7389"),
         [(1, "99213", (), D(2006, 10, 3), 4000, 1, None),
          (2, "87072", (), D(2006, 10, 3), 1500, 1, None),
          (3, "99214", (), D(2006, 10, 10), 3500, 1, None),
          (4, "86663", (), D(2006, 10, 10), 1000, 1, None)]),
    ],
    f"{LFH}example7.837": [
        ("R03996273 #01", "111222333A", D(2005, 3, 26), "9992233334", "medical", "1",
         "9992233334", "389999999", "subscriber", ("496", "51881", "2859"),
         [(1, "E1390", ("RR",), D(2005, 3, 21), 46110, 1, None),
          (2, "E0431", ("RR",), D(2005, 3, 21), 5914, 1, None)]),
    ],
    f"{LFH}example8.837": [
        ("SMI123", "987654321A", D(2005, 3, 26), "7778889999", "medical", "1", "7778889999",
         "123567989", "subscriber", ("436", "3449"),
         [(1, "K0001", ("RR", "KH", "BR"), D(2005, 3, 21), 7500, 1, None)]),
    ],
    f"{LFI}institutional-claim.837i": [
        ("756048Q", "030005074A", D(1996, 9, 18), "9876540809", "medical", "1", "9876540809",
         "567891234", "subscriber", ("3669", "4019", "79431"),
         [(1, "85025", (), D(1996, 9, 11), 1339, 1, "0305"),
          (2, "93005", (), D(1996, 9, 11), 7654, 3, "0730")]),
    ],
    f"{LFI}two-claims-single-provider.837i": [
        ("756048Q", "030005074", D(2005, 6, 30), "1234567890", "medical", "1", "1234567890",
         "123456789", "subscriber", ("3669", "4019", "79431"),
         [(1, "85025", (), D(2005, 3, 15), 1339, 1, "0305"),
          (2, "93005", (), D(2005, 3, 15), 7656, 3, "0730")]),
        ("756049Q", "123405074", D(2005, 6, 30), "1234567890", "medical", "1", "1234567890",
         "123456789", "subscriber", ("30000",),
         [(1, "85087", (), D(2005, 4, 1), 5000, 1, "0300")]),
    ],
}  # fmt: skip


@needs_samples
def test_every_public_837_sample_is_listed() -> None:
    names = {p.name for p in SHARED.iterdir() if "837" in p.name and "999" not in p.name}
    names |= {p.name for p in SHARED.glob("edi__*")}
    big = {f"{IMS}many_claims.txt", f"{IMS}multiple_transactions.txt"}
    assert names == set(REJECTED) | set(ACCEPTED) | big


@needs_samples
@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_accepted_samples(name: str) -> None:
    intake = read_837(SHARED / name)
    assert summary(intake) == [*OK, []]
    assert [claim(c) for c in intake.claims()] == ACCEPTED[name]
    assert intake.problems() == []


@needs_samples
@pytest.mark.parametrize("name", sorted(REJECTED))
def test_rejected_samples(name: str) -> None:
    intake = read_837(SHARED / name)
    assert summary(intake) == REJECTED[name]
    assert intake.claims() == []
    assert intake.problems()


@needs_samples
def test_files_without_an_isa_are_file_findings() -> None:
    found = read_837(SHARED / f"{IMS}no_isa_line.txt").findings
    assert [(f.line, f.key) for f in found] == [(1, "ISA")]
    assert "does not start with an ISA segment (found 'GS*HC*SENDER CODE*RE')" in found[0].message


@needs_samples
def test_precise_messages() -> None:
    first = read_837(SHARED / f"{IMS}bad_first_line.txt").interchanges[0]
    assert (first.control, first.sender, first.receiver) == (
        "000000905",
        "SUBMITTERS.ID",
        "RECEIVERS.ID",
    )
    assert "ISA02 '         ' is 9 characters" in first.errors[0].message
    errors = read_837(SHARED / f"{LFH}example6.837").interchanges[0].groups[0].sets[0].errors
    assert errors[0].message == (
        "CLM05 '11>B>1' has no frequency code (CLM05-3); components are separated by ':' (ISA16)"
    )
    assert errors[0].claim == "125WILL"
    valid = read_837(SHARED / f"{IMS}valid.txt").problems()
    assert [str(f).split(": ", 1)[1] for f in valid] == [
        "SE01: SE01 says 25, the set has 34 segments",
        "CLM02: CLM02 500 is not the sum of the line charges (12.25)",
        "HI01-2: HI01 'BK' has a qualifier and no diagnosis code",
        "HI03-2: HI03 'BF' has a qualifier and no diagnosis code",
        "CLM02: CLM02 500 is not the sum of the line charges (12.25)",
        "HI01-2: HI01 'BK' has a qualifier and no diagnosis code",
        "HI03-2: HI03 'BF' has a qualifier and no diagnosis code",
    ]


@needs_samples
def test_the_many_claims_sample_has_every_claim_checked() -> None:
    # How fast the reader reads is the benchmark's (`make bench`, section claims_837), not a test's.
    intake = read_837(SHARED / f"{IMS}many_claims.txt")
    (transaction,) = intake.interchanges[0].groups[0].sets
    assert not transaction.accepted  # SE01 25 for 11486 segments, every CLM02 500 vs 12.25
    assert sum(e.key == "CLM02" for e in transaction.errors) == 820


def generated(tmp_path: Path, text_edit: tuple[str, str] | None = None) -> Path:
    path = write_837(tmp_path / "g.837", sample_claims(6), "P")
    if text_edit is not None:
        text = path.read_text()
        assert text_edit[0] in text
        path.write_text(text.replace(text_edit[0], text_edit[1], 1))
    return path


@pytest.mark.parametrize("kind", ["P", "D"])
def test_round_trip(tmp_path: Path, kind: str) -> None:
    claims = sample_claims(40, dental=kind == "D")
    path = write_837(tmp_path / f"{kind}.837", claims, "P" if kind == "P" else "D")
    intake = read_837(path)
    assert intake.problems() == []
    assert sorted((c.claim for c in intake.claims()), key=lambda c: c.id) == claims
    assert {c.kind for c in intake.claims()} == {kind}


def test_a_generated_837p_of_5000_claims_gives_every_claim_back(tmp_path: Path) -> None:
    claims = sample_claims(5000)
    read = read_837(write_837(tmp_path / "big.837", claims, "P")).claims()
    assert sorted((c.claim for c in read), key=lambda c: c.id) == sorted(claims, key=lambda c: c.id)


def test_bom_dependent_units_and_repricing(tmp_path: Path) -> None:
    text = (
        "ISA*00*          *00*          *ZZ*SENDER         *ZZ*OPENASO        *260101*1200*^*"
        "00501*000000042*0*P*:~GS*HC*SENDER*OPENASO*20260101*1200*7*X*005010X222A1~"
        "ST*837*0001*005010X222A1~BHT*0019*00*1*20260301*1200*CH~HL*1**20*1~"
        "NM1*85*2*CLINIC*****XX*1111111111~N3*1 MAIN~N4*TOWN*PA*17111~REF*EI*999999999~"
        "HL*2*1*22*1~SBR*P**G1******CI~NM1*IL*1*DOE*JOHN****MI*SUB1~NM1*PR*2*PLAN*****PI*1~"
        "HL*3*2*23*0~PAT*19~NM1*QC*1*DOE*JANE~DMG*D8*20100101*F~"
        "CLM*K1*150.50***11:B:7*Y*A*Y*Y~DTP*472*D8*20260210~REF*F8*ORIG1~"
        "HI*ABK:J45.909*ABF:R05~HCP*02*90~NM1*82*1*DR*WHO****XX*2222222222~"
        "LX*1~SV1*HC:99213:25:59*100.50*UN*1.5***1~HCP*02*70.25~"
        "LX*2~SV1*HC:90471*50*UN*2***1~DTP*472*RD8*20260211-20260212~SE*28*0001~GE*1*7~"
        "IEA*1*000000042~"
    )
    path = tmp_path / "bom.837"
    path.write_text("\ufeff" + text, encoding="utf-8")
    intake = read_837(path)
    assert intake.problems() == []
    (c,) = intake.claims()
    assert c.claim == Claim(
        "K1", "SUB1-3", D(2026, 3, 1), "in", "2222222222",
        (ServiceLine(1, "99213", D(2026, 2, 10), 10050, ("25", "59"), 2, 7025),
         ServiceLine(2, "90471", D(2026, 2, 11), 5000, (), 2)),
    )  # fmt: skip
    assert (c.frequency, c.original_ref, c.repriced, c.diagnoses) == (
        "7",
        "ORIG1",
        9000,
        ("J45909", "R05"),
    )
    assert (c.patient, c.patient_name, c.patient_birth) == (
        "dependent",
        ("DOE", "JANE"),
        D(2010, 1, 1),
    )
    assert [d.units_text for d in c.details] == ["1.5", "2"]
    assert c.details[1].service_end == D(2026, 2, 12)


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            (
                "SV1*HC:",
                "SV1*HC:",
            ),
            [],
        ),
        (("DTP*472*D8*2026", "DTP*472*D8*2025"), []),
        (("*11:B:1*", "*11:B:7*"), [("REF", "3")]),
        (("BHT*0019*00*0001*20260302", "BHT*0019*00*0001*20261302"), [("BHT04", "8")]),
        (("DTP*472*D8*2026", "DTP*472*D8*2026-"), [("DTP", "3"), ("DTP03", "8")]),
        (("ST*837*0001*005010X222A1", "ST*837*0001*005010X999A1"), [("ST03", "I6")]),
        (("ST*837*0001*005010X222A1", "ST*837*0001*005010X223A3"), [("ST03", "19")]),
    ],
)
def test_one_bad_set_is_rejected_and_the_other_comes_through(
    tmp_path: Path, edit: tuple[str, str], expected: list[tuple[str, str]]
) -> None:
    intake = read_837(generated(tmp_path, edit))
    first, second = intake.interchanges[0].groups[0].sets
    assert [(e.key, e.code) for e in first.errors] == expected
    assert first.accepted == (not expected)
    assert second.accepted
    assert len(second.claims) == 3


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (("SV1*HC:99213*", "SV1*HC:99213*12x*"), ("SV102", "6")),
        (("LX*1~\nSV1", "LX*1~\nSV2*0450*HC:1"), ("SV2", "2")),
        (("SE*", "SE*9"), ("SE01", "4")),
        (("HL*2*1*22*0", "HL*2*1*21*0"), ("HL03", "7")),
        (("*MI*M000002", "*MI*"), ("NM109", "1")),
    ],
)
def test_set_errors(tmp_path: Path, edit: tuple[str, str], expected: tuple[str, str]) -> None:
    intake = read_837(generated(tmp_path, edit))
    first = intake.interchanges[0].groups[0].sets[0]
    assert expected in [(e.key, e.code) for e in first.errors]
    assert not first.accepted
    assert first.claims == ()


def test_envelope_errors(tmp_path: Path) -> None:
    path = generated(tmp_path, ("IEA*1*000000001", "IEA*1*000000002"))
    intake = read_837(path)
    (interchange,) = intake.interchanges
    assert [(e.key, e.code) for e in interchange.errors] == [("IEA02", "001")]
    assert interchange.acknowledgment == "R"
    assert intake.claims() == []
    truncated = generated(tmp_path, ("IEA*1*000000001", ""))
    assert [e.code for e in read_837(truncated).interchanges[0].errors] == ["023"]
    counted = generated(tmp_path, ("GE*2*1", "GE*3*1"))
    group = read_837(counted).interchanges[0].groups[0]
    assert [(e.key, e.code) for e in group.errors] == [("GE01", "5")]
    assert len(read_837(counted).claims()) == 6


def two_interchanges(tmp_path: Path, iea: str = "IEA*1*000000002") -> Path:
    """Two generated interchanges in one file; the second's IEA as given."""
    first = write_837(tmp_path / "1.837", sample_claims(6), "P").read_text()
    second = write_837(tmp_path / "2.837", sample_claims(8, seed=2), "P", control=2).read_text()
    path = tmp_path / "both.837"
    path.write_text(first + second.replace("IEA*1*000000002", iea))
    return path


def passed_on(path: Path) -> tuple[Intake837, list[tuple[int, TransactionSet837]]]:
    passed: list[tuple[int, TransactionSet837]] = []
    intake = read_837(path, on_set=lambda index, transaction: passed.append((index, transaction)))
    return intake, passed


def test_on_set_is_given_every_set_with_the_claims_read_without_it(tmp_path: Path) -> None:
    path = two_interchanges(tmp_path)
    kept = read_837(path)
    intake, passed = passed_on(path)
    assert [c for _, t in passed for c in t.claims] == kept.claims()
    assert [index for index, _ in passed] == [0, 0, 1, 1]
    assert [t.claim_count for _, t in passed] == [3, 3, 4, 4]
    sets = [t for x in intake.interchanges for g in x.groups for t in g.sets]
    assert [t.claims for t in sets] == [()] * 4
    assert [t.claim_count for t in sets] == [3, 3, 4, 4]
    assert sets == [replace(t, claims=()) for _, t in passed]
    assert intake.claims() == []
    assert summary(intake) == summary(kept)


def test_claim_count_is_the_claims_of_an_accepted_set_and_0_for_a_rejected_one(
    tmp_path: Path,
) -> None:
    intake = read_837(generated(tmp_path, ("SV1*HC:99213*", "SV1*HC:99213*12x*")))
    rejected, accepted = intake.interchanges[0].groups[0].sets
    assert (rejected.accepted, rejected.claim_count, rejected.claims) == (False, 0, ())
    assert (accepted.claim_count, len(accepted.claims)) == (3, 3)
    _, passed = passed_on(generated(tmp_path, ("SV1*HC:99213*", "SV1*HC:99213*12x*")))
    assert [(t.accepted, t.claim_count, len(t.claims)) for _, t in passed] == [
        (False, 0, 0),
        (True, 3, 3),
    ]


def test_a_set_is_passed_on_before_its_interchange_is_rejected_by_its_iea(
    tmp_path: Path,
) -> None:
    intake, passed = passed_on(two_interchanges(tmp_path, iea="IEA*1*000000009"))
    first, second = intake.interchanges
    assert (first.acknowledgment, second.acknowledgment) == ("A", "R")
    assert [(index, t.claim_count, len(t.claims)) for index, t in passed][2:] == [
        (1, 4, 4),
        (1, 4, 4),
    ]  # the caller drops these: the result says interchange 1 is rejected
    kept = read_837(two_interchanges(tmp_path, iea="IEA*1*000000009")).claims()
    assert kept == [c for index, t in passed if index == 0 for c in t.claims]


def test_a_set_is_passed_on_as_soon_as_it_is_read(tmp_path: Path) -> None:
    path = two_interchanges(tmp_path)
    text = path.read_text()
    cut = text.index("ISA", 10) + 50  # the second interchange's ISA is truncated
    path.write_text(text[:cut])
    intake, passed = passed_on(path)
    assert [index for index, _ in passed] == [0, 0]
    assert [f.message.split(":")[0] for f in intake.findings] == ["truncated ISA"]
