"""The API's own shapes (never database rows): XCreate in, XPublic and XsPublic {data, count}
out. Money is a decimal string of dollars with two places ("1250.00")."""

from datetime import date
from typing import Any

from pydantic import BaseModel


class ErrorPublic(BaseModel):
    """Every error answer: what went wrong, where (the route, or the field of the body or
    query), and for bad input each problem found."""

    detail: str
    where: str
    errors: list[dict[str, Any]] | None = None


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorPublic, "description": text}
    for status, text in (
        (401, "not signed in"),
        (403, "not allowed for this role or sponsor"),
        (404, "not on file"),
        (409, "a claim id already on file, or more funding than is outstanding"),
        (422, "bad input"),
    )
}


class MemberPublic(BaseModel):
    id: str
    family_id: str
    sponsor_id: str
    relationship: str
    tier: str
    first_name: str | None
    last_name: str | None
    birth_date: date | None
    gender: str | None


class CoveragePublic(BaseModel):
    coverage: str
    tier: str | None
    start: date
    end: date | None
    plan_id: str | None


class CoveragesPublic(BaseModel):
    data: list[CoveragePublic]
    count: int


class ClaimPublic(BaseModel):
    id: str
    kind: str
    member_id: str
    received: date
    status: str
    billed: str
    plan_paid: str


class ClaimsPublic(BaseModel):
    data: list[ClaimPublic]
    count: int


class ClaimStatusPublic(BaseModel):
    id: str
    kind: str
    status: str
    received: date
    decision_no: int
    replaces: str | None


class TraceStepPublic(BaseModel):
    step: str
    description: str
    plan_keys: list[str]
    accumulators: list[str]


class AdjustmentPublic(BaseModel):
    group: str
    carc: str
    amount: str


class LineDecisionPublic(BaseModel):
    number: int
    status: str
    allowed: str
    plan_paid: str
    adjustments: list[AdjustmentPublic]
    remarks: list[str]
    trace: list[TraceStepPublic]


class AdjudicationPublic(BaseModel):
    claim_id: str
    status: str
    decision_no: int
    lines: list[LineDecisionPublic]


class SubmissionPublic(BaseModel):
    received: list[str]
    decided: dict[str, int]


class SponsorPublic(BaseModel):
    id: str
    name: str


class SponsorsPublic(BaseModel):
    data: list[SponsorPublic]
    count: int


class PaymentRunPublic(BaseModel):
    id: int
    sponsor_id: str
    run_date: date
    total: str


class PaymentRunsPublic(BaseModel):
    data: list[PaymentRunPublic]
    count: int


class PaymentPublic(BaseModel):
    payee: str
    method: str
    number: str
    amount: str
    recovered: str
    status: str


class PaymentRunDetailPublic(PaymentRunPublic):
    payments: list[PaymentPublic]


class FundingRequestPublic(BaseModel):
    id: str
    run_id: int
    requested_on: date
    amount: str
    received: str


class FundingPublic(BaseModel):
    sponsor_id: str
    claims_fund: str
    claims_float: str
    held_payments: int
    held_amount: str
    requests: list[FundingRequestPublic]
