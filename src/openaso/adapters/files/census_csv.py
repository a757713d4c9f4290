"""The CSV census: a sponsor's full snapshot of members, one row per member per coverage.

Columns (any order, one header row): `member_id,family_id,relationship,last_name,first_name,
birth_date,gender,coverage,tier,plan_code,start,end`. Rows of one member merge into one member
record placed at its first line. Every record and election is an `audit` (the census is the
whole truth on its date). A bad row is a finding at its line and column, and its member is
skipped; every other member still comes through. `docs/enrolment.md` has an example.
"""

import csv
import hashlib
import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import get_args

from openaso.adapters.files.yaml_source import Finding
from openaso.core.enrolment import CoverageElection, EnrolmentBatch, MemberRecord
from openaso.core.members import Relationship, TierCode
from openaso.core.plan import Coverage

COLUMNS = (
    "member_id",
    "family_id",
    "relationship",
    "last_name",
    "first_name",
    "birth_date",
    "gender",
    "coverage",
    "tier",
    "plan_code",
    "start",
    "end",
)
OPTIONAL = ("plan_code", "end")
MEMBER_COLUMNS = ("family_id", "relationship", "last_name", "first_name", "birth_date", "gender")
RELATIONSHIPS: dict[str, Relationship] = {name: name for name in get_args(Relationship)}
COVERAGES: dict[str, Coverage] = {name: name for name in get_args(Coverage)}
TIERS: dict[str, TierCode] = {name: name for name in get_args(TierCode)}
CHOICES: dict[str, tuple[str, ...]] = {
    "relationship": tuple(RELATIONSHIPS),
    "gender": ("M", "F", "U"),
    "coverage": tuple(COVERAGES),
    "tier": tuple(TIERS),
}
SKIPPED = "; member skipped"


def parse_iso_date(text: str) -> date | None:
    """A YYYY-MM-DD date (only that form), or None."""
    digits = text[:4] + text[5:7] + text[8:]
    if len(text) != 10 or text[4] + text[7] != "--" or not (digits.isascii() and digits.isdigit()):
        return None
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        return None


@dataclass(slots=True)
class _Member:
    """The rows of one member read so far."""

    line: int  # its first line
    first: dict[str, str]  # the member columns as its first row has them
    ok: bool = True
    elections: list[CoverageElection] = field(default_factory=list)


def read_census(
    path: Path, sponsor: str, file_date: date
) -> tuple[EnrolmentBatch | None, list[Finding]]:
    """The census at `path` as one audit batch of `sponsor` on `file_date`, and the findings."""
    origin = str(path)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        return None, [Finding(origin, None, "", f"cannot read the file as UTF-8 text: {exc}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [name.strip() for name in next(reader, [])]
    missing = [name for name in COLUMNS if name not in header]
    unknown = [name for name in header if name not in COLUMNS]
    twice = sorted({name for name in header if header.count(name) > 1})
    if missing or unknown or twice or not header:
        faults = [
            f"{what}: {', '.join(names)}"
            for what, names in (("missing", missing), ("unknown", unknown), ("twice", twice))
            if names
        ]
        message = f"the header must name the columns {','.join(COLUMNS)} ({'; '.join(faults)})"
        return None, [Finding(origin, 1, "", message)]
    findings: list[Finding] = []
    members: dict[str, _Member] = {}
    line = 1
    for row in reader:
        start_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, (cell.strip() for cell in row), strict=False))
        member_id = values.get("member_id", "")
        member = members.get(member_id)
        if member_id and member is None:
            member = members[member_id] = _Member(start_line, values)
        problems = _problems(values, len(row), len(header))
        if not problems and member is not None and member.ok and member.first is not values:
            problems = [
                (name, f"{values[name]!r} here but {member.first[name]!r} on line {member.line}")
                for name in MEMBER_COLUMNS
                if values[name] != member.first[name]
            ]
        for column, message in problems:
            tail = SKIPPED if member is not None else "; row skipped"
            findings.append(Finding(origin, start_line, column, message + tail))
        if member is None or problems:
            if member is not None:
                member.ok = False
            continue
        election = _election(values)
        if any(
            (e.coverage, e.start) == (election.coverage, election.start) for e in member.elections
        ):
            message = f"{election.coverage} from {election.start} is listed twice for {member_id}"
            findings.append(Finding(origin, start_line, "coverage", message + SKIPPED))
            member.ok = False
        member.elections.append(election)
    records = tuple(
        _record(origin, member_id, member) for member_id, member in members.items() if member.ok
    )
    if not members:
        return None, [*findings, Finding(origin, line, "", "the census lists no members")]
    reference = hashlib.sha256(data).hexdigest()
    return EnrolmentBatch(origin, sponsor, file_date, reference, "audit", records), findings


def _problems(values: dict[str, str], fields: int, columns: int) -> list[tuple[str, str]]:
    """(column, message) for every bad value of one row."""
    if fields != columns:
        return [("", f"the row has {fields} fields, the header {columns}")]
    problems: list[tuple[str, str]] = []
    for name in COLUMNS:
        value = values[name]
        if not value:
            if name not in OPTIONAL:
                problems.append((name, f"a {name} is required"))
        elif name in CHOICES and value not in CHOICES[name]:
            problems.append((name, f"{value!r} is not one of {', '.join(CHOICES[name])}"))
        elif name in ("birth_date", "start", "end") and parse_iso_date(value) is None:
            problems.append((name, f"{value!r} is not a date (YYYY-MM-DD)"))
    start, end = parse_iso_date(values["start"]), parse_iso_date(values["end"])
    if start and end and end < start:
        problems.append(("end", f"{values['end']} is before the start {values['start']}"))
    subscriber = values["relationship"] == "subscriber"
    if values["member_id"] and values["family_id"] and values["relationship"] in RELATIONSHIPS:
        if subscriber and values["member_id"] != values["family_id"]:
            problems.append(("family_id", "a subscriber's family_id is its own member_id"))
        if not subscriber and values["member_id"] == values["family_id"]:
            problems.append(("member_id", "a dependent's member_id is not its family_id"))
    return problems


def _election(values: dict[str, str]) -> CoverageElection:
    return CoverageElection(
        coverage=COVERAGES[values["coverage"]],
        start=parse_iso_date(values["start"]),
        end=parse_iso_date(values["end"]),
        tier=TIERS[values["tier"]],
        plan_code=values["plan_code"] or None,
        maintenance="audit",
    )


def _record(origin: str, member_id: str, member: _Member) -> MemberRecord:
    first = member.first
    return MemberRecord(
        origin=origin,
        position=member.line,
        maintenance="audit",
        member_id=member_id,
        family_id=first["family_id"],
        relationship=RELATIONSHIPS[first["relationship"]],
        last_name=first["last_name"],
        first_name=first["first_name"],
        birth_date=parse_iso_date(first["birth_date"]),
        gender=first["gender"],
        coverages=tuple(member.elections),
    )
