"""FHIR value helpers: code systems, Money from cents, resource ids, references, JSON output.

Money leaves as `Decimal` with exactly two places (`Decimal(1205).scaleb(-2)` is 12.05), never a
float; `dumps` writes those Decimals as JSON numbers digit for digit (`12.05`, `100.00`).
"""

import json
import re
import secrets
from decimal import Decimal
from typing import Any

# Code systems (HL7 terminology, CARIN Blue Button STU 2, US identifiers and code sets).
ADJUDICATION = "http://terminology.hl7.org/CodeSystem/adjudication"
C4BB = "http://hl7.org/fhir/us/carin-bb/CodeSystem"
C4BB_ADJUDICATION = f"{C4BB}/C4BBAdjudication"
C4BB_DISCRIMINATOR = f"{C4BB}/C4BBAdjudicationDiscriminator"
C4BB_PAYER_STATUS = f"{C4BB}/C4BBPayerAdjudicationStatus"
C4BB_IDENTIFIER_TYPE = f"{C4BB}/C4BBIdentifierType"
C4BB_SUPPORTING_INFO = f"{C4BB}/C4BBSupportingInfoType"
C4BB_DIAGNOSIS_TYPE = f"{C4BB}/C4BBClaimDiagnosisType"
C4BB_INSTITUTIONAL_SUBTYPE = f"{C4BB}/C4BBInstitutionalClaimSubType"
CLAIM_TYPE = "http://terminology.hl7.org/CodeSystem/claim-type"
PAYMENT_TYPE = "http://terminology.hl7.org/CodeSystem/ex-paymenttype"
COVERAGE_CLASS = "http://terminology.hl7.org/CodeSystem/coverage-class"
SUBSCRIBER_RELATIONSHIP = "http://terminology.hl7.org/CodeSystem/subscriber-relationship"
ACT_CODE = "http://terminology.hl7.org/v3/ActCode"
IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
CARC = "https://x12.org/codes/claim-adjustment-reason-codes"
RARC = "https://x12.org/codes/remittance-advice-remark-codes"
NPI = "http://hl7.org/fhir/sid/us-npi"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://bluebutton.cms.gov/resources/codesystem/hcpcs"
CDT = "http://www.ada.org/cdt"
NDC = "http://hl7.org/fhir/sid/ndc"
# Identifier systems of this administrator (URNs: no web address is claimed for them).
MEMBER_ID = "urn:openaso:member-id"
CLAIM_ID = "urn:openaso:claim-id"
PATIENT_CONTROL = "urn:openaso:patient-control-number"
SPONSOR_ID = "urn:openaso:sponsor-id"
PAYMENT_NUMBER = "urn:openaso:payment-number"

PROFILE = "http://hl7.org/fhir/us/carin-bb/StructureDefinition"
CURRENCY = "USD"


def money(cents: int) -> dict[str, Any]:
    """A FHIR Money of `cents`: a Decimal with exactly two places, in US dollars."""
    return {"value": Decimal(cents).scaleb(-2), "currency": CURRENCY}


def coding(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    found = {"system": system, "code": code}
    if display is not None:
        found["display"] = display
    return {"coding": [found]}


def profile(name: str) -> dict[str, Any]:
    return {"profile": [f"{PROFILE}/{name}"]}


# A FHIR id is [A-Za-z0-9.-]{1,64}. Ids on file may hold any character, so '.' escapes: any
# other character becomes '.' and two hex digits per UTF-8 byte ('.' itself is '.2E').
_PLAIN = re.compile(r"[A-Za-z0-9-]+")
_ESCAPED = re.compile(r"((?:\.[0-9A-F]{2})+)")


def to_fhir_id(text: str) -> str:
    if _PLAIN.fullmatch(text):
        return text
    return "".join(
        c if _PLAIN.fullmatch(c) else "".join(f".{b:02X}" for b in c.encode()) for c in text
    )


def from_fhir_id(fhir_id: str) -> str:
    """The id on file for a FHIR id made by `to_fhir_id`; ValueError if it cannot be one."""
    if _PLAIN.fullmatch(fhir_id):
        return fhir_id
    parts = _ESCAPED.split(fhir_id)
    text = "".join(
        bytes.fromhex(p.replace(".", "")).decode() if i % 2 else p for i, p in enumerate(parts)
    )
    if "." in text.replace(".", "") or to_fhir_id(text) != fhir_id:
        raise ValueError(f"{fhir_id!r} is not an id this server gives out")
    return text


def patient_reference(member_id: str) -> dict[str, str]:
    return {"reference": f"Patient/{to_fhir_id(member_id)}"}


def organization(sponsor_id: str, name: str) -> dict[str, Any]:
    """The self-funded plan's sponsor, as a logical reference (no Organization is served)."""
    return {"identifier": {"system": SPONSOR_ID, "value": sponsor_id}, "display": name}


def practitioner(npi: str, name: str | None) -> dict[str, Any]:
    found: dict[str, Any] = {"identifier": {"system": NPI, "value": npi}}
    if name:
        found["display"] = name
    return found


# Decimals pass json.dumps as marked strings, then lose their quotes; the mark holds a random
# token drawn once per process, so no string in the data can pass for one.
_MARK = f"dec{secrets.token_hex(8)}:"
_MARKED = re.compile(f'"{_MARK}(-?[0-9]+\\.[0-9]+)"')


def _marked(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{_MARK}{value}"
    raise TypeError(f"cannot write {type(value).__name__} as FHIR JSON")


def dumps(resource: dict[str, Any]) -> str:
    """A resource (or Bundle) as FHIR JSON; dates as ISO strings, money Decimals as numbers."""
    text = json.dumps(resource, default=_marked, separators=(",", ":"), ensure_ascii=False)
    return _MARKED.sub(r"\1", text)
