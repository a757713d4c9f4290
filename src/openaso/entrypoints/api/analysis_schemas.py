"""The analysis API's shapes: reports out, a simulation request in. Money is a decimal string of
dollars; a figure withheld from a de-identified reader (under ten members) is null."""

from pydantic import BaseModel, ConfigDict, Field

from openaso.services.simulation import MOST_MEMBERS, MOST_OPTIONS, MOST_YEARS

MONEY = r"^\d{1,12}(\.\d{1,2})?$"
PERCENT = r"^-?\d{1,3}(\.\d{1,2})?$"
MONTH = r"^(19|20)\d{2}-(0[1-9]|1[0-2])$"


class DevelopmentPublic(BaseModel):
    lag: int
    age_to_age: float | None  # from this lag to the next; none after the last
    completion: float


class LagPublic(BaseModel):
    sponsor_id: str
    valuation: str
    incurred: list[str]  # months, YYYY-MM: the triangle's rows
    paid: list[list[str]]  # incremental paid, row × lag
    development: list[DevelopmentPublic]


class IncurredMonthPublic(BaseModel):
    incurred: str
    paid: str
    completion: float
    developed: str
    ultimate: str
    ibnr: str
    method: str


class IbnrPublic(BaseModel):
    sponsor_id: str
    valuation: str
    months: list[IncurredMonthPublic]
    paid: str
    ibnr: str


class CellPublic(BaseModel):
    label: str
    members: int
    member_months: int
    employee_months: int
    paid: str | None
    pmpm: str | None
    pepm: str | None


class ClaimantPublic(BaseModel):
    key: str  # a keyed hash, never the member id (TPA staff only)
    paid: str


class LossRatioPublic(BaseModel):
    month: str
    paid: str
    budget: str
    ratio: float | None


class ExperiencePublic(BaseModel):
    sponsor_id: str
    start: str
    end: str
    suppressed: bool  # de-identified: cells under ten members withheld, no claimants
    by_month: list[CellPublic]
    by_category: list[CellPublic]
    by_tier: list[CellPublic]
    total: CellPublic
    large_claimants: int
    large_claimant_paid: str | None
    claimants: list[ClaimantPublic]
    loss_ratio: list[LossRatioPublic]
    trend: float | None


class RatePublic(BaseModel):
    tier: str
    employees: int
    expected_claims: str
    admin: str
    specific_premium: str
    aggregate_premium: str
    other_fees: str
    margin: str
    working_rate: str
    cobra: str
    cobra_disability: str


class RatesPublic(BaseModel):
    sponsor_id: str
    start: str
    end: str
    data: list[RatePublic]
    count: int


class SelfFundedPublic(BaseModel):
    expected_claims: str
    admin: str
    specific_premium: str
    aggregate_premium: str
    other_fees: str
    aggregate_attachment: str
    expected: str
    maximum: str


class FullyInsuredPublic(BaseModel):
    claims: str
    pooling: str
    expenses: str
    fees: str
    loads: str
    premium: str
    quoted: bool


class ComparePublic(BaseModel):
    sponsor_id: str
    self_funded: SelfFundedPublic
    fully_insured: FullyInsuredPublic
    expected_saving: str
    worst_case_extra: str


class StopLossOptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=60)
    specific_deductible: str | None = Field(None, pattern=MONEY)
    asd: str = Field("0", pattern=MONEY)
    aggregate_corridor: str | None = Field(None, pattern=PERCENT, description="e.g. 125")
    fixed_costs: str = Field("0", pattern=MONEY, description="a year: admin and premiums")


class SimulationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    options: list[StopLossOptionCreate] = Field(min_length=1, max_length=MOST_OPTIONS)
    years: int = Field(10_000, ge=1, le=MOST_YEARS)
    seed: int = Field(0, ge=0, le=2**31 - 1)
    budget: str | None = Field(None, pattern=MONEY)
    trend: str = Field("0", pattern=PERCENT, description="a year, percent")
    members: int | None = Field(None, ge=1, le=MOST_MEMBERS)


class PercentilePublic(BaseModel):
    percent: int
    cost: str


class OutcomePublic(BaseModel):
    option: str
    mean: str
    sd: str
    cv: float
    percentiles: list[PercentilePublic]
    var95: str
    var99: str
    tvar95: str
    tvar99: str
    p_over_budget: float | None
    p_aggregate_pays: float
    mean_specific_reimbursed: str
    aggregate_attachment: str | None


class SimulationResultPublic(BaseModel):
    members: int
    years: int
    seed: int
    expected_gross: str
    gross_mean: str
    outcomes: list[OutcomePublic]


class SimulationPublic(BaseModel):
    id: str
    sponsor_id: str
    state: str  # queued | running | done | failed
    done: int  # years simulated so far
    years: int
    percent: int
    error: str | None
    result: SimulationResultPublic | None
