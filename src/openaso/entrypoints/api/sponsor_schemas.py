"""The API's shapes of the sponsor dashboard: claims vs budget by month, stop-loss status with
claimant keys, the year's invoices and the plan-year summary. Money is a decimal string of
dollars ("1250.00"); a figure withheld for a de-identified reader (under ten members) is null."""

from datetime import date

from pydantic import BaseModel, Field


class MonthClaimsPublic(BaseModel):
    month: date
    members: int = Field(description="members covered on the first of the month")
    employees: int = Field(description="employees billed for the month, net of adjustments")
    paid: str | None = Field(description="claims paid in the month; null: withheld")
    budget: str = Field(description="expected claims: (working rate − fixed costs) × employees")


class ClaimsByMonthPublic(BaseModel):
    sponsor_id: str
    year: int
    withheld: bool
    data: list[MonthClaimsPublic]
    count: int


class ClaimantPublic(BaseModel):
    key: str = Field(description="HMAC of the member id: never the member id")
    paid: str
    deductible: str | None = Field(description="null: lasered out of the specific cover")
    excess: str
    reimbursable: str
    filed: str
    received: str
    noticed: bool
    over_deductible: bool


class AggregatePublic(BaseModel):
    attachment_to_date: str
    attachment_point: str
    claims: str | None = Field(description="claims counting toward the aggregate; null: withheld")
    percent: float | None = Field(description="claims ÷ attachment point")


class StopLossPublic(BaseModel):
    sponsor_id: str
    policy_id: str
    carrier: str
    period_start: date
    period_end: date
    as_of: date
    specific_deductible: str | None
    notice_percent: str | None
    claimants: list[ClaimantPublic]
    aggregate: AggregatePublic | None


class InvoiceSummaryPublic(BaseModel):
    number: str
    month: date
    fees: str
    premiums: str
    total: str
    paid: str
    outstanding: str


class InvoicesPublic(BaseModel):
    data: list[InvoiceSummaryPublic]
    count: int


class TierMonthsPublic(BaseModel):
    tier: str
    member_months: int


class LiabilityPublic(BaseModel):
    aggregate_attachment: str
    laser_retention: str
    asd_retention: str
    fixed_costs: str
    total: str
    projected_months: int
    excluded_claimants: int


class PlanYearPublic(BaseModel):
    sponsor_id: str
    first_month: date
    last_month: date
    members: int
    withheld: bool = Field(description="the claim figures are null: under ten members")
    member_months: list[TierMonthsPublic]
    budget: str
    funded: str | None
    paid_claims: str | None
    fees: str
    premiums: str
    stop_loss_reimbursed: str | None
    net_cost: str | None
    surplus: str | None
    maximum_liability: LiabilityPublic | None
