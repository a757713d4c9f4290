"""Short-term disability: a percent of weekly earnings, after the elimination period."""

from collections.abc import Mapping
from datetime import timedelta

from openaso.core.claims import DisabilityClaim
from openaso.core.decision import DisabilityDecision, TraceStep
from openaso.core.members import Enrolment, Member, NeedsReview, NotCovered, plan_in_force
from openaso.core.money import format_cents, format_percent, percent_of, ratio_of
from openaso.core.plan import Plan, StdPlan


def adjudicate_disability(
    claim: DisabilityClaim,
    member: Member | None,
    enrolments: tuple[Enrolment, ...],
    plans: Mapping[str, Plan],
) -> DisabilityDecision:
    """Benefit for the whole disability period, from the plan in force when it began."""
    if member is None:
        return _denied(claim, "31", f"member {claim.member_id} is not on file")
    found = plan_in_force(member, enrolments, plans, "std", claim.disability_start)
    if isinstance(found, NotCovered):
        return _denied(claim, found.carc, found.reason)
    if isinstance(found, NeedsReview):
        return DisabilityDecision(
            claim.id, "pended", 0, None, (TraceStep("eligibility", found.reason),)
        )
    plan = found.plan
    assert isinstance(plan, StdPlan)
    first = claim.disability_start + timedelta(days=plan.elimination_days)
    last = first + timedelta(days=plan.max_weeks * 7 - 1)
    end = min(claim.disability_end, last)
    days = max(0, (end - first).days + 1)
    weekly = min(percent_of(claim.weekly_earnings, plan.benefit_percent), plan.weekly_max)
    amount = ratio_of(weekly, days, 7)
    trace = (
        TraceStep(
            "eligibility", f"covered by {plan.id} on {claim.disability_start}", ("plan_year",)
        ),
        TraceStep(
            "benefit_period",
            f"payable {first} to {last} ({plan.elimination_days}-day elimination,"
            f" {plan.max_weeks} weeks); disabled to {claim.disability_end}: {days} payable days",
            ("elimination_days", "max_weeks"),
            (("payable_days", days),),
        ),
        TraceStep(
            "weekly_benefit",
            f"{format_percent(plan.benefit_percent)} of {format_cents(claim.weekly_earnings)},"
            f" at most {format_cents(plan.weekly_max)}: {format_cents(weekly)} a week;"
            f" x {days}/7 = {format_cents(amount)}",
            ("benefit_percent", "weekly_max"),
            (("weekly_benefit", weekly), ("amount", amount)),
        ),
    )
    return DisabilityDecision(claim.id, "approved" if amount else "denied", amount, None, trace)


def _denied(claim: DisabilityClaim, carc: str, reason: str) -> DisabilityDecision:
    return DisabilityDecision(claim.id, "denied", 0, carc, (TraceStep("eligibility", reason),))
