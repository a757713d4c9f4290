"""The stop-loss policy document as written (docs/stoploss-policy.md): pydantic models, the
source of its JSON Schema."""

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from openaso.adapters.files.edge_types import STRICT, Dollars, Percent, PricingPercent
from openaso.core.stoploss import ContractBasis


class Doc(BaseModel):
    model_config = STRICT


def _basis(value: object) -> str:
    text = str(value).strip()
    ContractBasis.parse(text)  # raises ValueError saying what is expected
    return text


Basis = Annotated[str, BeforeValidator(_basis)]
Tier = Literal["EE", "ES", "EC", "FAM"]
RatesDoc = Annotated[dict[Tier, Dollars], Field(min_length=1)]
"""Dollars per employee per month, by coverage tier."""


class PeriodDoc(Doc):
    start: date
    end: date


class LaserDoc(Doc):
    member: Annotated[str, Field(min_length=1)]
    deductible: Dollars | None = None
    excluded: bool = False


class SpecificDoc(Doc):
    deductible: Dollars
    aggregating_deductible: Dollars = 0
    lasers: list[LaserDoc] = []
    notice_percent: Percent = Field(
        5_000,  # basis points: 50%, as written in the document
        description="percent of the member's deductible",
        json_schema_extra={"default": 50},
    )
    trigger_diagnoses: list[str] = Field([], description="ICD-10 prefixes (C50, I21.0, N18)")
    premium: RatesDoc


class MinimumAttachmentDoc(Doc):
    percent_of_first_month: PricingPercent | None = None
    amount: Dollars | None = None


class AggregateDoc(Doc):
    factors: RatesDoc
    minimum_attachment: MinimumAttachmentDoc | None = None
    maximum: Dollars | None = Field(None, description="omitted: no aggregate maximum")
    premium: RatesDoc
    accommodation: bool = False
    laser_retention_counts: bool = True
    asd_retention_counts: bool = False


class StopLossPolicyDoc(Doc):
    id: Annotated[str, Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")]
    sponsor: str
    carrier: str
    policy_number: str | None = None
    period: PeriodDoc
    basis: Basis
    covers: Annotated[list[Literal["medical", "rx", "dental"]], Field(min_length=1)]
    plans: list[str] = []
    specific: SpecificDoc | None = None
    aggregate: AggregateDoc | None = None
    terminal_liability: bool = False


def stoploss_json_schema() -> dict[str, object]:
    schema = StopLossPolicyDoc.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "OpenASO stop-loss policy document"
    return schema
