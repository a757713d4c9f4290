"""Members, families and coverage spans, and which plan covers a member on a date."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Literal

from openaso.core.dates import ONE_DAY
from openaso.core.plan import Coverage, Plan

Relationship = Literal["subscriber", "spouse", "child"]
TierCode = Literal["EE", "ES", "EC", "FAM"]


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    family_id: str
    relationship: Relationship
    tier: TierCode  # the family's coverage tier when a span does not say
    sponsor: str = ""


@dataclass(frozen=True, slots=True)
class Enrolment:
    """A member's coverage of one kind from `start` to `end` (inclusive; None = open).

    `plan_id` pins one plan document (scenarios do); otherwise the member's sponsor's plan of
    that kind in force on the date of service applies, so plan-year renewals need no new span.
    `plan_code` (834 HD04) chooses when the sponsor has several plans of one kind.
    """

    member_id: str
    coverage: Coverage
    start: date
    end: date | None = None
    tier: TierCode | None = None
    plan_id: str | None = None
    plan_code: str | None = None

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class PlanInForce:
    plan: Plan
    coverage_start: date  # start of the continuous coverage of this kind (waiting periods)
    on_family_tier: bool


@dataclass(frozen=True, slots=True)
class NotCovered:
    carc: Literal["26", "27", "31"]
    reason: str


@dataclass(frozen=True, slots=True)
class NeedsReview:
    """Covered, but which plan applies cannot be decided from the data: an examiner looks."""

    reason: str


def plan_in_force(
    member: Member,
    enrolments: Iterable[Enrolment],
    plans: Mapping[str, Plan],
    coverage: Coverage,
    on: date,
) -> PlanInForce | NotCovered | NeedsReview:
    """The member's plan of `coverage` on `on`, or why there is none (CARC 26, 27 or 31)."""
    spans = sorted((e for e in enrolments if e.coverage == coverage), key=lambda e: e.start)
    if not spans:
        return NotCovered("31", f"no {coverage} enrolment for this member")
    span = next((e for e in spans if e.covers(on)), None)
    if span is None:
        if on < spans[0].start:
            return NotCovered(
                "26", f"service {on} is before {coverage} coverage began {spans[0].start}"
            )
        return NotCovered("27", f"service {on} is after {coverage} coverage ended")
    if span.plan_id is not None:
        pinned = plans.get(span.plan_id)
        candidates = [pinned] if pinned is not None and on in pinned.plan_year else []
    else:
        candidates = [
            p
            for p in plans.values()
            if p.coverage == coverage and p.sponsor == member.sponsor and on in p.plan_year
        ]
        if len(candidates) > 1 and span.plan_code:
            candidates = [p for p in candidates if p.id == span.plan_code] or candidates
    if not candidates:
        pinned_year = plans.get(span.plan_id) if span.plan_id else None
        if pinned_year is not None and on < pinned_year.plan_year.start:
            return NotCovered("26", f"service {on} is before plan {pinned_year.id} begins")
        if pinned_year is not None:
            return NotCovered("27", f"service {on} is after plan {pinned_year.id} ends")
        return NeedsReview(f"no {coverage} plan of sponsor {member.sponsor} in force on {on}")
    if len(candidates) > 1:
        ids = ", ".join(sorted(p.id for p in candidates))
        return NeedsReview(f"several {coverage} plans in force on {on} ({ids}): which one?")
    tier = span.tier or member.tier
    return PlanInForce(candidates[0], _continuous_start(spans, on), tier != "EE")


def _continuous_start(spans: list[Enrolment], on: date) -> date:
    """Walk back through back-to-back spans of one kind (renewals, tier changes)."""
    start = on
    extended = True
    while extended:
        extended = False
        for span in spans:
            span_end = span.end or date.max
            if span.start < start and span_end >= start - ONE_DAY:
                start, extended = span.start, True
    return start
