"""Claims sent to the API (`ClaimsCreate`): the shapes of a scenario file's claims, with every
field bounded as the database keeps it, and amounts as dollar strings ("1250.00")."""

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from openaso.core.claims import Claim, DisabilityClaim, Fill, ServiceLine
from openaso.core.money import parse_amount
from openaso.services.ports import ReceivedClaim

ID = r"^[!-~]{1,64}$"  # printable ASCII, no spaces, as claim numbers and member ids are
Id = Annotated[str, Field(pattern=ID, examples=["CLM-1001"])]
Code = Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,16}$", examples=["99213"])]
Amount = Annotated[
    str, Field(pattern=r"^[0-9]{1,9}(\.[0-9]{1,2})?$", examples=["1250.00"])
]  # dollars, at most two decimals, under a billion
Count = Annotated[int, Field(ge=1, le=100_000)]
Day = date  # a plan year that does not cover it denies the claim
STRICT = ConfigDict(extra="forbid", frozen=True)


class LineCreate(BaseModel):
    model_config = STRICT
    code: Code
    modifiers: Annotated[
        list[Annotated[str, Field(pattern=r"^[A-Z0-9]{2}$")]], Field(max_length=4)
    ] = []
    date: Day
    billed: Amount
    units: Count = 1
    repriced: Amount | None = None


class MedicalClaimCreate(BaseModel):
    model_config = STRICT
    id: Id
    member: Id
    coverage: Literal["medical", "dental"] = "medical"
    received: Day
    network: Literal["in", "out"] = "in"
    provider: Annotated[str, Field(pattern=r"^[0-9]{10}$", examples=["1234567893"])]
    lines: Annotated[list[LineCreate], Field(min_length=1, max_length=50)]


class FillCreate(BaseModel):
    model_config = STRICT
    id: Id
    member: Id
    ndc: Annotated[str, Field(pattern=r"^[0-9]{11}$", examples=["00093505601"])]
    fill_date: Day
    days_supply: Annotated[int, Field(ge=1, le=365)]
    quantity: Count
    ingredient_cost: Amount
    dispensing_fee: Amount = "0"


class DisabilityClaimCreate(BaseModel):
    model_config = STRICT
    id: Id
    member: Id
    disability_start: Day
    disability_end: Day
    weekly_earnings: Amount


def _some(kind: str) -> dict[str, Any]:
    return {"required": [kind], "properties": {kind: {"minItems": 1}}}


class ClaimsCreate(BaseModel):
    """Claims to store and adjudicate at once: at least one in all, every id new."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "anyOf": [_some(k) for k in ("claims", "pharmacy_claims", "disability_claims")]
        },
    )
    claims: Annotated[list[MedicalClaimCreate], Field(max_length=500)] = []
    pharmacy_claims: Annotated[list[FillCreate], Field(max_length=500)] = []
    disability_claims: Annotated[list[DisabilityClaimCreate], Field(max_length=500)] = []

    @model_validator(mode="after")
    def _some_claim(self) -> "ClaimsCreate":
        if not (self.claims or self.pharmacy_claims or self.disability_claims):
            raise ValueError(
                "nothing to receive: give claims, pharmacy_claims or disability_claims"
            )
        return self

    def to_claims(self) -> list[ReceivedClaim]:
        """Medical and dental claims first, then fills, then disability claims, in order."""
        received: list[ReceivedClaim] = [
            Claim(
                c.id,
                c.member,
                c.received,
                c.network,
                c.provider,
                tuple(
                    ServiceLine(
                        n,
                        line.code,
                        line.date,
                        parse_amount(line.billed),
                        tuple(line.modifiers),
                        line.units,
                        None if line.repriced is None else parse_amount(line.repriced),
                    )
                    for n, line in enumerate(c.lines, start=1)
                ),
                c.coverage,
            )
            for c in self.claims
        ]
        received += [
            Fill(
                f.id,
                f.member,
                f.ndc,
                f.fill_date,
                f.days_supply,
                f.quantity,
                parse_amount(f.ingredient_cost),
                parse_amount(f.dispensing_fee),
            )
            for f in self.pharmacy_claims
        ]
        received += [
            DisabilityClaim(
                d.id,
                d.member,
                d.disability_start,
                d.disability_end,
                parse_amount(d.weekly_earnings),
            )
            for d in self.disability_claims
        ]
        return received
