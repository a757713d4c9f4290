"""The scenario file as written (FORMAT.md), as pydantic models."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, PositiveInt

from openaso.adapters.files.edge_types import STRICT, Dollars


class Doc(BaseModel):
    model_config = STRICT


class MemberDoc(Doc):
    id: str
    family: str
    relationship: Literal["subscriber", "spouse", "child"]
    tier: Literal["EE", "ES", "EC", "FAM"]
    plan: str | Annotated[list[str], Field(min_length=1)]
    start: date
    end: date | None = None


class LineDoc(Doc):
    code: str
    modifiers: list[str] = []
    date: date
    billed: Dollars
    units: PositiveInt = 1
    repriced: Dollars | None = None


class ClaimDoc(Doc):
    id: str
    member: str
    coverage: Literal["medical", "dental"] = "medical"
    received: date
    network: Literal["in", "out"] = "in"
    provider: str
    lines: Annotated[list[LineDoc], Field(min_length=1)]


class FillDoc(Doc):
    id: str
    member: str
    ndc: str
    fill_date: date
    days_supply: PositiveInt
    quantity: PositiveInt
    ingredient_cost: Dollars
    dispensing_fee: Dollars = 0


class DisabilityDoc(Doc):
    id: str
    member: str
    disability_start: date
    disability_end: date
    weekly_earnings: Dollars


class LineExpectDoc(Doc):
    allowed: Dollars | None = None
    plan_paid: Dollars | None = None
    adjustments: dict[str, Dollars] | None = None
    status: Literal["approved", "denied", "pended"] | None = None
    remarks: list[str] | None = None


class FillExpectDoc(Doc):
    plan_paid: Dollars | None = None
    member_paid: Dollars | None = None
    adjustments: dict[str, Dollars] | None = None


class DisabilityExpectDoc(Doc):
    amount: Dollars


class ScenarioDoc(Doc):
    name: Annotated[str, Field(min_length=1)]
    plans: Annotated[list[str | dict[str, Any]], Field(min_length=1)]
    fee_schedule: dict[str, Dollars] | str = {}
    members: list[MemberDoc] = []
    accumulators: dict[str, dict[str, Any]] = {}
    claims: list[ClaimDoc] = []
    pharmacy_claims: list[FillDoc] = []
    disability_claims: list[DisabilityDoc] = []
    expect: dict[str, Any]
