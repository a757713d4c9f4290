"""Claims as received: medical/dental service lines, pharmacy fills, disability claims."""

from dataclasses import dataclass
from datetime import date
from typing import Literal

from openaso.core.money import Cents
from openaso.core.plan import Network

Group = Literal["CO", "PR", "OA"]


@dataclass(frozen=True, slots=True)
class LineReview:
    """An examiner's decision on a pended line: price it (approve) or deny it, and why."""

    line_number: int
    action: Literal["approve", "deny"]
    reason: str
    examiner: str
    allowed: Cents | None = None  # approve: the allowed amount the examiner set
    group: Group = "CO"  # deny: who bears the charge
    carc: str = ""  # deny: the reason code


@dataclass(frozen=True, slots=True)
class ServiceLine:
    number: int
    code: str
    service_date: date
    billed: Cents
    modifiers: tuple[str, ...] = ()
    units: int = 1
    repriced: Cents | None = None  # a PPO repricer's allowed amount (837 HCP02)


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    member_id: str
    received: date
    network: Network
    provider: str
    lines: tuple[ServiceLine, ...]
    coverage: Literal["medical", "dental"] = "medical"
    reviews: tuple[LineReview, ...] = ()

    @property
    def last_service_date(self) -> date:
        return max(line.service_date for line in self.lines)

    @property
    def billed(self) -> Cents:
        return sum(line.billed for line in self.lines)


@dataclass(frozen=True, slots=True)
class ClaimOrigin:
    """Where a claim came from, beside what adjudication reads: kept for the 835 (CLP01 is the
    provider's own claim number), stop-loss (trigger diagnoses) and the examiner."""

    source_file: int | None  # the X12 file it arrived in
    patient_control: str | None  # 837 CLM01
    diagnoses: tuple[str, ...] = ()  # ICD-10, principal first, no decimal point
    billing: tuple[tuple[str, str], ...] = ()  # e.g. ("npi", ...), ("tin", ...), ("name", ...)

    @property
    def billing_npi(self) -> str | None:
        return dict(self.billing).get("npi")


DuplicateKey = tuple[str, str, str, tuple[str, ...], date, Cents]


def duplicate_key(claim: Claim, line: ServiceLine) -> DuplicateKey:
    """What makes two lines exact duplicates: member, provider, code, modifiers, date, billed."""
    return (
        claim.member_id,
        claim.provider,
        line.code,
        tuple(sorted(line.modifiers)),
        line.service_date,
        line.billed,
    )


@dataclass(frozen=True, slots=True)
class ClaimHeader:
    """A claim on file: where it stands in the lifecycle and in received order."""

    seq: int
    id: str
    kind: str
    member_id: str
    family_id: str
    status: str  # received | approved | denied | pended | paid | voided | replaced
    position: int
    received: date
    decision_no: int
    replaces: str | None


@dataclass(frozen=True, slots=True)
class Fill:
    """One pharmacy fill (a PBM claim)."""

    id: str
    member_id: str
    ndc: str
    fill_date: date
    days_supply: int
    quantity: int
    ingredient_cost: Cents
    dispensing_fee: Cents

    @property
    def allowed(self) -> Cents:
        return self.ingredient_cost + self.dispensing_fee


@dataclass(frozen=True, slots=True)
class DisabilityClaim:
    id: str
    member_id: str
    disability_start: date
    disability_end: date  # inclusive
    weekly_earnings: Cents
