"""FHIR builders: every resource validates as R4 (fhir.resources R4B) and says what is on file."""

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from fhir.resources.R4B.coverage import Coverage
from fhir.resources.R4B.explanationofbenefit import ExplanationOfBenefit
from fhir.resources.R4B.patient import Patient

from openaso.adapters.db.claims_rows import LineRow
from openaso.adapters.fhir.eob import explanation_of_benefit, icd10
from openaso.adapters.fhir.people import coverage, patient
from openaso.adapters.fhir.values import dumps, from_fhir_id, money, to_fhir_id
from openaso.core.claims import Claim, Fill, ServiceLine
from openaso.core.members import Enrolment
from openaso.services.fhir_records import (
    ClaimRecord,
    CoverageRecord,
    PaymentRecord,
    Person,
    PlanRef,
)

DAY = date(2026, 3, 2)
NPI = "1234567893"
SUBSCRIBER = Person("E1", "F1", "acme", "subscriber", "Doe", "John", date(1980, 1, 2), "M")
CHILD = Person("E1-03", "F1", "acme", "child", "Doe", "Mia", date(2015, 6, 1), None)
PPO = PlanRef("acme-ppo-2026", "Acme PPO", "acme", "medical", date(2026, 1, 1), date(2026, 12, 31))


def valid(model: Any, resource: dict[str, Any]) -> dict[str, Any]:
    """The resource as a client reads it (through FHIR JSON), after fhir.resources accepts it."""
    parsed: dict[str, Any] = json.loads(dumps(resource))
    model.model_validate(parsed)
    return parsed


def record(**changes: Any) -> ClaimRecord:
    """An approved office visit and a knee arthroscopy, paid by one cheque."""
    lines = (ServiceLine(1, "99213", DAY, 15_000), ServiceLine(2, "29881", DAY, 600_000, ("RT",)))
    decided = (
        LineRow(
            1, "approved", 9_500, 7_000, [("CO", "45", 5_500), ("PR", "3", 2_500)], [], None, []
        ),
        LineRow(
            2,
            "approved",
            500_000,
            280_000,
            [("CO", "45", 100_000), ("PR", "1", 150_000), ("PR", "2", 70_000)],
            [],
            None,
            [],
        ),
    )
    base = ClaimRecord(
        seq=7,
        id="C1",
        kind="medical",
        status="paid",
        received=date(2026, 3, 10),
        claim=Claim("C1", "E1", date(2026, 3, 10), "in", NPI, lines),
        lines=decided,
        form="P",
        patient_control="PCN-1",
        diagnoses=("M2351", "E119"),
        provider_name="Lakeside Clinic",
        sponsor_id="acme",
        sponsor_name="Acme Corp",
        coverage_id="E1-medical-20260101",
        payments=(PaymentRecord("00000001", "cheque", date(2026, 4, 15), 287_000),),
    )
    return replace(base, **changes)


def amounts(item: dict[str, Any]) -> dict[str, Decimal]:
    return {
        a["category"]["coding"][0]["code"]: Decimal(str(a["amount"]["value"]))
        for a in item["adjudication"]
        if "amount" in a and a["category"]["coding"][0]["code"] != "denialreason"
    }


def test_a_professional_claim_is_a_carin_professional_eob_with_every_amount() -> None:
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(record()))
    assert eob["meta"]["profile"][0].endswith("C4BB-ExplanationOfBenefit-Professional-NonClinician")
    assert (eob["type"]["coding"][0]["code"], eob["use"], eob["outcome"]) == (
        "professional",
        "claim",
        "complete",
    )
    assert eob["identifier"][0]["value"] == "C1"
    assert eob["patient"] == {"reference": "Patient/E1"}
    assert eob["insurance"] == [
        {"focal": True, "coverage": {"reference": "Coverage/E1-medical-20260101"}}
    ]
    assert eob["billablePeriod"] == {"start": "2026-03-02", "end": "2026-03-02"}
    assert amounts(eob["item"][1]) == {
        "submitted": Decimal("6000.00"),
        "eligible": Decimal("5000.00"),
        "benefit": Decimal("2800.00"),
        "paidtoprovider": Decimal("2800.00"),
        "copay": Decimal("0.00"),
        "deductible": Decimal("1500.00"),
        "coinsurance": Decimal("700.00"),
        "noncovered": Decimal("0.00"),
        "discount": Decimal("1000.00"),
        "memberliability": Decimal("2200.00"),
    }
    assert eob["item"][1]["modifier"][0]["coding"][0]["code"] == "RT"
    assert eob["payment"]["amount"] == {"value": 2870.0, "currency": "USD"}
    assert eob["payment"]["type"]["coding"][0]["code"] == "complete"
    assert [d["diagnosisCodeableConcept"]["coding"][0]["code"] for d in eob["diagnosis"]] == [
        "M23.51",
        "E11.9",
    ]
    totals = {t["category"]["coding"][0]["code"]: t["amount"]["value"] for t in eob["total"]}
    assert totals["submitted"] == 6150.0
    assert totals["benefit"] == 2870.0


def test_money_is_written_with_exactly_two_decimal_places() -> None:
    text = dumps(explanation_of_benefit(record()))
    assert '"value":6000.00,"currency":"USD"' in text
    assert '"value":0.00,' in text
    assert money(-5) == {"value": Decimal("-0.05"), "currency": "USD"}


def test_an_837i_claim_is_an_outpatient_institutional_eob() -> None:
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(record(form="I")))
    assert eob["meta"]["profile"][0].endswith("C4BB-ExplanationOfBenefit-Outpatient-Institutional")
    assert eob["type"]["coding"][0]["code"] == "institutional"
    assert eob["subType"]["coding"][0]["code"] == "outpatient"
    assert eob["adjudication"][0]["reason"]["coding"][0]["code"] == "innetwork"
    assert eob["diagnosis"][1]["type"][0]["coding"][0]["code"] == "other"


def test_a_dental_claim_is_an_oral_eob_with_cdt_codes() -> None:
    lines = (ServiceLine(1, "D0120", DAY, 8_000),)
    decided = (LineRow(1, "approved", 6_000, 6_000, [("CO", "45", 2_000)], [], None, []),)
    dental = record(
        kind="dental",
        form="D",
        lines=decided,
        payments=(),
        diagnoses=(),
        claim=Claim("D1", "E1", DAY, "in", NPI, lines, "dental"),
    )
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(dental))
    assert eob["meta"]["profile"][0].endswith("C4BB-ExplanationOfBenefit-Oral")
    assert eob["item"][0]["productOrService"]["coding"][0]["system"] == "http://www.ada.org/cdt"
    assert "payment" not in eob
    assert "diagnosis" not in eob


def test_a_denied_line_gives_its_carc_as_the_denial_reason() -> None:
    decided = (
        LineRow(1, "denied", 0, 0, [("CO", "27", 15_000)], [], None, []),
        LineRow(2, "denied", 0, 0, [("CO", "27", 600_000)], [], None, []),
    )
    eob = valid(
        ExplanationOfBenefit,
        explanation_of_benefit(record(status="denied", lines=decided, payments=())),
    )
    reasons = [
        a
        for a in eob["item"][0]["adjudication"]
        if a["category"]["coding"][0]["code"] == "denialreason"
    ]
    assert reasons[0]["reason"]["coding"][0] == {
        "system": "https://x12.org/codes/claim-adjustment-reason-codes",
        "code": "27",
    }
    assert amounts(eob["item"][0])["noncovered"] == Decimal("150.00")
    assert amounts(eob["item"][0])["benefit"] == Decimal("0.00")


def test_a_pended_claim_is_partial_and_shows_only_what_was_submitted() -> None:
    decided = (
        LineRow(1, "pended", 0, 0, [], [], None, []),
        LineRow(2, "pended", 0, 0, [], [], None, []),
    )
    eob = valid(
        ExplanationOfBenefit,
        explanation_of_benefit(record(status="pended", lines=decided, payments=())),
    )
    assert eob["outcome"] == "partial"
    assert amounts(eob["item"][0]) == {"submitted": Decimal("150.00")}
    assert [t["category"]["coding"][0]["code"] for t in eob["total"]] == ["submitted"]


def test_a_voided_claim_is_a_cancelled_eob() -> None:
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(record(status="voided")))
    assert eob["status"] == "cancelled"


def test_a_pharmacy_fill_is_a_pharmacy_eob_with_its_ndc_and_days_supply() -> None:
    fill = Fill("RX1", "E1", "00093015001", DAY, 30, 60, 1_200, 200)
    decided = (LineRow(1, "approved", 1_400, 400, [("PR", "3", 1_000)], [], None, []),)
    eob = valid(
        ExplanationOfBenefit,
        explanation_of_benefit(
            record(kind="rx", form=None, claim=fill, lines=decided, diagnoses=(), payments=())
        ),
    )
    assert eob["meta"]["profile"][0].endswith("C4BB-ExplanationOfBenefit-Pharmacy")
    assert eob["item"][0]["productOrService"]["coding"][0] == {
        "system": "http://hl7.org/fhir/sid/ndc",
        "code": "00093015001",
    }
    assert eob["supportingInfo"][1]["valueQuantity"] == {"value": 30}
    assert amounts(eob["item"][0])["submitted"] == Decimal("14.00")
    assert eob["provider"] == {"display": "dispensing pharmacy (not on file)"}


def test_a_claim_with_no_coverage_on_file_names_that_in_its_insurance() -> None:
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(record(coverage_id=None)))
    assert "no medical coverage" in eob["insurance"][0]["coverage"]["display"]


def test_a_patient_has_member_id_name_gender_and_birth_date() -> None:
    found = valid(Patient, patient(SUBSCRIBER))
    assert found["identifier"][0]["value"] == "E1"
    assert found["name"] == [{"family": "Doe", "given": ["John"]}]
    assert (found["gender"], found["birthDate"]) == ("male", "1980-01-02")
    assert valid(Patient, patient(CHILD))["gender"] == "unknown"


def test_a_dependents_terminated_coverage_names_subscriber_relationship_and_period() -> None:
    span = Enrolment("E1-03", "medical", date(2026, 1, 1), date(2026, 2, 28))
    found = valid(Coverage, coverage(CoverageRecord(CHILD, "E1", span, "Acme Corp", (PPO,))))
    assert found["id"] == "E1-03-medical-20260101"
    assert found["subscriber"] == {"reference": "Patient/E1"}
    assert found["beneficiary"] == {"reference": "Patient/E1-03"}
    assert found["subscriberId"] == "E1"
    assert found["relationship"]["coding"][0]["code"] == "child"
    assert found["period"] == {"start": "2026-01-01", "end": "2026-02-28"}
    classes = {c["type"]["coding"][0]["code"]: (c["value"], c["name"]) for c in found["class"]}
    assert classes == {"group": ("acme", "Acme Corp"), "plan": ("acme-ppo-2026", "Acme PPO")}
    assert found["payor"][0]["display"] == "Acme Corp"


@pytest.mark.parametrize("text", ["A100", "a.b", "x_y z", "é-1", "..", "CL-1002"])
def test_an_id_on_file_comes_back_from_its_fhir_id(text: str) -> None:
    fhir_id = to_fhir_id(text)
    assert all((c.isalnum() and c.isascii()) or c in ".-" for c in fhir_id)
    assert from_fhir_id(fhir_id) == text


def test_a_fhir_id_this_server_did_not_give_out_is_refused() -> None:
    with pytest.raises(ValueError, match="not an id"):
        from_fhir_id("a.2")


def test_icd10_codes_get_their_decimal_point() -> None:
    assert (icd10("E119"), icd10("I10"), icd10("S72001A")) == ("E11.9", "I10", "S72.001A")


def test_a_claim_for_a_member_not_on_file_still_validates() -> None:
    denied = (LineRow(1, "denied", 0, 0, [("CO", "31", 15_000)], [], None, []),)
    unknown = record(
        sponsor_id="",
        sponsor_name="",
        coverage_id=None,
        payments=(),
        lines=denied,
        claim=Claim("C5", "Z9", DAY, "in", NPI, (ServiceLine(1, "99213", DAY, 15_000),)),
    )
    eob = valid(ExplanationOfBenefit, explanation_of_benefit(unknown))
    assert "not enrolled" in eob["insurer"]["display"]
