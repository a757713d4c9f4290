"""/api/v1/sponsors and /api/v1/payment-runs: the sponsors one may see, their funding and
claims fund, payment-run totals (aggregates); a run's payments (payees: staff only)."""

from typing import Annotated

from fastapi import APIRouter, Path

from openaso.core.money import format_cents
from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.api.schemas import (
    FundingPublic,
    FundingRequestPublic,
    PaymentPublic,
    PaymentRunDetailPublic,
    PaymentRunPublic,
    PaymentRunsPublic,
    SponsorPublic,
    SponsorsPublic,
)
from openaso.entrypoints.web.security import ApiPrincipal, NewUow
from openaso.services.funding import funding_of, payment_run, payment_runs, sponsors_visible

router = APIRouter(tags=["funding"])
SponsorId = Annotated[str, Path(pattern=ID)]
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]


@router.get("/sponsors", response_model=SponsorsPublic)
def list_sponsors(*, principal: ApiPrincipal, new_uow: NewUow) -> SponsorsPublic:
    data = [SponsorPublic(**s) for s in sponsors_visible(new_uow(), principal)]
    return SponsorsPublic(data=data, count=len(data))


@router.get("/sponsors/{sponsor_id}/funding", response_model=FundingPublic)
def read_funding(
    *, sponsor_id: SponsorId, principal: ApiPrincipal, new_uow: NewUow
) -> FundingPublic:
    books = funding_of(new_uow(), principal, sponsor_id)
    return FundingPublic(
        sponsor_id=sponsor_id,
        claims_fund=format_cents(books["claims_fund"]),
        claims_float=format_cents(books["claims_float"]),
        held_payments=books["held_payments"],
        held_amount=format_cents(books["held_amount"]),
        requests=[
            FundingRequestPublic(
                id=r["id"],
                run_id=r["run_id"],
                requested_on=r["requested_on"],
                amount=format_cents(r["amount"]),
                received=format_cents(r["received"]),
            )
            for r in books["requests"]
        ],
    )


@router.get("/sponsors/{sponsor_id}/payment-runs", response_model=PaymentRunsPublic)
def list_runs(
    *, sponsor_id: SponsorId, principal: ApiPrincipal, new_uow: NewUow
) -> PaymentRunsPublic:
    data = [
        PaymentRunPublic(
            id=r["id"],
            sponsor_id=r["sponsor_id"],
            run_date=r["run_date"],
            total=format_cents(r["total"]),
        )
        for r in payment_runs(new_uow(), principal, sponsor_id)
    ]
    return PaymentRunsPublic(data=data, count=len(data))


@router.get("/payment-runs/{run_id}", response_model=PaymentRunDetailPublic)
def read_run(*, run_id: RunId, principal: ApiPrincipal, new_uow: NewUow) -> PaymentRunDetailPublic:
    run = payment_run(new_uow(), principal, run_id, now())
    return PaymentRunDetailPublic(
        id=run["id"],
        sponsor_id=run["sponsor_id"],
        run_date=run["run_date"],
        total=format_cents(run["total"]),
        payments=[
            PaymentPublic(
                **{
                    **p,
                    "amount": format_cents(p["amount"]),
                    "recovered": format_cents(p["recovered"]),
                }
            )
            for p in run["payments"]
        ],
    )
