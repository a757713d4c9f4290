"""FHIR reads through the real services on both databases: search, paging, dates, access, audit."""

import json
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fhir.resources.R4B.bundle import Bundle
from sqlalchemy import create_engine, select, text

from openaso.adapters.db.tables import audit_log
from openaso.adapters.fhir.values import dumps
from openaso.core.members import Enrolment, Member
from openaso.services import fhir
from openaso.services.access import AccessDeniedError, Principal, Role
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.payments import pay_run, set_claims_float
from openaso.services.ports import UnitOfWork
from tests.conftest import BACKENDS, POSTGRES_URL
from tests.integration.books import AT, claim, open_book

Book = Callable[[], UnitOfWork]
BASE = "https://plan.example/fhir"
EXAMINER = Principal("ann", Role.EXAMINER)
FAMILY = [
    Member("E1", "F1", "subscriber", "FAM", "acme"),
    Member("E1-02", "F1", "spouse", "FAM", "acme"),
    Member("E1-03", "F1", "child", "FAM", "acme"),
]


@pytest.fixture(scope="module", params=BACKENDS)
def fhir_database(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """One database per backend for the whole module: the tests only read the book (their
    audit rows are told apart by who read), so it is built twice, not once per test."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('fhir')}/test.db"
        return
    if not POSTGRES_URL:
        pytest.skip("OPENASO_TEST_POSTGRES_URL is not set")
    name = f"openaso_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield POSTGRES_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def book(fhir_database: str) -> Book:
    """A family on acme-ppo-2026 whose child's coverage ended 2026-02-28: a paid surgery (C0),
    the spouse's visit (C1), the child's visit after the end (C2, denied), a pended MRI (C3)."""
    new_uow = open_book(fhir_database, FAMILY)
    with new_uow() as uow:
        names = [("Doe", "John", "M"), ("Doe", "Zoë", "F"), ("Doe", "Mia", None)]
        for member, (last, first, gender) in zip(FAMILY, names, strict=True):
            born = date(1980, 1, 2) if member.relationship != "child" else date(2015, 6, 1)
            uow.members.save(
                member,
                {"last_name": last, "first_name": first, "birth_date": born, "gender": gender},
            )
        uow.members.replace_enrolments(
            "E1-03", [Enrolment("E1-03", "medical", date(2026, 1, 1), date(2026, 2, 28))]
        )
        uow.providers.upsert("1234567893", None, "Lakeside Clinic", "in")
        uow.commit()
    receive_claims(
        new_uow(),
        [
            claim("C0", "E1", "29881", 600_000, date(2026, 3, 2)),
            claim("C1", "E1-02", "99213", 15_000, date(2026, 1, 15)),
            claim("C2", "E1-03", "99213", 15_000, date(2026, 3, 5)),
            claim("C3", "E1", "70553", 300_000, date(2026, 2, 10)),
        ],
    )
    adjudicate_waiting(new_uow)
    set_claims_float(new_uow(), "acme", 10_000_000, date(2026, 4, 1))
    pay_run(new_uow(), "acme", date(2026, 4, 15), actor="payer", at=AT)
    return new_uow


def search(book: Book, kind: str, query: str, who: Principal = EXAMINER) -> fhir.FhirResponse:
    params = parse_qsl(query, keep_blank_values=True)
    use = {
        "Patient": fhir.search_patients,
        "Coverage": fhir.search_coverage,
        "ExplanationOfBenefit": fhir.search_explanations_of_benefit,
    }[kind]
    return use(book(), who, params, BASE, AT)


def bundle(book: Book, kind: str, query: str) -> dict[str, Any]:
    """A searchset as a client gets it, after fhir.resources accepts it as R4."""
    response = search(book, kind, query)
    assert response.status == 200, response.resource
    found: dict[str, Any] = json.loads(dumps(response.resource))
    Bundle.model_validate(found)
    return found


def ids(found: dict[str, Any]) -> list[str]:
    return [e["resource"]["id"] for e in found["entry"]]


def link(found: dict[str, Any], relation: str) -> str | None:
    return next((x["url"] for x in found["link"] if x["relation"] == relation), None)


def test_every_resource_on_file_validates_as_fhir_r4(book: Book) -> None:
    assert ids(bundle(book, "Patient", "")) == ["E1", "E1-02", "E1-03"]
    assert len(bundle(book, "Coverage", "")["entry"]) == 3
    assert ids(bundle(book, "ExplanationOfBenefit", "")) == ["C0", "C1", "C2", "C3"]


def test_explanations_of_benefit_are_searched_by_patient(book: Book) -> None:
    assert ids(bundle(book, "ExplanationOfBenefit", "patient=E1")) == ["C0", "C3"]
    assert ids(bundle(book, "ExplanationOfBenefit", "patient=Patient/E1-02")) == ["C1"]
    assert bundle(book, "ExplanationOfBenefit", "patient=E1")["total"] == 2


def test_explanations_of_benefit_are_searched_by_service_date(book: Book) -> None:
    march = "service-date=ge2026-03-01&service-date=le2026-03-31"
    assert ids(bundle(book, "ExplanationOfBenefit", march)) == ["C0", "C2"]
    assert ids(bundle(book, "ExplanationOfBenefit", "service-date=lt2026-02-10")) == ["C1"]
    assert ids(bundle(book, "ExplanationOfBenefit", "service-date=2026-02-10")) == ["C3"]
    both = "patient=E1&service-date=gt2026-02-10"
    assert ids(bundle(book, "ExplanationOfBenefit", both)) == ["C0"]


def test_pages_follow_next_and_previous_links_with_the_total_on_each(book: Book) -> None:
    page = bundle(book, "ExplanationOfBenefit", "_count=1")
    seen, pages = ids(page), [page]
    assert link(page, "previous") is None
    while (url := link(page, "next")) is not None:
        assert url.startswith(f"{BASE}/ExplanationOfBenefit?")
        page = bundle(book, "ExplanationOfBenefit", urlsplit(url).query)
        pages.append(page)
        seen += ids(page)
    assert seen == ["C0", "C1", "C2", "C3"]
    assert {p["total"] for p in pages} == {4}
    back = link(pages[-1], "previous")
    assert back is not None
    earlier = bundle(book, "ExplanationOfBenefit", urlsplit(back).query)
    assert ids(earlier) == ["C2"]
    assert link(earlier, "next") is not None


def test_a_paid_claim_shows_its_payment_and_a_denied_one_its_reason(book: Book) -> None:
    paid = fhir.read_explanation_of_benefit(book(), EXAMINER, "C0", AT)
    assert paid.status == 200
    assert paid.resource["payment"]["identifier"]["value"] == "00000001"
    assert paid.resource["insurance"][0]["coverage"] == {
        "reference": "Coverage/E1-medical-20260101"
    }
    denied = fhir.read_explanation_of_benefit(book(), EXAMINER, "C2", AT).resource
    reasons = [
        a["reason"]["coding"][0]["code"]
        for a in denied["item"][0]["adjudication"]
        if a["category"]["coding"][0]["code"] == "denialreason"
    ]
    assert reasons == ["27"]
    assert "payment" not in denied
    pended = fhir.read_explanation_of_benefit(book(), EXAMINER, "C3", AT).resource
    assert pended["outcome"] == "partial"


def test_a_dependents_terminated_coverage_is_found_by_patient(book: Book) -> None:
    found = bundle(book, "Coverage", "patient=E1-03")
    (span,) = [e["resource"] for e in found["entry"]]
    assert span["period"] == {"start": "2026-01-01", "end": "2026-02-28"}
    assert span["subscriber"] == {"reference": "Patient/E1"}
    assert span["relationship"]["coding"][0]["code"] == "child"
    read = fhir.read_coverage(book(), EXAMINER, span["id"], AT)
    assert (read.status, read.resource["id"]) == (200, "E1-03-medical-20260101")


def test_patients_are_read_by_id_and_searched_by_member_identifier(book: Book) -> None:
    read = fhir.read_patient(book(), EXAMINER, "E1-02", AT)
    assert read.resource["name"] == [{"family": "Doe", "given": ["Zoë"]}]
    assert ids(bundle(book, "Patient", "identifier=urn:openaso:member-id|E1-03")) == ["E1-03"]
    assert ids(bundle(book, "Patient", "identifier=E1,E1-02")) == ["E1", "E1-02"]


@pytest.mark.parametrize(
    ("kind", "fhir_id"),
    [
        ("Patient", "nobody"),
        ("Coverage", "E1-dental-20260101"),
        ("Coverage", "junk"),
        ("ExplanationOfBenefit", "C99"),
        ("ExplanationOfBenefit", "bad.2"),
    ],
)
def test_an_unknown_id_is_a_not_found_outcome(book: Book, kind: str, fhir_id: str) -> None:
    read = {
        "Patient": fhir.read_patient,
        "Coverage": fhir.read_coverage,
        "ExplanationOfBenefit": fhir.read_explanation_of_benefit,
    }[kind]
    found = read(book(), EXAMINER, fhir_id, AT)
    assert found.status == 404
    assert found.resource["resourceType"] == "OperationOutcome"
    assert found.resource["issue"][0]["code"] == "not-found"
    assert fhir_id in found.resource["issue"][0]["diagnostics"]


@pytest.mark.parametrize(
    ("query", "parameter", "expected"),
    [
        ("service-date=2026-13-01", "service-date", "ge2026-01-01"),
        ("service-date=after2026-01-01", "service-date", "prefix"),
        ("_count=0", "_count", "from 1 to 500"),
        ("_page=nonsense", "_page", "next or previous link"),
        ("member=E1", "member", "patient, service-date"),
        ("_lastUpdated=ge2026-01-01", "_lastUpdated", "not supported"),
        ("patient=Group/7", "patient", "Patient/ID"),
    ],
)
def test_a_bad_parameter_is_an_outcome_naming_it_and_what_was_expected(
    book: Book, query: str, parameter: str, expected: str
) -> None:
    found = search(book, "ExplanationOfBenefit", query)
    assert found.status == 400
    (issue,) = found.resource["issue"]
    assert issue["expression"] == [parameter]
    assert expected in issue["diagnostics"]


@pytest.mark.parametrize("role", [Role.SPONSOR, Role.BROKER])
def test_sponsors_and_brokers_are_refused_every_fhir_read(book: Book, role: Role) -> None:
    who = Principal("pat", role, frozenset({"acme"}))
    for kind in ("Patient", "Coverage", "ExplanationOfBenefit"):
        with pytest.raises(AccessDeniedError):
            search(book, kind, "", who)
    for read, fhir_id in (
        (fhir.read_patient, "E1"),
        (fhir.read_coverage, "E1-medical-20260101"),
        (fhir.read_explanation_of_benefit, "C0"),
    ):
        with pytest.raises(AccessDeniedError):
            read(book(), who, fhir_id, AT)


def test_every_resource_disclosed_is_in_the_audit_log(book: Book, fhir_database: str) -> None:
    search(book, "ExplanationOfBenefit", "patient=E1", Principal("amy", Role.EXAMINER))
    fhir.read_patient(book(), Principal("bob", Role.TPA_ADMIN), "E1-02", AT)
    engine = create_engine(fhir_database)
    with engine.connect() as conn:
        rows = conn.execute(
            select(audit_log.c.actor, audit_log.c.action, audit_log.c.entity, audit_log.c.entity_id)
            .where(audit_log.c.actor.in_(["amy", "bob"]))
            .order_by(audit_log.c.id)
        ).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [
        ("amy", "fhir search", "claim", "C0"),
        ("amy", "fhir search", "claim", "C3"),
        ("bob", "fhir read", "member", "E1-02"),
    ]


def test_coverage_pages_run_through_every_span_once(book: Book) -> None:
    page, seen = bundle(book, "Coverage", "_count=2"), []
    seen += ids(page)
    while (url := link(page, "next")) is not None:
        page = bundle(book, "Coverage", urlsplit(url).query)
        seen += ids(page)
    assert seen == ["E1-medical-20260101", "E1-02-medical-20260101", "E1-03-medical-20260101"]
    back = link(page, "previous")
    assert back is not None
    assert ids(bundle(book, "Coverage", urlsplit(back).query)) == seen[:2]
