"""FHIR Patient (C4BB Patient) and Coverage (C4BB Coverage) from members and coverage spans."""

from typing import Any

from openaso.adapters.fhir.values import (
    ACT_CODE,
    COVERAGE_CLASS,
    IDENTIFIER_TYPE,
    MEMBER_ID,
    SUBSCRIBER_RELATIONSHIP,
    coding,
    organization,
    patient_reference,
    profile,
    to_fhir_id,
)
from openaso.core.members import Enrolment
from openaso.services.fhir_records import CoverageRecord, Person

_GENDER = {"M": "male", "F": "female"}
_RELATIONSHIP = {"subscriber": "self", "spouse": "spouse", "child": "child"}
# What a span covers, as an HL7 v3 ActCoverageTypeCode.
_COVERAGE_TYPE = {
    "medical": ("HIP", "health insurance plan policy"),
    "dental": ("DENTAL", "dental care policy"),
    "rx": ("DRUGPOL", "drug policy"),
    "std": ("DIS", "disability insurance policy"),
}


def _member_identifier(member_id: str) -> dict[str, Any]:
    return {
        "type": coding(IDENTIFIER_TYPE, "MB", "Member Number"),
        "system": MEMBER_ID,
        "value": member_id,
    }


def patient(person: Person) -> dict[str, Any]:
    found: dict[str, Any] = {
        "resourceType": "Patient",
        "id": to_fhir_id(person.id),
        "meta": profile("C4BB-Patient"),
        "identifier": [_member_identifier(person.id)],
    }
    name: dict[str, Any] = {}
    if person.last_name:
        name["family"] = person.last_name
    if person.first_name:
        name["given"] = [person.first_name]
    if name:
        found["name"] = [name]
    found["gender"] = _GENDER.get(person.gender or "", "unknown")
    if person.birth_date is not None:
        found["birthDate"] = person.birth_date.isoformat()
    return found


def coverage_id(member_id: str, span: Enrolment) -> str:
    """A span's FHIR id: member, kind and start date (spans are rewritten on every import, so
    their row ids are not stable; these three are, and no two spans share them)."""
    return f"{to_fhir_id(member_id)}-{span.coverage}-{span.start:%Y%m%d}"


def coverage(record: CoverageRecord) -> dict[str, Any]:
    person, span = record.person, record.span
    code, display = _COVERAGE_TYPE[span.coverage]
    period = {"start": span.start.isoformat()}
    if span.end is not None:
        period["end"] = span.end.isoformat()
    classes = [
        {
            "type": coding(COVERAGE_CLASS, "group", "Group"),
            "value": person.sponsor_id,
            "name": record.sponsor_name,
        }
    ]
    classes += [
        {"type": coding(COVERAGE_CLASS, "plan", "Plan"), "value": plan.id, "name": plan.name}
        for plan in record.plans
    ]
    relationship = _RELATIONSHIP.get(person.relationship, "other")
    return {
        "resourceType": "Coverage",
        "id": coverage_id(person.id, span),
        "meta": profile("C4BB-Coverage"),
        "identifier": [_member_identifier(person.id)],
        "status": "active",
        "type": coding(ACT_CODE, code, display),
        "subscriber": patient_reference(record.subscriber_id),
        "subscriberId": record.subscriber_id,
        "beneficiary": patient_reference(person.id),
        "relationship": coding(SUBSCRIBER_RELATIONSHIP, relationship),
        "period": period,
        "payor": [organization(person.sponsor_id, record.sponsor_name)],
        "class": classes,
    }
