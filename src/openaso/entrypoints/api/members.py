"""/api/v1/members: a member on file and its coverage spans (PHI: staff only, audited)."""

from typing import Annotated

from fastapi import APIRouter, Path

from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.schemas import CoveragePublic, CoveragesPublic, MemberPublic
from openaso.entrypoints.web.security import ApiPrincipal, NewUow
from openaso.services.workbench import member_view

router = APIRouter(prefix="/members", tags=["members"])
MemberId = Annotated[str, Path(pattern=ID)]


@router.get("/{member_id}", response_model=MemberPublic)
def read_member(*, member_id: MemberId, principal: ApiPrincipal, new_uow: NewUow) -> MemberPublic:
    view = member_view(new_uow(), principal, member_id, now())
    fields = MemberPublic.model_fields
    return MemberPublic(**{k: v for k, v in view.member.items() if k in fields})


@router.get("/{member_id}/coverage", response_model=CoveragesPublic)
def read_coverage(
    *, member_id: MemberId, principal: ApiPrincipal, new_uow: NewUow
) -> CoveragesPublic:
    view = member_view(new_uow(), principal, member_id, now())
    data = [
        CoveragePublic(
            coverage=s.coverage, tier=s.tier, start=s.start, end=s.end, plan_id=s.plan_id
        )
        for s in view.coverage
    ]
    return CoveragesPublic(data=data, count=len(data))
