"""Benefit rules: which benefit a code falls under, and whether it is payable for this line."""

from openaso.core.accumulators import AccumulatorKey, count_name
from openaso.core.adjudication.work import ClaimWork, LineWork, move
from openaso.core.dates import add_months


def match_benefit(work: ClaimWork, line: LineWork) -> None:
    plan = line.medical_plan
    benefit = work.benefit_for(plan, line.line.code)
    line.benefit = benefit
    line.terms = work.terms(plan, benefit, work.claim.network)
    if benefit is None:
        line.note("benefit", f"{line.line.code} matches no benefit: general cost share applies")
    else:
        line.note("benefit", f"{line.line.code} is {benefit.name}", (f"benefits.{benefit.name}",))


def not_covered(work: ClaimWork, line: LineWork) -> None:
    benefit = line.benefit
    if benefit is not None and not benefit.covered:
        line.deny_benefit(
            "coverage",
            "204",
            f"{benefit.name} is not covered by the plan",
            (f"benefits.{benefit.name}.covered",),
        )


def waiting_period(work: ClaimWork, line: LineWork) -> None:
    benefit = line.benefit
    if benefit is None or not benefit.waiting_months or line.coverage_start is None:
        return
    served_on = add_months(line.coverage_start, benefit.waiting_months)
    if line.line.service_date < served_on:
        line.deny_benefit(
            "waiting_period",
            "204",
            f"{benefit.name} waits {benefit.waiting_months} months from {line.coverage_start}:"
            f" payable from {served_on}",
            (f"benefits.{benefit.name}.waiting_months",),
            remark="N130",
        )


def limit(work: ClaimWork, line: LineWork) -> None:
    benefit = line.benefit
    if benefit is None or (allowed_count := benefit.counted_limit) is None:
        return
    member = work.member
    assert member is not None
    key: AccumulatorKey = ("member", member.id, line.medical_plan.id, count_name(benefit.name))
    rule = "limit.visits" if benefit.visit_limit is not None else "frequency.count"
    plan_key = f"benefits.{benefit.name}.{rule}"
    used = work.balances[key]
    if used >= allowed_count:
        line.deny_benefit(
            "limit",
            "119",
            f"{benefit.name}: {used} of {allowed_count} per plan year already used",
            (plan_key,),
        )
        return
    moved = move(work.balances, key, 1, line.line.number)
    line.note(
        "limit", f"{benefit.name}: use {used + 1} of {allowed_count}", (plan_key,), (), (moved,)
    )


BENEFIT_RULES = (match_benefit, not_covered, waiting_period, limit)
