"""/api/v1/claims: search, submit (stored and adjudicated at once), status, adjudication."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import Field
from starlette.concurrency import run_in_threadpool

from openaso.core.money import format_cents
from openaso.entrypoints.api.claim_input import ID, ClaimsCreate
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.schemas import (
    AdjudicationPublic,
    ClaimPublic,
    ClaimsPublic,
    ClaimStatusPublic,
    LineDecisionPublic,
    SubmissionPublic,
)
from openaso.entrypoints.web.present import decided_line
from openaso.entrypoints.web.security import ApiPrincipal, NewUow, StaffApi
from openaso.services.claim_work import submit_claims
from openaso.services.workbench import ClaimSearch, claim_status, claim_view, search_claims

router = APIRouter(prefix="/claims", tags=["claims"])
IdText = Annotated[str, Field(pattern=ID)]
ClaimId = Annotated[str, Path(pattern=ID)]
ClaimStatus = Literal["received", "pended", "approved", "denied", "paid", "voided", "replaced"]


@router.get("", response_model=ClaimsPublic)
def list_claims(
    *,
    principal: ApiPrincipal,
    new_uow: NewUow,
    claim_id: Annotated[IdText | None, Query()] = None,
    member_id: Annotated[IdText | None, Query()] = None,
    status: ClaimStatus | None = None,
    received_from: date | None = None,
    received_to: date | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000)] = 0,
) -> ClaimsPublic:
    search = ClaimSearch(claim_id, member_id, status, received_from, received_to, limit, offset)
    rows, count = search_claims(new_uow(), principal, search, now())
    data = [
        ClaimPublic(
            id=r["id"],
            kind=r["kind"],
            member_id=r["member_id"],
            received=r["received"],
            status=r["status"],
            billed=format_cents(r["billed"]),
            plan_paid=format_cents(r["plan_paid"]),
        )
        for r in rows
    ]
    return ClaimsPublic(data=data, count=count)


@router.post("", response_model=SubmissionPublic, status_code=201)
def submit(*, body: ClaimsCreate, principal: StaffApi, new_uow: NewUow) -> SubmissionPublic:
    claims = body.to_claims()
    settled = submit_claims(new_uow, principal, claims, now())
    return SubmissionPublic(received=[c.id for c in claims], decided=settled.by_status)


@router.get("/{claim_id}", response_model=ClaimStatusPublic)
async def read_status(
    *, claim_id: ClaimId, principal: ApiPrincipal, new_uow: NewUow
) -> ClaimStatusPublic:
    # The busiest call: async, so only the database work leaves the event loop (a sync
    # route costs a second trip through the thread pool to check its answer).
    found = await run_in_threadpool(claim_status, new_uow(), principal, claim_id, now())
    return ClaimStatusPublic(**found)


@router.get("/{claim_id}/adjudication", response_model=AdjudicationPublic)
def read_adjudication(
    *, claim_id: ClaimId, principal: ApiPrincipal, new_uow: NewUow
) -> AdjudicationPublic:
    view = claim_view(new_uow(), principal, claim_id, now())
    return AdjudicationPublic(
        claim_id=claim_id,
        status=view.header["status"],
        decision_no=view.header["decision_no"],
        lines=[LineDecisionPublic(**decided_line(line)) for line in view.decided],
    )
