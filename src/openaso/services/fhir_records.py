"""What the FHIR read use cases get from storage: members, coverage spans and claims on file."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from openaso.core.members import Enrolment
from openaso.services.ports import ReceivedClaim, StoredLine

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Person:
    """A member as on file (a FHIR Patient)."""

    id: str
    family_id: str
    sponsor_id: str
    relationship: str  # subscriber | spouse | child
    last_name: str | None
    first_name: str | None
    birth_date: date | None
    gender: str | None  # M | F | U as enrolled


@dataclass(frozen=True, slots=True)
class PlanRef:
    """A plan document as it names itself, and the plan year it is in force."""

    id: str
    name: str
    sponsor_id: str
    coverage: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class CoverageRecord:
    """One coverage span of a member (a FHIR Coverage) with what it refers to."""

    person: Person
    subscriber_id: str  # the family's subscriber (the member id itself for a subscriber)
    span: Enrolment
    sponsor_name: str
    plans: tuple[PlanRef, ...]  # the plans of the span's kind in force during the span


@dataclass(frozen=True, slots=True)
class PaymentRecord:
    """What one released payment paid on a claim (cheque number or EFT trace)."""

    number: str
    method: str
    released_on: date
    amount: int


@dataclass(frozen=True, slots=True)
class ClaimRecord:
    """One claim on file with its current decision (a FHIR ExplanationOfBenefit)."""

    seq: int
    id: str
    kind: str  # medical | dental | rx
    status: str  # approved | denied | paid | pended | voided | replaced
    received: date
    claim: ReceivedClaim
    lines: Sequence[StoredLine]  # of the current decision, in line order (traces not read)
    form: str | None  # the 837 it came on: P, I or D (None: not from an 837)
    patient_control: str | None  # 837 CLM01
    diagnoses: tuple[str, ...]  # ICD-10 as stored (no decimal point), principal first
    provider_name: str | None
    sponsor_id: str
    sponsor_name: str
    coverage_id: str | None  # the FHIR id of the span covering the first date of service
    payments: tuple[PaymentRecord, ...]


@dataclass(frozen=True, slots=True)
class PageRequest:
    """At most `count` matches in key order, after or before a key that a cursor carried."""

    count: int
    after: tuple[object, ...] | None = None
    before: tuple[object, ...] | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    keys: tuple[tuple[object, ...], ...]  # each item's key, for the cursors of the next pages
    total: int
    more_before: bool
    more_after: bool
