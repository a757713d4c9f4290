"""FHIR ExplanationOfBenefit in the CARIN Blue Button shape, from a claim and its decision.

The profile follows the claim: an 837I claim is Outpatient Institutional (the bill type that
would tell inpatient is not kept), dental is Oral, a fill is Pharmacy, the rest Professional.
"""

from typing import Any

from openaso.adapters.fhir.adjudication import LineAmounts, adjudication, line_amounts, totals
from openaso.adapters.fhir.values import (
    C4BB_DIAGNOSIS_TYPE,
    C4BB_DISCRIMINATOR,
    C4BB_IDENTIFIER_TYPE,
    C4BB_INSTITUTIONAL_SUBTYPE,
    C4BB_PAYER_STATUS,
    C4BB_SUPPORTING_INFO,
    CARC,
    CDT,
    CLAIM_ID,
    CLAIM_TYPE,
    CPT,
    HCPCS,
    ICD10_CM,
    NDC,
    PAYMENT_NUMBER,
    PAYMENT_TYPE,
    coding,
    money,
    organization,
    patient_reference,
    practitioner,
    profile,
    to_fhir_id,
)
from openaso.core.claims import Claim, Fill
from openaso.services.fhir_records import ClaimRecord

_COST_SHARE_CARCS = frozenset({"1", "2", "3", "45"})


def claim_shape(record: ClaimRecord) -> tuple[str, str]:
    """(CARIN profile, claim type) of a claim."""
    if record.kind == "rx":
        return "C4BB-ExplanationOfBenefit-Pharmacy", "pharmacy"
    if record.kind == "dental":
        return "C4BB-ExplanationOfBenefit-Oral", "oral"
    if record.form == "I":
        return "C4BB-ExplanationOfBenefit-Outpatient-Institutional", "institutional"
    return "C4BB-ExplanationOfBenefit-Professional-NonClinician", "professional"


def service_code(code: str, kind: str) -> dict[str, Any]:
    if kind == "dental" or (code[:1] == "D" and code[1:].isdigit()):
        system = CDT
    elif code[:1].isdigit():
        system = CPT
    else:
        system = HCPCS
    return coding(system, code)


def icd10(code: str) -> str:
    """ICD-10-CM as FHIR writes it: the decimal point after the category (E119 → E11.9)."""
    return f"{code[:3]}.{code[3:]}" if len(code) > 3 and "." not in code else code


def explanation_of_benefit(record: ClaimRecord) -> dict[str, Any]:
    claim = record.claim
    name, claim_type = claim_shape(record)
    items, amounts, days = _items(record)
    network = claim.network if isinstance(claim, Claim) else None
    eob: dict[str, Any] = {
        "resourceType": "ExplanationOfBenefit",
        "id": to_fhir_id(record.id),
        "meta": profile(name),
        "identifier": [
            {
                "type": coding(C4BB_IDENTIFIER_TYPE, "uc", "Unique Claim ID"),
                "system": CLAIM_ID,
                "value": record.id,
            }
        ],
        "status": "cancelled" if record.status in ("voided", "replaced") else "active",
        "type": coding(CLAIM_TYPE, claim_type),
        "use": "claim",
        "patient": patient_reference(claim.member_id),
        "billablePeriod": {"start": min(days), "end": max(days)},
        "created": record.received.isoformat(),
        "insurer": organization(record.sponsor_id, record.sponsor_name)
        if record.sponsor_id
        else {"display": "no plan sponsor on file: the member is not enrolled"},
        "provider": _provider(record),
        "outcome": "partial" if record.status == "pended" else "complete",
        "supportingInfo": [
            {
                "sequence": 1,
                "category": coding(C4BB_SUPPORTING_INFO, "clmrecvddate"),
                "timingDate": record.received.isoformat(),
            }
        ],
        "insurance": [{"focal": True, "coverage": _coverage(record)}],
        "item": items,
        "total": [adjudication(c, cents) for c, cents in totals(amounts)],
    }
    if claim_type == "institutional":
        eob["subType"] = coding(C4BB_INSTITUTIONAL_SUBTYPE, "outpatient")
        if network is not None:
            eob["adjudication"] = [_network(network)]
    if isinstance(claim, Fill):
        eob["supportingInfo"].append(
            {
                "sequence": 2,
                "category": coding(C4BB_SUPPORTING_INFO, "dayssupply"),
                "valueQuantity": {"value": claim.days_supply},
            }
        )
    if record.diagnoses:
        eob["diagnosis"] = _diagnoses(record, claim_type)
    payment = _payment(record, sum(a.benefit for a in amounts))
    if payment:
        eob["payment"] = payment
    return eob


def _items(record: ClaimRecord) -> tuple[list[dict[str, Any]], list[LineAmounts], list[str]]:
    claim, items, amounts, days = record.claim, [], [], []
    services = {s.number: s for s in claim.lines} if isinstance(claim, Claim) else {}
    for stored in record.lines:
        adjustments = stored.adjustments
        item: dict[str, Any] = {"sequence": stored.number}
        if isinstance(claim, Fill):
            day = claim.fill_date.isoformat()
            submitted = stored.plan_paid + sum(a for _, _, a in adjustments)
            item["productOrService"] = coding(NDC, claim.ndc)
            item["quantity"] = {"value": claim.quantity}
        else:
            service = services[stored.number]
            day, submitted = service.service_date.isoformat(), service.billed
            item["productOrService"] = service_code(service.code, record.kind)
            if service.modifiers:
                item["modifier"] = [service_code(m, "medical") for m in service.modifiers]
            item["quantity"] = {"value": service.units}
        item["servicedDate"] = day
        split = line_amounts(
            submitted, stored.status, stored.allowed, stored.plan_paid, adjustments
        )
        found = [adjudication(c, cents) for c, cents in split.categories()]
        found += [
            {
                "category": coding(C4BB_DISCRIMINATOR, "denialreason"),
                "reason": coding(CARC, carc),
                "amount": money(cents),
            }
            for _, carc, cents in adjustments
            if carc not in _COST_SHARE_CARCS
        ]
        if isinstance(claim, Claim) and record.form != "I":
            found.append(_network(claim.network))
        item["adjudication"] = found
        items.append(item)
        amounts.append(split)
        days.append(day)
    if not days:  # a claim decided with no lines on file: its received date stands for it
        days.append(record.received.isoformat())
    return items, amounts, days


def _network(network: str) -> dict[str, Any]:
    code = "innetwork" if network == "in" else "outofnetwork"
    return {
        "category": coding(C4BB_DISCRIMINATOR, "benefitpaymentstatus"),
        "reason": coding(C4BB_PAYER_STATUS, code),
    }


def _provider(record: ClaimRecord) -> dict[str, Any]:
    claim = record.claim
    if isinstance(claim, Claim):
        return practitioner(claim.provider, record.provider_name)
    return {"display": "dispensing pharmacy (not on file)"}


def _coverage(record: ClaimRecord) -> dict[str, Any]:
    if record.coverage_id is None:
        return {"display": f"no {record.kind} coverage on file for the date of service"}
    return {"reference": f"Coverage/{record.coverage_id}"}


def _diagnoses(record: ClaimRecord, claim_type: str) -> list[dict[str, Any]]:
    other = "other" if claim_type == "institutional" else "secondary"
    return [
        {
            "sequence": n,
            "diagnosisCodeableConcept": coding(ICD10_CM, icd10(code)),
            "type": [coding(C4BB_DIAGNOSIS_TYPE, "principal" if n == 1 else other)],
        }
        for n, code in enumerate(record.diagnoses, start=1)
    ]


def _payment(record: ClaimRecord, benefit: int) -> dict[str, Any] | None:
    """What released payments paid on the claim (a recovery is a negative amount); none yet,
    or only the zero rows of a denial reported on an 835: no payment element."""
    made = [p for p in record.payments if p.amount]
    if not made:
        return None
    paid = sum(p.amount for p in made)
    last = max(made, key=lambda p: (p.released_on, p.number))
    return {
        "type": coding(PAYMENT_TYPE, "complete" if paid == benefit else "partial"),
        "date": last.released_on.isoformat(),
        "amount": money(paid),
        "identifier": {"system": PAYMENT_NUMBER, "value": last.number},
    }
