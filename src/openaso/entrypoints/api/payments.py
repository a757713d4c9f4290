"""/api/v1 money out: run payments for a sponsor, record its funding, fetch a payment's 835.
Paying and recording money are for `tpa_admin`; an 835 is PHI (TPA staff)."""

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from openaso.bootstrap import remitter
from openaso.core.money import format_cents, parse_amount
from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.api.clock import now
from openaso.entrypoints.web.security import AdminApi, ApiPrincipal, NewUow
from openaso.services.payment_work import record_funding, remittance_of, run_payments

router = APIRouter(tags=["payments"])
SponsorId = Annotated[str, Path(pattern=ID)]
RequestId = Annotated[str, Path(pattern=ID)]
RunId = Annotated[int, Path(ge=1, le=2**31 - 1)]
Number = Annotated[str, Path(pattern=r"^[0-9]{1,20}$")]
STRICT = ConfigDict(extra="forbid", frozen=True)
Received = Annotated[
    str,
    Field(
        pattern=r"^([1-9][0-9]{0,8}(\.[0-9]{1,2})?|0\.(0[1-9]|[1-9][0-9]?))$", examples=["1250.00"]
    ),
]  # dollars more than zero, at most two decimals, under a billion


class PaymentRunCreate(BaseModel):
    model_config = STRICT
    run_date: date
    method: Literal["cheque", "eft"] = "cheque"


class PaymentRunCreatedPublic(BaseModel):
    run_id: int | None  # None: nothing was due
    sponsor_id: str
    claims: int
    payments: int
    total: str
    funding_request: str | None
    released: list[str]


class FundingReceiptCreate(BaseModel):
    model_config = STRICT
    amount: Received
    received_on: date


class FundingReceiptPublic(BaseModel):
    request_id: str
    amount: str
    released: list[str]


@router.post("/sponsors/{sponsor_id}/payment-runs", status_code=201)
def create_run(
    *, sponsor_id: SponsorId, body: PaymentRunCreate, principal: AdminApi, new_uow: NewUow
) -> PaymentRunCreatedPublic:
    run = run_payments(new_uow(), principal, sponsor_id, body.run_date, body.method, now())
    return PaymentRunCreatedPublic(**{**run, "total": format_cents(run["total"])})


@router.post("/funding-requests/{request_id}/receipts", status_code=201)
def create_receipt(
    *, request_id: RequestId, body: FundingReceiptCreate, principal: AdminApi, new_uow: NewUow
) -> FundingReceiptPublic:
    amount = parse_amount(body.amount)
    released = record_funding(new_uow(), principal, request_id, amount, body.received_on, now())
    return FundingReceiptPublic(
        request_id=request_id, amount=format_cents(amount), released=released
    )


@router.get(
    "/payment-runs/{run_id}/payments/{number}/835",
    response_model=None,  # X12 text, while its errors stay JSON like every other route's
    responses={
        200: {
            "content": {"application/edi-x12": {"schema": {"type": "string"}}},
            "description": "the payment's 835 (005010X221A1)",
        }
    },
)
def read_835(
    *, run_id: RunId, number: Number, request: Request, principal: ApiPrincipal, new_uow: NewUow
) -> Response:
    payer, ours = remitter(request.app.state.settings)
    text = remittance_of(new_uow(), principal, run_id, number, payer, ours, now())
    filename = f"run{run_id}-{number}.835"
    return Response(
        text,
        media_type="application/edi-x12",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
