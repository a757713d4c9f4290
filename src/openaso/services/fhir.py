"""FHIR R4 read and search use cases: Patient, Coverage and ExplanationOfBenefit.

Each use case takes the Principal asking: only PHI roles (tpa_admin, examiner) may read these
resources (AccessDeniedError otherwise), and every resource disclosed is written to the audit
log (who, what, when) in the same transaction. Answers are `FhirResponse`s: a resource, a
searchset Bundle, or an OperationOutcome with the HTTP status that goes with it (400 for a bad
parameter, naming it; 404 for an unknown id).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from openaso.adapters.fhir.bundle import operation_outcome, searchset
from openaso.adapters.fhir.eob import explanation_of_benefit
from openaso.adapters.fhir.people import coverage, patient
from openaso.adapters.fhir.values import from_fhir_id
from openaso.services.access import Principal, require_phi
from openaso.services.fhir_params import Search, SearchError, encode_cursor, parse_search
from openaso.services.fhir_records import Page, PageRequest
from openaso.services.ports import UnitOfWork

Params = Sequence[tuple[str, str]]
# How each kind's page key reads back from a cursor, and how its resources are audited.
_KEY_TYPES: Mapping[str, Sequence[Callable[[str], object]]] = {
    "Patient": (str,),
    "Coverage": (str, str, date.fromisoformat),
    "ExplanationOfBenefit": (int,),
}
_ENTITY = {"Patient": "member", "Coverage": "coverage", "ExplanationOfBenefit": "claim"}


@dataclass(frozen=True, slots=True)
class FhirResponse:
    """What to send: the HTTP status and the FHIR resource (write it with values.dumps)."""

    status: int
    resource: dict[str, Any]


def search_patients(
    uow: UnitOfWork, principal: Principal, params: Params, base_url: str, at: datetime
) -> FhirResponse:
    """GET /fhir/Patient?_id=&identifier=&_count=&_page="""
    return _search(uow, principal, "Patient", params, base_url, at)


def search_coverage(
    uow: UnitOfWork, principal: Principal, params: Params, base_url: str, at: datetime
) -> FhirResponse:
    """GET /fhir/Coverage?_id=&patient=&beneficiary=&_count=&_page="""
    return _search(uow, principal, "Coverage", params, base_url, at)


def search_explanations_of_benefit(
    uow: UnitOfWork, principal: Principal, params: Params, base_url: str, at: datetime
) -> FhirResponse:
    """GET /fhir/ExplanationOfBenefit?_id=&patient=&service-date=&_count=&_page="""
    return _search(uow, principal, "ExplanationOfBenefit", params, base_url, at)


def read_patient(uow: UnitOfWork, principal: Principal, fhir_id: str, at: datetime) -> FhirResponse:
    """GET /fhir/Patient/{id}"""
    return _read(uow, principal, "Patient", fhir_id, at)


def read_coverage(
    uow: UnitOfWork, principal: Principal, fhir_id: str, at: datetime
) -> FhirResponse:
    """GET /fhir/Coverage/{id}"""
    return _read(uow, principal, "Coverage", fhir_id, at)


def read_explanation_of_benefit(
    uow: UnitOfWork, principal: Principal, fhir_id: str, at: datetime
) -> FhirResponse:
    """GET /fhir/ExplanationOfBenefit/{id}"""
    return _read(uow, principal, "ExplanationOfBenefit", fhir_id, at)


def _search(
    uow: UnitOfWork, principal: Principal, kind: str, params: Params, base: str, at: datetime
) -> FhirResponse:
    require_phi(principal)
    try:
        search = parse_search(kind, params, _KEY_TYPES[kind])
        spans = [_span_of(i) for i in search.ids or ()] if kind == "Coverage" else []
        if len(spans) > 1:  # each Coverage id names one span
            raise SearchError("_id", "Coverage takes one _id at a time")
    except SearchError as error:
        outcome = operation_outcome(error.code, str(error), error.parameter)
        return FhirResponse(400, outcome)
    base = base.rstrip("/")
    with uow:
        page, resources = _fetch(uow, kind, search, spans)
        _audit(uow, principal, kind, "fhir search", page, params, at)
        uow.commit()
    bundle = searchset(base, kind, resources, page.total, _links(base, kind, search, page, params))
    return FhirResponse(200, bundle)


def _read(
    uow: UnitOfWork, principal: Principal, kind: str, fhir_id: str, at: datetime
) -> FhirResponse:
    require_phi(principal)
    try:
        search = Search(ids=(from_fhir_id(fhir_id),), count=1)
        spans = [_span_of(search.ids[0])] if kind == "Coverage" and search.ids else []
    except (ValueError, SearchError):
        return _not_found(kind, fhir_id)
    with uow:
        page, resources = _fetch(uow, kind, search, spans)
        if not resources:
            return _not_found(kind, fhir_id)
        _audit(uow, principal, kind, "fhir read", page, (), at)
        uow.commit()
    return FhirResponse(200, resources[0])


def _not_found(kind: str, fhir_id: str) -> FhirResponse:
    return FhirResponse(404, operation_outcome("not-found", f"no {kind} with id {fhir_id!r}"))


def _fetch(
    uow: UnitOfWork, kind: str, search: Search, spans: Sequence[tuple[str, str, date]]
) -> tuple[Page[Any], list[dict[str, Any]]]:
    request = _request(search)
    if kind == "Patient":
        ids = _both(search.ids, search.members)
        people = uow.fhir.patients(ids, request)
        return people, [patient(p) for p in people.items]
    if kind == "Coverage":
        found = uow.fhir.coverages(search.members, spans[0] if spans else None, request)
        return found, [coverage(c) for c in found.items]
    claims = uow.fhir.claims(search.members, search.ids, search.service_dates, request)
    return claims, [explanation_of_benefit(c) for c in claims.items]


def _both(ids: Sequence[str] | None, members: Sequence[str] | None) -> list[str] | None:
    """Patients matching both _id and identifier when both are given."""
    if ids is None or members is None:
        return None if ids is None and members is None else list(ids or members or ())
    return [i for i in ids if i in set(members)]


def _request(search: Search) -> PageRequest:
    if search.cursor is None:
        return PageRequest(search.count)
    direction, key = search.cursor
    if direction == "after":
        return PageRequest(search.count, after=key)
    return PageRequest(search.count, before=key)


def _span_of(coverage_id: str) -> tuple[str, str, date]:
    """A Coverage id (people.coverage_id) → (member id, coverage kind, start)."""
    try:
        member, kind, start = coverage_id.rsplit("-", 2)
        return from_fhir_id(member), kind, datetime.strptime(start, "%Y%m%d").date()
    except ValueError:
        raise SearchError("_id", f"{coverage_id!r} is not a Coverage id") from None


def _links(base: str, kind: str, search: Search, page: Page[Any], params: Params) -> dict[str, str]:
    links = {"self": f"{base}/{kind}" + (f"?{urlencode(list(params))}" if params else "")}
    kept = [*search.filters, ("_count", str(search.count))]
    if page.more_after and page.keys:
        after = encode_cursor("after", page.keys[-1])
        links["next"] = f"{base}/{kind}?{urlencode([*kept, ('_page', after)])}"
    if page.more_before and page.keys:
        before = encode_cursor("before", page.keys[0])
        links["previous"] = f"{base}/{kind}?{urlencode([*kept, ('_page', before)])}"
    return links


def _audit(
    uow: UnitOfWork,
    principal: Principal,
    kind: str,
    action: str,
    page: Page[Any],
    params: Params,
    at: datetime,
) -> None:
    """One entry per resource disclosed (a search that found nothing: one for the search)."""
    detail = {"resource": kind, "query": urlencode(list(params)), "role": str(principal.role)}
    entity = _ENTITY[kind]
    ids = [_audit_id(kind, item) for item in page.items] or [""]
    uow.audit.record_many(
        [
            {
                "at": at,
                "actor": principal.login,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "detail": detail,
            }
            for entity_id in ids
        ]
    )


def _audit_id(kind: str, item: Any) -> str:
    if kind == "Coverage":
        return f"{item.person.id}/{item.span.coverage}/{item.span.start}"
    return str(item.id)
