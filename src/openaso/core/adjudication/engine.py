"""The engine: runs each line through the ordered steps and checks that every line balances."""

from collections.abc import Callable, Collection, Mapping

from openaso.core.accumulators import AccumulatorKey, RunningBalances
from openaso.core.adjudication.benefits import BENEFIT_RULES
from openaso.core.adjudication.cost_share import COST_SHARE
from openaso.core.adjudication.edits import EDITS
from openaso.core.adjudication.pricing import price
from openaso.core.adjudication.work import BenefitLookup, ClaimWork, LineWork, TermsLookup
from openaso.core.claims import Claim, DuplicateKey
from openaso.core.decision import (
    ClaimDecision,
    LineDecision,
    Status,
    TraceStep,
    UnbalancedLineError,
)
from openaso.core.fees import FeeSchedule
from openaso.core.members import Enrolment, Member
from openaso.core.money import Cents
from openaso.core.plan import Plan

Step = Callable[[ClaimWork, LineWork], None]

# The order is the plan semantics: edits, pricing, benefit rules, then cost share.
STEPS: tuple[Step, ...] = (*EDITS, price, *BENEFIT_RULES, *COST_SHARE)


class Adjudicator:
    """Adjudicates medical and dental claims against a set of plans and a fee schedule."""

    def __init__(
        self,
        plans: Mapping[str, Plan],
        fees: FeeSchedule | Mapping[str, Cents],
        steps: tuple[Step, ...] = STEPS,
    ) -> None:
        self.plans = plans
        self.fees = fees if isinstance(fees, FeeSchedule) else FeeSchedule.single(fees)
        self.steps = steps
        self._benefits = BenefitLookup()
        self._terms = TermsLookup()

    def adjudicate(
        self,
        claim: Claim,
        member: Member | None,
        enrolments: tuple[Enrolment, ...],
        balances: Mapping[AccumulatorKey, int],
        prior_lines: Collection[DuplicateKey] = frozenset(),
    ) -> ClaimDecision:
        """Decide every line of `claim` in line order; balances are read, never changed."""
        running = RunningBalances(balances)
        work = ClaimWork(
            claim,
            member,
            enrolments,
            self.plans,
            self.fees,
            running,
            prior_lines,
            self._benefits,
            self._terms,
        )
        lines = [self._run(work, LineWork(line)) for line in claim.lines]
        if any(line.status == "pended" for line in lines):
            return _pended(claim, lines)
        decisions = tuple(_decide(line) for line in lines)
        status: Status = "denied" if all(d.status == "denied" for d in decisions) else "approved"
        plan_ids = tuple(dict.fromkeys(line.plan.id for line in lines if line.plan is not None))
        return ClaimDecision(claim.id, status, decisions, tuple(running.postings), plan_ids)

    def _run(self, work: ClaimWork, line: LineWork) -> LineWork:
        for step in self.steps:
            step(work, line)
            if line.done:
                break
        return line


def _decide(line: LineWork) -> LineDecision:
    service = line.line
    adjustments = tuple(line.adjustments)
    if service.billed != line.plan_share + sum(a.amount for a in adjustments):
        raise UnbalancedLineError(
            f"line {service.number}: billed {service.billed} != plan paid {line.plan_share}"
            f" + adjustments {adjustments}"
        )
    return LineDecision(
        service.number,
        line.status,
        service.billed,
        line.allowed,
        line.plan_share,
        adjustments,
        tuple(line.remarks),
        line.benefit.name if line.benefit is not None else None,
        tuple(line.trace),
    )


def _pended(claim: Claim, lines: list[LineWork]) -> ClaimDecision:
    """One line needs review: the whole claim waits, so accumulators stay in received order."""
    reasons = "; ".join(f"line {w.line.number}: {w.pend_reason}" for w in lines if w.pend_reason)
    decisions = tuple(
        LineDecision(
            w.line.number,
            "pended",
            w.line.billed,
            0,
            0,
            (),
            (),
            w.benefit.name if w.benefit is not None else None,
            (*w.trace, TraceStep("pend", f"claim pended for review: {reasons}"))
            if w.pend_reason is None
            else tuple(w.trace),
        )
        for w in lines
    )
    return ClaimDecision(claim.id, "pended", decisions, (), ())
