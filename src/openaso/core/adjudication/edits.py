"""Front-end edits: who the patient is, whether covered that day, duplicates, timely filing."""

from openaso.core.adjudication.work import ClaimWork, LineWork
from openaso.core.claims import duplicate_key
from openaso.core.members import NeedsReview, NotCovered, plan_in_force
from openaso.core.plan import MedicalPlan


def eligibility(work: ClaimWork, line: LineWork) -> None:
    member = work.member
    if member is None:
        line.deny_edit("eligibility", "31", f"member {work.claim.member_id} is not on file")
        return
    day = line.line.service_date
    found = work.coverage.get(day)
    if found is None:  # lines of a claim mostly share a date of service
        found = work.coverage[day] = plan_in_force(
            member, work.enrolments, work.plans, work.claim.coverage, day
        )
    if isinstance(found, NotCovered):
        line.deny_edit("eligibility", found.carc, found.reason)
        return
    if isinstance(found, NeedsReview):
        line.pend("eligibility", found.reason)
        return
    assert isinstance(found.plan, MedicalPlan)
    line.plan, line.coverage_start = found.plan, found.coverage_start
    line.on_family_tier = found.on_family_tier
    line.note("eligibility", f"covered by {found.plan.id}", ("plan_year",))


def duplicate(work: ClaimWork, line: LineWork) -> None:
    if duplicate_key(work.claim, line.line) in work.prior:
        line.deny_edit(
            "duplicate",
            "18",
            "exact duplicate of a line already adjudicated (member, provider, code,"
            " modifiers, date of service and charge)",
        )


def timely_filing(work: ClaimWork, line: LineWork) -> None:
    plan = line.medical_plan
    waited = (work.claim.received - work.claim.last_service_date).days
    if waited > plan.timely_filing_days:
        line.deny_edit(
            "timely_filing",
            "29",
            f"received {waited} days after the last date of service;"
            f" the plan allows {plan.timely_filing_days}",
            ("timely_filing_days",),
        )


EDITS = (eligibility, duplicate, timely_filing)
