"""A worked adjudication case (FORMAT.md): what goes in, and the amounts that must come out."""

from collections.abc import Mapping
from dataclasses import dataclass

from openaso.core.accumulators import AccumulatorKey
from openaso.core.claims import Claim, DisabilityClaim, Fill
from openaso.core.members import Enrolment, Member
from openaso.core.money import Cents
from openaso.core.plan import Plan


@dataclass(frozen=True, slots=True)
class LineExpectation:
    allowed: Cents | None = None
    plan_paid: Cents | None = None
    adjustments: Mapping[str, Cents] | None = None
    status: str | None = None
    remarks: tuple[str, ...] | None = None


@dataclass(frozen=True, slots=True)
class FillExpectation:
    plan_paid: Cents | None = None
    member_paid: Cents | None = None
    adjustments: Mapping[str, Cents] | None = None


@dataclass(frozen=True, slots=True)
class DisabilityExpectation:
    amount: Cents


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    origin: str
    plans: tuple[Plan, ...]
    plan_sources: Mapping[str, Mapping[str, object]]  # plan id → the document as written
    fees: Mapping[str, Cents]
    members: tuple[Member, ...]
    enrolments: tuple[Enrolment, ...]
    opening_balances: Mapping[AccumulatorKey, int]
    claims: tuple[Claim, ...]
    fills: tuple[Fill, ...]
    disability_claims: tuple[DisabilityClaim, ...]
    line_expectations: Mapping[str, tuple[LineExpectation, ...]]
    fill_expectations: Mapping[str, FillExpectation]
    disability_expectations: Mapping[str, DisabilityExpectation]
    accumulator_expectations: Mapping[AccumulatorKey, int]
