"""What the engine decides: amounts per line with CARC/RARC codes, and the trace of why."""

from dataclasses import dataclass
from typing import Literal, NamedTuple

from openaso.core.accumulators import Posting
from openaso.core.claims import Group
from openaso.core.money import Cents, format_cents

Status = Literal["approved", "denied", "pended"]


class Adjustment(NamedTuple):
    """One CAS triplet: who bears `amount` (group) and why (CARC)."""

    group: Group
    reason: str
    amount: Cents

    @property
    def code(self) -> str:
        return f"{self.group}-{self.reason}"


class TraceStep(NamedTuple):
    """One step of the engine: its name, what it found, the plan keys it read and what moved.

    This and Adjustment are NamedTuples, not frozen dataclasses: the engine makes one per step
    of every line, and a tuple is built in a third of the time; it is just as immutable.
    """

    step: str
    note: str
    plan_keys: tuple[str, ...] = ()
    amounts: tuple[tuple[str, Cents], ...] = ()
    accumulators: tuple[Posting, ...] = ()

    def describe(self) -> str:
        """The step in words, for an examiner or an EOB: `note: name 1.00, name 2.00`."""
        if not self.amounts:
            return self.note
        return f"{self.note}: " + ", ".join(f"{n} {format_cents(c)}" for n, c in self.amounts)


@dataclass(frozen=True, slots=True)
class LineDecision:
    number: int
    status: Status
    billed: Cents
    allowed: Cents
    plan_paid: Cents
    adjustments: tuple[Adjustment, ...]
    remarks: tuple[str, ...]
    benefit: str | None
    trace: tuple[TraceStep, ...]

    @property
    def member_share(self) -> Cents:
        return sum(a.amount for a in self.adjustments if a.group == "PR")


@dataclass(frozen=True, slots=True)
class ClaimDecision:
    claim_id: str
    status: Status
    lines: tuple[LineDecision, ...]
    postings: tuple[Posting, ...]
    plan_ids: tuple[str, ...]

    @property
    def plan_paid(self) -> Cents:
        return sum(line.plan_paid for line in self.lines)


@dataclass(frozen=True, slots=True)
class FillDecision:
    claim_id: str
    status: Status
    allowed: Cents
    plan_paid: Cents
    adjustments: tuple[Adjustment, ...]
    trace: tuple[TraceStep, ...]
    postings: tuple[Posting, ...]

    @property
    def member_paid(self) -> Cents:
        return sum(a.amount for a in self.adjustments if a.group == "PR")


@dataclass(frozen=True, slots=True)
class DisabilityDecision:
    claim_id: str
    status: Status
    amount: Cents
    carc: str | None
    trace: tuple[TraceStep, ...]


class UnbalancedLineError(AssertionError):
    """The engine broke billed = plan paid + adjustments: a bug, never an input problem."""
