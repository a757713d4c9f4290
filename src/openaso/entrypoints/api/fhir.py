"""FHIR R4 read endpoints, /fhir: Patient, Coverage and ExplanationOfBenefit (CARIN Blue Button).

The resources are built as JSON by adapters/fhir and written with `values.dumps`, which keeps
money as exact decimals (FastAPI's encoder would turn them into floats). Who may read them is
decided in services/fhir.py: PHI roles only, every disclosure audited.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response

from openaso.adapters.fhir.values import dumps
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.schemas import ERRORS
from openaso.entrypoints.web.security import ApiPrincipal, NewUow
from openaso.services import fhir
from openaso.services.access import Principal
from openaso.services.ports import UnitOfWork

FHIR_JSON = "application/fhir+json"
FhirId = Annotated[str, Path(pattern=r"^[A-Za-z0-9\-.]{1,64}$")]
Search = Callable[[UnitOfWork, Principal, fhir.Params, str, datetime], fhir.FhirResponse]
Read = Callable[[UnitOfWork, Principal, str, datetime], fhir.FhirResponse]

# A FHIR answer is a resource, a searchset Bundle or an OperationOutcome, as application/fhir+json.
_OUTCOME = {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "the resource, or a searchset Bundle", **_OUTCOME},
    400: {"description": "OperationOutcome: a search parameter and what was expected", **_OUTCOME},
    401: ERRORS[401],
    403: ERRORS[403],
    404: {"description": "OperationOutcome: no resource with that id", **_OUTCOME},
    422: ERRORS[422],
}
router = APIRouter(prefix="/fhir", tags=["fhir"], responses=RESPONSES)


def _send(answer: fhir.FhirResponse) -> Response:
    return Response(dumps(answer.resource), status_code=answer.status, media_type=FHIR_JSON)


def _search(search: Search, request: Request, principal: Principal, new_uow: NewUow) -> Response:
    base = str(request.base_url).rstrip("/") + "/fhir"
    params = list(request.query_params.multi_items())
    return _send(search(new_uow(), principal, params, base, now()))


@router.get("/Patient", response_class=Response)
def search_patients(*, request: Request, principal: ApiPrincipal, new_uow: NewUow) -> Response:
    """Search members as Patient resources: `_id`, `identifier`, `_count`, `_page`."""
    return _search(fhir.search_patients, request, principal, new_uow)


@router.get("/Patient/{patient_id}", response_class=Response)
def read_patient(*, patient_id: FhirId, principal: ApiPrincipal, new_uow: NewUow) -> Response:
    return _send(fhir.read_patient(new_uow(), principal, patient_id, now()))


@router.get("/Coverage", response_class=Response)
def search_coverage(*, request: Request, principal: ApiPrincipal, new_uow: NewUow) -> Response:
    """Search coverage spans: `_id`, `patient`, `beneficiary`, `_count`, `_page`."""
    return _search(fhir.search_coverage, request, principal, new_uow)


@router.get("/Coverage/{coverage_id}", response_class=Response)
def read_coverage(*, coverage_id: FhirId, principal: ApiPrincipal, new_uow: NewUow) -> Response:
    return _send(fhir.read_coverage(new_uow(), principal, coverage_id, now()))


@router.get("/ExplanationOfBenefit", response_class=Response)
def search_explanations_of_benefit(
    *, request: Request, principal: ApiPrincipal, new_uow: NewUow
) -> Response:
    """Search decided claims: `_id`, `patient`, `service-date` (ge/gt/le/lt/eq), `_count`,
    `_page`."""
    return _search(fhir.search_explanations_of_benefit, request, principal, new_uow)


@router.get("/ExplanationOfBenefit/{eob_id}", response_class=Response)
def read_explanation_of_benefit(
    *, eob_id: FhirId, principal: ApiPrincipal, new_uow: NewUow
) -> Response:
    return _send(fhir.read_explanation_of_benefit(new_uow(), principal, eob_id, now()))
