"""The plan document as written (FORMAT.md): pydantic models, the source of the JSON Schema."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, Field, NonNegativeInt, PositiveInt, TypeAdapter

from openaso.adapters.files.edge_types import STRICT, Dollars, Percent, PricingPercent


class Doc(BaseModel):
    model_config = STRICT


class PlanYearDoc(Doc):
    start: date
    end: date


class PercentOfFeeSchedule(Doc):
    percent_of_fee_schedule: PricingPercent


class PercentOfBilled(Doc):
    percent_of_billed: PricingPercent


PricingMethodDoc = Literal["fee_schedule"] | PercentOfFeeSchedule | PercentOfBilled


class PricingDoc(Doc):
    in_network: PricingMethodDoc = "fee_schedule"
    out_of_network: PricingMethodDoc | None = Field(
        None, description="omitted: out-of-network lines are priced like in-network ones"
    )


class LimitDoc(Doc):
    individual: Dollars
    family: Dollars | None = None


class NetworkCostShareDoc(Doc):
    deductible: LimitDoc | None = None
    oop_max: LimitDoc | None = None
    coinsurance: Percent = 0
    copay: Dollars = 0


class CostShareDoc(Doc):
    family: Literal["embedded", "aggregate"] = "embedded"
    cross_accumulate: bool = False
    in_network: NetworkCostShareDoc = NetworkCostShareDoc()
    out_of_network: NetworkCostShareDoc | None = Field(
        None, description="omitted: out-of-network lines use the in-network cost share"
    )


class OverrideDoc(Doc):
    copay: Dollars | None = None
    deductible: bool | None = None
    coinsurance: Percent | None = None


class VisitLimitDoc(Doc):
    visits: PositiveInt


class FrequencyDoc(Doc):
    count: PositiveInt
    per: Literal["plan_year"] = "plan_year"


class BenefitDoc(Doc):
    name: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_\-]+$")]
    codes: Annotated[list[str], Field(min_length=1)]
    covered: bool = True
    limit: VisitLimitDoc | None = None
    frequency: FrequencyDoc | None = None
    waiting_months: NonNegativeInt | None = None
    in_network: OverrideDoc | None = None
    out_of_network: OverrideDoc | None = None
    spd_section: str | None = Field(None, description="the SPD section this benefit comes from")


class PlanBase(Doc):
    id: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
    name: str
    sponsor: str
    plan_year: PlanYearDoc
    spd: str | None = Field(None, description="the summary plan description this document encodes")


class MedicalPlanDoc(PlanBase):
    coverage: Literal["medical", "dental"]
    timely_filing_days: PositiveInt = 365
    pricing: PricingDoc = PricingDoc()
    cost_share: CostShareDoc = CostShareDoc()
    annual_max: Dollars | None = None
    benefits: list[BenefitDoc] = []


class TierDoc(Doc):
    copay: Dollars | None = None
    coinsurance: Percent | None = None
    max_per_fill: Dollars | None = None


class RxPlanDoc(PlanBase):
    coverage: Literal["rx"]
    integrated_oop_with: str | None = None
    rx_deductible: bool = False
    tiers: Annotated[dict[str, TierDoc], Field(min_length=1)]
    formulary: dict[str, str] = {}


class StdPlanDoc(PlanBase):
    coverage: Literal["std"]
    benefit_percent: Percent
    weekly_max: Dollars
    elimination_days: NonNegativeInt
    max_weeks: PositiveInt


PlanDoc = Annotated[MedicalPlanDoc | RxPlanDoc | StdPlanDoc, Field(discriminator="coverage")]
PLAN_ADAPTER: TypeAdapter[MedicalPlanDoc | RxPlanDoc | StdPlanDoc] = TypeAdapter(PlanDoc)


def plan_json_schema() -> dict[str, object]:
    schema = PLAN_ADAPTER.json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "OpenASO plan document"
    return schema
