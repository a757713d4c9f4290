"""The CSV census reader: rows merged per member, and every bad row named by line and column."""

import hashlib
from datetime import date
from pathlib import Path

import pytest

from openaso.adapters.files.census_csv import COLUMNS, read_census
from openaso.core.enrolment import CoverageElection, EnrolmentBatch

HEADER = ",".join(COLUMNS)
ROWS = [
    "E100,E100,subscriber,DOE,JANE,1980-05-15,F,medical,FAM,PPO-A,2026-01-01,",
    "E100,E100,subscriber,DOE,JANE,1980-05-15,F,dental,FAM,,2026-01-01,2026-06-30",
    "E101,E100,spouse,DOE,JOHN,1979-02-01,M,medical,FAM,PPO-A,2026-01-01,",
    "E102,E100,child,DOE,KIM,2015-07-04,U,medical,FAM,PPO-A,2026-01-01,",
    "E200,E200,subscriber,ROE,RICHARD,1970-03-09,M,std,EE,,2026-01-01,",
]
ON = date(2026, 1, 2)


def census(tmp_path: Path, *rows: str, header: str = HEADER) -> tuple[Path, bytes]:
    path = tmp_path / "census.csv"
    data = "\n".join([header, *rows]).encode() + b"\n"
    path.write_bytes(data)
    return path, data


def read(path: Path) -> tuple[EnrolmentBatch | None, list[str]]:
    batch, findings = read_census(path, "ACME", ON)
    return batch, [str(f).removeprefix(f"{path}:") for f in findings]


def test_a_census_is_one_audit_batch_with_each_members_rows_merged(tmp_path: Path) -> None:
    path, data = census(tmp_path, *ROWS)
    batch, findings = read(path)
    assert findings == []
    assert batch is not None
    assert (batch.sponsor, batch.file_date, batch.action) == ("ACME", ON, "audit")
    assert batch.reference == hashlib.sha256(data).hexdigest()
    assert [(r.position, r.member_id, r.family_id, r.relationship) for r in batch.records] == [
        (2, "E100", "E100", "subscriber"),
        (4, "E101", "E100", "spouse"),
        (5, "E102", "E100", "child"),
        (6, "E200", "E200", "subscriber"),
    ]
    jane = batch.records[0]
    assert (jane.last_name, jane.first_name, jane.birth_date, jane.gender, jane.maintenance) == (
        "DOE",
        "JANE",
        date(1980, 5, 15),
        "F",
        "audit",
    )
    assert jane.coverages == (
        CoverageElection("medical", date(2026, 1, 1), None, "FAM", "PPO-A", "audit"),
        CoverageElection("dental", date(2026, 1, 1), date(2026, 6, 30), "FAM", None, "audit"),
    )
    assert jane.where == f"{path}:line 2"


def test_columns_may_come_in_any_order_and_values_may_be_quoted(tmp_path: Path) -> None:
    header = ",".join(reversed(COLUMNS))
    row = ',2026-01-01,,EE,rx,M,1970-03-09,"RICHARD, JR",ROE,subscriber,E200,E200'
    batch, findings = read(census(tmp_path, row, header=header)[0])
    assert findings == []
    assert batch is not None
    assert batch.records[0].first_name == "RICHARD, JR"
    assert batch.records[0].coverages[0].coverage == "rx"


def test_a_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "census.csv"
    path.write_text("\n".join([HEADER, ROWS[4]]) + "\n", encoding="utf-8-sig")
    batch, findings = read(path)
    assert findings == []
    assert batch is not None
    assert len(batch.records) == 1


def test_missing_and_unknown_header_columns_are_one_finding(tmp_path: Path) -> None:
    header = HEADER.replace("gender", "sex").replace(",end", "")
    batch, findings = read(census(tmp_path, *ROWS, header=header)[0])
    assert batch is None
    assert findings == [
        f"1: the header must name the columns {HEADER} (missing: gender, end; unknown: sex)"
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("E300,E300,subscriber,POE,ANN,1970-02-30,F,medical,EE,,2026-01-01,", "birth_date: "
         "'1970-02-30' is not a date (YYYY-MM-DD)"),
        ("E300,E300,subscriber,POE,ANN,19700201,F,medical,EE,,2026-01-01,", "birth_date: "
         "'19700201' is not a date (YYYY-MM-DD)"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,F,medical,EE,,2026-1-01,", "start: "
         "'2026-1-01' is not a date (YYYY-MM-DD)"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,F,vision,EE,,2026-01-01,", "coverage: "
         "'vision' is not one of medical, dental, rx, std"),
        ("E300,E300,self,POE,ANN,1970-02-01,F,medical,EE,,2026-01-01,", "relationship: "
         "'self' is not one of subscriber, spouse, child"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,F,medical,EMP,,2026-01-01,", "tier: "
         "'EMP' is not one of EE, ES, EC, FAM"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,X,medical,EE,,2026-01-01,", "gender: "
         "'X' is not one of M, F, U"),
        ("E300,E300,subscriber,,ANN,1970-02-01,F,medical,EE,,2026-01-01,", "last_name: "
         "a last_name is required"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,F,medical,EE,,,", "start: a start is required"),
        ("E300,E300,subscriber,POE,ANN,1970-02-01,F,medical,EE,,2026-01-01,2025-12-31", "end: "
         "2025-12-31 is before the start 2026-01-01"),
        ("E300,E100,subscriber,POE,ANN,1970-02-01,F,medical,EE,,2026-01-01,", "family_id: "
         "a subscriber's family_id is its own member_id"),
        ("E300,E300,child,POE,ANN,1970-02-01,F,medical,EE,,2026-01-01,", "member_id: "
         "a dependent's member_id is not its family_id"),
        ("E300,E300,subscriber,POE,ANN", "the row has 5 fields, the header 12"),
    ],
)  # fmt: skip
def test_a_bad_row_is_named_by_line_and_column_and_skips_only_its_member(
    tmp_path: Path, row: str, expected: str
) -> None:
    batch, findings = read(census(tmp_path, *ROWS[:2], row, *ROWS[2:])[0])
    assert findings == [f"4: {expected}; member skipped"]
    assert batch is not None
    assert [r.member_id for r in batch.records] == ["E100", "E101", "E102", "E200"]


def test_a_bad_later_row_skips_the_whole_member(tmp_path: Path) -> None:
    bad = ROWS[1].replace("dental", "dentl")
    batch, findings = read(census(tmp_path, ROWS[0], bad, *ROWS[2:])[0])
    assert findings == [
        "3: coverage: 'dentl' is not one of medical, dental, rx, std; member skipped"
    ]
    assert batch is not None
    assert [r.member_id for r in batch.records] == ["E101", "E102", "E200"]


def test_rows_of_one_member_that_disagree_are_a_finding(tmp_path: Path) -> None:
    renamed = ROWS[1].replace("JANE", "JANET").replace("1980-05-15", "1980-05-16")
    moved = ROWS[2].replace("E100", "E200").replace("medical", "dental")
    batch, findings = read(census(tmp_path, ROWS[0], renamed, ROWS[2], moved, *ROWS[3:])[0])
    assert findings == [
        "3: first_name: 'JANET' here but 'JANE' on line 2; member skipped",
        "3: birth_date: '1980-05-16' here but '1980-05-15' on line 2; member skipped",
        "5: family_id: 'E200' here but 'E100' on line 4; member skipped",
    ]
    assert batch is not None
    assert [r.member_id for r in batch.records] == ["E102", "E200"]


def test_the_same_coverage_twice_from_one_date_is_a_finding(tmp_path: Path) -> None:
    batch, findings = read(census(tmp_path, ROWS[0], ROWS[0], ROWS[4])[0])
    assert findings == [
        "3: coverage: medical from 2026-01-01 is listed twice for E100; member skipped"
    ]
    assert batch is not None
    assert [r.member_id for r in batch.records] == ["E200"]


def test_a_row_without_member_id_is_skipped_alone(tmp_path: Path) -> None:
    batch, findings = read(census(tmp_path, ROWS[4], ROWS[0].replace("E100,E100", ",E100", 1))[0])
    assert findings == ["3: member_id: a member_id is required; row skipped"]
    assert batch is not None
    assert [r.member_id for r in batch.records] == ["E200"]


def test_blank_lines_are_ignored_and_line_numbers_stay_true(tmp_path: Path) -> None:
    batch, findings = read(census(tmp_path, "", ROWS[4], "", ROWS[2].replace("JOHN", ""))[0])
    assert findings == ["5: first_name: a first_name is required; member skipped"]
    assert batch is not None
    assert batch.records[0].position == 3


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "1: the header must name the columns"),
        (HEADER.encode() + b"\n", "1: the census lists no members"),
        (b"\xff\xfe" + HEADER.encode(), "cannot read the file as UTF-8 text"),
    ],
    ids=["empty", "header-only", "not-utf8"],
)
def test_a_census_with_no_members_is_no_batch(
    tmp_path: Path, content: bytes, expected: str
) -> None:
    path = tmp_path / "census.csv"
    path.write_bytes(content)
    batch, findings = read(path)
    assert batch is None
    assert len(findings) == 1
    assert expected in findings[0]
