"""The engine's scratch state while one claim is adjudicated (never leaves the engine)."""

from collections.abc import Collection, Mapping
from datetime import date
from typing import TYPE_CHECKING

from openaso.core.accumulators import AccumulatorKey, Posting, RunningBalances
from openaso.core.claims import Claim, DuplicateKey, Group, ServiceLine
from openaso.core.decision import Adjustment, Status, TraceStep
from openaso.core.fees import FeeSchedule
from openaso.core.members import Enrolment, Member, NeedsReview, NotCovered, PlanInForce
from openaso.core.money import Cents
from openaso.core.plan import Benefit, MedicalPlan, Network, Plan

if TYPE_CHECKING:
    from openaso.core.adjudication.cost_share import Terms


class ClaimWork:
    """What every step of one claim can read."""

    __slots__ = (
        "balances",
        "benefit_for",
        "claim",
        "coverage",
        "enrolments",
        "fees",
        "member",
        "plans",
        "prior",
        "reviews",
        "terms",
    )

    def __init__(
        self,
        claim: Claim,
        member: Member | None,
        enrolments: tuple[Enrolment, ...],
        plans: Mapping[str, Plan],
        fees: FeeSchedule,
        balances: RunningBalances,
        prior: Collection[DuplicateKey],
        benefit_for: "BenefitLookup",
        terms: "TermsLookup",
    ) -> None:
        self.claim = claim
        self.member = member
        self.enrolments = enrolments
        self.plans = plans
        self.fees = fees
        self.balances = balances
        self.prior = prior
        self.benefit_for = benefit_for
        self.terms = terms
        self.reviews = {r.line_number: r for r in claim.reviews}
        self.coverage: dict[date, PlanInForce | NotCovered | NeedsReview] = {}  # per service date


class BenefitLookup:
    """First-match-wins benefit per code, memoised per plan (plans are immutable)."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str], Benefit | None] = {}

    def __call__(self, plan: MedicalPlan, code: str) -> Benefit | None:
        key = (plan.id, code)
        try:
            return self._memo[key]
        except KeyError:
            found = next((b for b in plan.benefits if b.matches(code)), None)
            self._memo[key] = found
            return found


class TermsLookup:
    """A benefit's cost-share terms per network, memoised per plan (plans are immutable)."""

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[str, str | None, str], Terms] = {}

    def __call__(self, plan: MedicalPlan, benefit: Benefit | None, network: Network) -> "Terms":
        key = (plan.id, benefit.name if benefit is not None else None, network)
        found = self._memo.get(key)
        if found is None:
            from openaso.core.adjudication.cost_share import terms

            found = self._memo[key] = terms(plan, benefit, network)
        return found


class LineWork:
    """One line on its way through the steps: what is decided so far, and why."""

    UNKNOWN: int = -1  # oop_left not yet read

    __slots__ = (
        "adjustments",
        "allowed",
        "benefit",
        "coverage_start",
        "done",
        "line",
        "on_family_tier",
        "oop_left",
        "pend_reason",
        "plan",
        "plan_share",
        "remarks",
        "status",
        "terms",
        "trace",
    )

    def __init__(self, line: ServiceLine) -> None:
        self.line = line
        self.status: Status = "approved"
        self.allowed: Cents = 0
        self.plan_share: Cents = 0  # what the plan pays of the allowed amount so far
        self.adjustments: list[Adjustment] = []
        self.remarks: list[str] = []
        self.trace: list[TraceStep] = []
        self.benefit: Benefit | None = None
        self.terms: Terms  # set with the benefit
        self.plan: MedicalPlan | None = None
        self.coverage_start: date | None = None
        self.on_family_tier = False
        self.pend_reason: str | None = None
        self.oop_left: Cents | None = LineWork.UNKNOWN  # None: the plan has no OOP maximum
        self.done = False

    @property
    def medical_plan(self) -> MedicalPlan:
        assert self.plan is not None, "eligibility runs before every step that reads the plan"
        return self.plan

    def note(
        self,
        step: str,
        note: str,
        plan_keys: tuple[str, ...] = (),
        amounts: tuple[tuple[str, Cents], ...] = (),
        accumulators: tuple[Posting, ...] = (),
    ) -> None:
        self.trace.append(TraceStep(step, note, plan_keys, amounts, accumulators))

    def deny_edit(
        self,
        step: str,
        carc: str,
        note: str,
        plan_keys: tuple[str, ...] = (),
        group: Group = "CO",
    ) -> None:
        """An edit denies the whole billed amount (group CO: the member may not be billed)."""
        billed = self.line.billed
        self.allowed = self.plan_share = 0
        self.adjustments = [Adjustment(group, carc, billed)] if billed else []
        self.status, self.done = "denied", True
        self.note(step, note, plan_keys, (("denied", billed),))

    def deny_benefit(
        self, step: str, carc: str, note: str, plan_keys: tuple[str, ...], remark: str | None = None
    ) -> None:
        """The plan pays nothing of the allowed amount; the member owes it (group PR)."""
        self.charge("PR", carc, self.plan_share)
        if remark:
            self.remarks.append(remark)
        self.status, self.done = "denied", True
        self.note(step, note, plan_keys, (("member owes", self.allowed),))

    def charge(self, group: Group, carc: str, amount: Cents) -> None:
        """Move `amount` of the allowed amount from the plan's share to an adjustment."""
        if amount:
            self.adjustments.append(Adjustment(group, carc, amount))
            self.plan_share -= amount

    def pend(self, step: str, reason: str, plan_keys: tuple[str, ...] = ()) -> None:
        self.pend_reason = reason
        self.status, self.done = "pended", True
        self.note(step, reason, plan_keys)


def move(balances: RunningBalances, key: AccumulatorKey, amount: int, line: int) -> Posting:
    return balances.add(key, amount, line)
