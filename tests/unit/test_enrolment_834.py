"""The 834 reader against every public 834 sample, and against small handwritten files."""

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import NamedTuple

import pytest
from bench.generate_834 import write_834

from openaso.adapters.files.yaml_source import Finding
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.core.enrolment import EnrolmentBatch, MemberRecord

SHARED = Path(__file__).resolve().parents[3] / "shared" / "x12"
D = date  # short, for the tables below
LFH = "linuxforhealth__834_005010X220A1__"
LFH_HEADER = ("999888777", D(1998, 5, 20), "12456", "2")


class Expected(NamedTuple):
    batches: list[tuple[object, ...]]  # sponsor, file date, reference, action
    members: list[tuple[object, ...]]  # see `member` below
    findings: list[str]  # as printed, without the file name


def member(r: MemberRecord) -> tuple[object, ...]:
    coverages = tuple(
        (c.coverage, c.start, c.end, c.tier, c.plan_code, c.maintenance) for c in r.coverages
    )
    return (
        *(r.position, r.maintenance, r.member_id, r.family_id, r.relationship),
        *(r.last_name, r.first_name, r.birth_date, r.gender, r.reason),
        *(r.eligibility_start, r.eligibility_end, coverages),
    )


def header(b: EnrolmentBatch) -> tuple[object, ...]:
    return (b.sponsor, b.file_date, b.reference, b.action)


MEDICAL_1996 = ("medical", D(1996, 6, 1), None, None, None, "add")
ACK = (
    "ST01: a 999 (implementation acknowledgment) set, GS01 FA, guide 005010X231: expected a 834 "
    "benefit enrolment (ST01 834, GS01 BE, guide 005010X220A1); transaction set skipped"
)
SAMPLES = {
    f"{LFH}add-dependent.834": Expected(
        [LFH_HEADER],
        # a dependent with no subscriber before it: its REF*0F is the family, NM109 the member
        [(8, "add", "103229876", "123456789", "child", "DOE", "JOHN", D(1977, 8, 16), "M", "20",
          None, None, (MEDICAL_1996,))],
        [],
    ),
    f"{LFH}add-subscriber-coverage.834": Expected(
        [LFH_HEADER],
        [(8, "change", "123456789", "123456789", "subscriber", "SMITH", "WILLIAM", None, None,
          "22", None, None, (("dental", D(2002, 7, 1), None, None, None, "add"),))],
        [],
    ),
    f"{LFH}cancel-dependent.834": Expected(
        [LFH_HEADER],
        [(8, "terminate", "103229876", "123456789", "child", "DOE", "JAMES", D(1977, 8, 16), "M",
          "07", None, D(1996, 8, 1), ())],
        [],
    ),
    f"{LFH}change-subscriber-information.834": Expected(
        [LFH_HEADER],
        # the DMG after NM1*70 (the incorrect member name) is not the member's birth date
        [(7, "change", "123456789", "123456789", "subscriber", "DOE", "JAMES", D(1950, 4, 15),
          "M", "25", None, None, ())],
        [],
    ),
    f"{LFH}enroll-employee-managed-care.834": Expected(
        [LFH_HEADER],
        [(7, "add", "123456789", "123456789", "subscriber", "SMITH", "WILLIAM", D(1970, 6, 14),
          "M", "20", None, None, (("medical", D(1996, 6, 1), None, None, None, "add"),))],
        [],
    ),
    f"{LFH}enroll-employee-multiple-products.834": Expected(
        [LFH_HEADER],
        [(7, "add", "123456789", "123456789", "subscriber", "DOE", "JOHN", D(1940, 8, 16), "M",
          "20", D(1996, 5, 23), None, (MEDICAL_1996,))],
        ["18: HD03: VIS: vision is not administered by OpenASO; coverage line skipped"],
    ),
    f"{LFH}reinstate-employee-coverage-level.834": Expected(
        [LFH_HEADER],
        [(8, "reinstate", "202443307", "202443307", "subscriber", "SMITH", "WILLIAM", None, None,
          None, None, None, (("dental", D(2002, 7, 1), None, None, None, "reinstate"),))],
        [],
    ),
    f"{LFH}reinstate-employee.834": Expected(
        [LFH_HEADER],
        [(8, "reinstate", "123456789", "123456789", "subscriber", "DOE", "JAMES", None, None,
          "20", None, None, ())],
        [],
    ),
    f"{LFH}reinstate-member-eligiblity-ins.834": Expected(
        [("999888777", D(2002, 6, 1), "12456", "2")],
        [(8, "reinstate", "202443307", "202443307", "subscriber", "SMITH", "WILLIAM", None, None,
          None, None, None, ())],
        [],
    ),
    f"{LFH}terminate-subscriber-eligibility.834": Expected(
        [LFH_HEADER],
        [],  # INS*Y*19: a subscriber loop that says the member is a child
        ["7: INS02: '19' (child) does not agree with INS01 'Y': a subscriber is 18 (self), a "
         "dependent is not; member skipped"],
    ),
    "pyx12__834_deident_family.txt": Expected(
        [("234567891", D(2026, 4, 1), "20260401-002", "2")],
        # the spouse and the child have no HD loops: they take the subscriber's elections
        [(7, "add", "M000002", "M000002", "subscriber", "SMITH", "ROBERT", D(1975, 8, 20), "M",
          "XN", D(2026, 4, 1), None, (("medical", D(2026, 4, 1), None, "FAM", None, "add"),)),
         (17, "add", "M000003", "M000002", "spouse", "SMITH", "MARY", D(1977, 3, 3), "F", "XN",
          D(2026, 4, 1), None, (("medical", D(2026, 4, 1), None, "FAM", None, "add"),)),
         (22, "add", "M000004", "M000002", "child", "SMITH", "MICHAEL", D(2010, 6, 12), "M",
          "XN", D(2026, 4, 1), None, (("medical", D(2026, 4, 1), None, "FAM", None, "add"),))],
        [],
    ),
    "pyx12__834_deident_new_enroll.txt": Expected(
        [("123456780", D(2026, 4, 1), "20260401-001", "2")],
        [(8, "add", "M000001", "M000001", "subscriber", "DOE", "JANE", D(1980, 5, 15), "F", "XN",
          D(2026, 4, 1), None, (("medical", D(2026, 4, 1), None, "EE", None, "add"),))],
        [],
    ),
    "pyx12__834_deident_term.txt": Expected(
        [("345678902", D(2026, 4, 1), "20260401-003", "2")],
        [(7, "terminate", "M000010", "M000010", "subscriber", "JONES", "PATRICIA",
          D(1968, 9, 24), "F", "XN", D(2021, 1, 1), D(2026, 3, 31),
          (("medical", None, D(2026, 3, 31), "EE", None, "terminate"),)),
         (18, "terminate", "M000011", "M000011", "subscriber", "BROWN", "THOMAS", D(1972, 4, 15),
          "M", "XN", D(2021, 6, 1), D(2026, 3, 31),
          (("medical", None, D(2026, 3, 31), "EE", None, "terminate"),))],
        [],
    ),
    "pyx12__834_ls_le_ls.txt": Expected(
        [("930592162", D(2013, 3, 12), "0158420020130310001", "2")],
        # NM1*74 (corrected member name) names the member; NM1*70 and its DMG are the old name
        [(8, "change", "REF OF", "REF OF", "subscriber", "SUBSCRIBER LAST 1",
          "SUBSCRIBER FIRST 1", D(1983, 7, 19), "F", "AI", D(2012, 9, 1), D(2013, 3, 31),
          (("medical", D(2012, 9, 1), None, "EE", "12345678902012062020130415N", "change"),))],
        [],
    ),
    "pyx12__834_ls_le_ls_5010.999.txt": Expected([], [], [f"3: {ACK}"]),
    "pyx12__834_lui_id_5010.999.txt": Expected(
        [], [], [f"3: {ACK}", f"9: {ACK}", f"17: {ACK}", f"23: {ACK}"]
    ),
    "pyx12__example834_5010.txt": Expected(
        [("999999999", D(2015, 3, 5), "88880070301  00", "4")],
        [(8, "audit", "00389999", "00389999", "subscriber", "DOE", "JOHN", D(1967, 3, 30), "M",
          "XN", D(2015, 3, 1), None, ())],
        ["18: HD03: AK: mental health is not administered by OpenASO; coverage line skipped"],
    ),
}  # fmt: skip

needs_samples = pytest.mark.skipif(not SHARED.is_dir(), reason=f"no public samples at {SHARED}")


@needs_samples
def test_every_public_834_sample_has_its_expectation_here() -> None:
    assert sorted(p.name for p in SHARED.glob("*834*")) == sorted(SAMPLES)


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_public_834_sample_reads_as_worked_out_by_hand(name: str) -> None:
    path = SHARED / name
    batches, findings = read_834(path)
    expected = SAMPLES[name]
    assert [str(f).removeprefix(f"{path}:") for f in findings] == expected.findings
    assert [header(b) for b in batches] == expected.batches
    assert [member(r) for b in batches for r in b.records] == expected.members
    assert all(b.origin == str(path) for b in batches)


# Small handwritten files


def isa(element: str = "*", component: str = ":", terminator: str = "~", control: int = 1) -> str:
    fields = ["00", " " * 10, "00", " " * 10, "ZZ", "ACME".ljust(15), "ZZ", "OPENASO".ljust(15)]
    fields += ["260401", "1200", "^", "00501", f"{control:09d}", "0", "P", component]
    return element.join(["ISA", *fields]) + terminator


def interchange(*sets: list[str], control: int = 1, counts: tuple[int, ...] = ()) -> str:
    """An ISA..IEA with one ST..SE per body (SE01 right unless `counts` says otherwise)."""
    segments = ["GS*BE*ACME*OPENASO*20260401*1200*1*X*005010X220A1"]
    for index, body in enumerate(sets, start=1):
        count = counts[index - 1] if counts else len(body) + 2
        segments += [f"ST*834*{index:04d}*005010X220A1", *body, f"SE*{count}*{index:04d}"]
    segments += [f"GE*{len(sets)}*1", f"IEA*1*{control:09d}"]
    return isa(control=control) + "\n" + "".join(s + "~\n" for s in segments)


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "in.834"
    path.write_text(text, encoding=encoding)
    return path


HEAD = ["BGN*00*REF-1*20260401*1200****2", "N1*P5*ACME CORP*FI*123456789"]
SUBSCRIBER = [
    "INS*Y*18*021*28*A***FT",
    "REF*0F*E100",
    "NM1*IL*1*DOE*JANE****34*900000001",
    "DMG*D8*19800515*F",
    "HD*021**HLT*PPO-A*FAM",
    "DTP*348*D8*20260101",
    "HD*021**DEN**FAM",
    "DTP*348*D8*20260101",
]
SPOUSE = ["INS*N*01*021*28", "REF*0F*E101", "NM1*IL*1*DOE*JOHN", "DMG*D8*19790201*M"]
CHILD = ["INS*N*19*021*28", "REF*0F*E100", "NM1*IL*1*DOE*KIM****34*900000003"]
FAMILY_ELECTIONS = (
    ("medical", D(2026, 1, 1), None, "FAM", "PPO-A", "add"),
    ("dental", D(2026, 1, 1), None, "FAM", None, "add"),
)


def ids(batches: list[EnrolmentBatch]) -> list[tuple[int, str, str, str]]:
    return [
        (r.position, r.member_id, r.family_id, r.relationship) for b in batches for r in b.records
    ]


def messages(path: Path, findings: Sequence[Finding]) -> list[str]:
    return [str(f).removeprefix(f"{path}:") for f in findings]


def test_a_family_reads_with_its_ids_and_a_dependent_without_hd_inherits(tmp_path: Path) -> None:
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *SPOUSE, *CHILD]))
    batches, findings = read_834(path)
    assert findings == []
    (batch,) = batches
    assert header(batch) == ("123456789", D(2026, 4, 1), "REF-1", "2")
    # the spouse's own REF*0F is its member id; the child's REF*0F is the family's, so NM109
    assert ids(batches) == [
        (6, "E100", "E100", "subscriber"),
        (14, "E101", "E100", "spouse"),
        (18, "900000003", "E100", "child"),
    ]
    assert [member(r)[-1] for r in batch.records] == [FAMILY_ELECTIONS] * 3


def test_custom_separators_are_taken_from_the_isa(tmp_path: Path) -> None:
    text = interchange([*HEAD, *SUBSCRIBER]).replace("*", "|").replace("~\n", "\n")
    text = text.replace("|:\n", "|>\n", 1)  # ISA16
    batches, findings = read_834(write(tmp_path, text))
    assert findings == []
    assert member(batches[0].records[0])[-1] == FAMILY_ELECTIONS


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    batches, findings = read_834(write(tmp_path, interchange([*HEAD, *SUBSCRIBER]), "utf-8-sig"))
    assert (findings, ids(batches)) == ([], [(6, "E100", "E100", "subscriber")])


def test_each_transaction_set_of_an_interchange_is_its_own_batch(tmp_path: Path) -> None:
    second = ["BGN*00*REF-2*20260402*1200****4", *HEAD[1:], *CHILD]
    batches, findings = read_834(write(tmp_path, interchange([*HEAD, *SUBSCRIBER], second)))
    assert findings == []
    assert [(b.reference, b.action, len(b.records)) for b in batches] == [
        ("REF-1", "2", 1),
        ("REF-2", "4", 1),
    ]
    # no subscriber precedes the child in its own set: its REF*0F is its family
    assert ids(batches)[1] == (18, "900000003", "E100", "child")


def test_two_interchanges_in_one_file_number_segments_from_the_start(tmp_path: Path) -> None:
    text = interchange([*HEAD, *SUBSCRIBER]) + interchange([*HEAD, *CHILD], control=2)
    batches, findings = read_834(write(tmp_path, text))
    assert findings == []
    assert ids(batches) == [(6, "E100", "E100", "subscriber"), (22, "900000003", "E100", "child")]


def test_a_bad_date_skips_only_that_member(tmp_path: Path) -> None:
    spouse = [*SPOUSE[:3], "DMG*D8*20260230*M"]
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *spouse, *CHILD]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "17: DMG02: '20260230' is not a date (CCYYMMDD); member skipped"
    ]
    assert [i[1] for i in ids(batches)] == ["E100", "900000003"]


def test_a_member_without_ref_0f_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *[s for s in SPOUSE if "0F" not in s]]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "14: REF*0F: the member has no REF*0F subscriber identifier; member skipped"
    ]
    assert [i[1] for i in ids(batches)] == ["E100"]


def test_a_member_without_its_names_is_skipped(tmp_path: Path) -> None:
    spouse = [*SPOUSE[:2], "NM1*IL*1*DOE"]
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *spouse]))
    _, findings = read_834(path)
    assert messages(path, findings) == [
        "16: NM104: the member's first name is missing; member skipped"
    ]


def test_an_unknown_relationship_skips_the_member(tmp_path: Path) -> None:
    spouse = ["INS*N*99*021*28", *SPOUSE[1:]]
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *spouse]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "14: INS02: '99' is not a relationship OpenASO knows (18 self; 01, 53 spouse; 19, 09, "
        "10, 15, 17 child); member skipped"
    ]
    assert len(batches[0].records) == 1


def test_an_unadministered_line_is_skipped_and_the_member_still_applies(tmp_path: Path) -> None:
    subscriber = [*SUBSCRIBER[:4], "HD*021**VIS**FAM", "DTP*348*D8*20250101", *SUBSCRIBER[4:]]
    path = write(tmp_path, interchange([*HEAD, *subscriber]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "10: HD03: VIS: vision is not administered by OpenASO; coverage line skipped"
    ]
    assert member(batches[0].records[0])[-1] == FAMILY_ELECTIONS


def test_an_unknown_line_or_level_skips_the_member(tmp_path: Path) -> None:
    subscriber = [*SUBSCRIBER[:4], "HD*021**XYZ**TWO"]
    path = write(tmp_path, interchange([*HEAD, *subscriber]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "10: HD03: 'XYZ' is not an insurance line code; member skipped",
        "10: HD05: 'TWO' is not a coverage level OpenASO maps to a tier (EMP, IND, ESP, ECH, "
        "E1D-E3D, CHD, FAM, SPC, E5D-E9D); member skipped",
    ]
    assert batches[0].records == ()


def test_a_wrong_se_count_is_a_finding_and_the_set_is_still_read(tmp_path: Path) -> None:
    path = write(tmp_path, interchange([*HEAD, *SUBSCRIBER], counts=(99,)))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "14: SE01: SE01 says 99, the set has 12 segments; the set is still read; check the file "
        "is complete"
    ]
    assert len(batches[0].records) == 1


def test_an_se_control_number_other_than_st02_is_a_finding(tmp_path: Path) -> None:
    text = interchange([*HEAD, *SUBSCRIBER]).replace("SE*12*0001", "SE*12*0002")
    path = write(tmp_path, text)
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "14: SE02: SE02 '0002' is not the ST02 '0001'; the set is still read; check the file "
        "is complete"
    ]
    assert len(batches) == 1


def test_an_rd8_range_gives_the_start_and_the_end(tmp_path: Path) -> None:
    subscriber = [*SUBSCRIBER[:4], "DTP*356*RD8*20260101-20261231", "HD*024**DEN**EMP"]
    subscriber += ["DTP*348*RD8*20260101-20260630", "HD*002**STD", "DTP*349*D8*20260331"]
    batches, findings = read_834(write(tmp_path, interchange([*HEAD, *subscriber])))
    assert findings == []
    record = batches[0].records[0]
    assert (record.eligibility_start, record.eligibility_end) == (D(2026, 1, 1), D(2026, 12, 31))
    assert member(record)[-1] == (
        ("dental", D(2026, 1, 1), D(2026, 6, 30), "EE", None, "terminate"),
        ("std", None, D(2026, 3, 31), None, None, "terminate"),
    )


def test_a_dependent_inherits_nothing_when_it_has_hd_loops_or_is_terminated(
    tmp_path: Path,
) -> None:
    spouse = [*SPOUSE, "HD*021**HLT**FAM"]
    child = ["INS*N*19*024*07", *CHILD[1:]]
    batches, _ = read_834(write(tmp_path, interchange([*HEAD, *SUBSCRIBER, *spouse, *child])))
    assert [member(r)[-1] for r in batches[0].records][1:] == [
        (("medical", None, None, "FAM", None, "add"),),
        (),
    ]


def test_a_dependent_of_a_skipped_subscriber_without_hd_is_skipped_too(tmp_path: Path) -> None:
    subscriber = [*SUBSCRIBER[:3], "DMG*D8*1980*F", *SUBSCRIBER[4:]]
    path = write(tmp_path, interchange([*HEAD, *subscriber, *CHILD]))
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "9: DMG02: '1980' is not a date (CCYYMMDD); member skipped",
        "14: HD: no HD loops to inherit: the subscriber at segment 6 was skipped; member skipped",
    ]
    assert batches[0].records == ()


def test_a_set_of_another_kind_or_version_is_rejected_with_what_was_expected(
    tmp_path: Path,
) -> None:
    text = interchange([*HEAD, *SUBSCRIBER]).replace("005010X220A1", "004010X095A1")
    path = write(tmp_path, text)
    assert messages(path, read_834(path)[1]) == [
        "3: ST03: a 834 (benefit enrolment) set, GS01 BE, guide 004010X095A1: expected a 834 "
        "benefit enrolment (ST01 834, GS01 BE, guide 005010X220A1); transaction set skipped"
    ]
    text = interchange([*HEAD]).replace("ST*834", "ST*837").replace("GS*BE", "GS*HC")
    path = write(tmp_path, text)
    assert messages(path, read_834(path)[1]) == [
        "3: ST01: a 837 (health care claim) set, GS01 HC, guide 005010X220A1: expected a 834 "
        "benefit enrolment (ST01 834, GS01 BE, guide 005010X220A1); transaction set skipped"
    ]


def test_a_set_without_bgn_or_sponsor_is_skipped(tmp_path: Path) -> None:
    path = write(tmp_path, interchange([HEAD[1], *SUBSCRIBER], [HEAD[0], *SUBSCRIBER]))
    batches, findings = read_834(path)
    assert batches == []
    assert messages(path, findings) == [
        "3: BGN: the transaction set has no BGN; transaction set skipped",
        "14: N1*P5: the transaction set has no plan sponsor (N1*P5); transaction set skipped",
    ]


def test_a_file_cut_short_inside_a_set_keeps_what_was_read(tmp_path: Path) -> None:
    text = interchange([*HEAD, *SUBSCRIBER, *SPOUSE]).split("SE*")[0]
    path = write(tmp_path, text)
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "3: SE: the file ends inside this set (no SE); its members are still read"
    ]
    assert [i[1] for i in ids(batches)] == ["E100", "E101"]


def test_a_set_without_its_se_ends_at_the_next_st_and_keeps_its_members(tmp_path: Path) -> None:
    text = interchange([*HEAD, *SUBSCRIBER], [*HEAD, *CHILD]).replace("SE*12*0001~\n", "")
    path = write(tmp_path, text)
    batches, findings = read_834(path)
    assert messages(path, findings) == [
        "3: SE: the set has no SE before the ST at segment 14; its members are still read"
    ]
    assert ids(batches) == [(6, "E100", "E100", "subscriber"), (17, "900000003", "E100", "child")]


def test_a_file_that_is_not_x12_is_one_finding(tmp_path: Path) -> None:
    path = write(tmp_path, "member_id,family_id\nE1,E1\n")
    batches, findings = read_834(path)
    assert batches == []
    assert messages(path, findings) == [
        "1: ISA: the file does not start with an ISA segment (found 'member_id,family_id')"
    ]


def test_the_generated_benchmark_file_reads_with_no_findings(tmp_path: Path) -> None:
    path = tmp_path / "bench.834"
    write_834(path, 200, "ACME", D(2026, 1, 15))
    batches, findings = read_834(path)
    assert findings == []
    (batch,) = batches
    assert len(batch.records) == 200
    assert batch.action == "4"
    assert {r.maintenance for r in batch.records} == {"audit"}
    subscribers = [r for r in batch.records if r.relationship == "subscriber"]
    assert {r.family_id for r in batch.records} == {r.member_id for r in subscribers}
    assert all({"medical", "rx"} <= {c.coverage for c in r.coverages} for r in batch.records)
    assert {c.start for r in batch.records for c in r.coverages} == {D(2026, 1, 1)}
    write_834(tmp_path / "again.834", 200, "ACME", D(2026, 1, 15))
    assert (tmp_path / "again.834").read_bytes() == path.read_bytes()  # seeded
