"""Enrolment as it arrives (834 or CSV census): member records and their coverage elections.

Readers turn files into these values and a list of findings; the enrolment service applies
them to the members and coverage spans on file.
"""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from openaso.core.members import Relationship, TierCode
from openaso.core.plan import Coverage

Maintenance = Literal["add", "change", "terminate", "reinstate", "audit"]


@dataclass(frozen=True, slots=True)
class CoverageElection:
    """One coverage line (834 loop 2300 HD, or one CSV row): a kind of coverage from a date."""

    coverage: Coverage
    start: date | None  # DTP*348 benefit begin
    end: date | None = None  # DTP*349 benefit end (inclusive)
    tier: TierCode | None = None  # HD05; None: the family's subscriber's tier
    plan_code: str | None = None  # HD04: picks among several plans of one kind
    maintenance: Maintenance = "add"  # HD01


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """One member in an enrolment file (834 loop 2000 INS, or CSV rows of one member)."""

    origin: str  # the file
    position: int  # 834: segment number of the INS counted from ISA = 1; CSV: first line
    maintenance: Maintenance  # INS03: 001 change, 021 add, 024 terminate, 025 reinstate, 030 audit
    member_id: str
    family_id: str  # the subscriber's identifier
    relationship: Relationship  # INS02: 18 self, 01 spouse, 19 child, ...
    last_name: str
    first_name: str
    birth_date: date | None = None  # DMG02
    gender: str | None = None  # DMG03: M, F, U
    reason: str | None = None  # INS04 maintenance reason
    eligibility_start: date | None = None  # DTP*356
    eligibility_end: date | None = None  # DTP*357
    coverages: tuple[CoverageElection, ...] = ()

    @property
    def where(self) -> str:
        unit = "line" if self.origin.endswith(".csv") else "segment"
        return f"{self.origin}:{unit} {self.position}"


@dataclass(frozen=True, slots=True)
class EnrolmentBatch:
    """One 834 transaction set (ST..SE) or one CSV census."""

    origin: str
    sponsor: str  # N1*P5: the identifier (N104) or else the name (N102)
    file_date: date  # BGN03
    reference: str  # BGN02 (CSV: the file's content hash)
    action: str  # BGN08: 2 change, 4 verify, RX replace (CSV: "audit")
    records: tuple[MemberRecord, ...]
