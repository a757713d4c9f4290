"""Use cases of the actuarial reports: lag triangle and IBNR, experience, a fitted claim model.

Each reads the sponsor's stored paid claims in one unit of work and checks who asks: the
sponsor's own figures only (`require_sponsor`). For the de-identified roles (sponsor, broker)
an experience cell over fewer than SMALL_CELL members is withheld (None), with complementary
cells so that totals give none away; large claimants are a count and a total only, never one
person's amounts; and a lag report needs SMALL_CELL members enrolled in every incurred month
(its cells, factors and IBNR are figures over that month's members, and withholding single
cells of a triangle would not hide them: row totals and factors give them back).
"""

import hashlib
import hmac
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.experience import Cell, Experience, experience
from openaso.analytics.extract import exposure_from_rows, lines_from_rows, payments_from_rows
from openaso.analytics.fit import fit_claim_model
from openaso.analytics.ibnr import NO_BLENDING, Blending, Reserve, reserve
from openaso.analytics.lag import LagTriangle, lag_triangle
from openaso.analytics.months import Month, month_label, month_of
from openaso.analytics.simulate import ClaimModel
from openaso.services.access import SMALL_CELL, Principal, require_sponsor, suppress_small
from openaso.services.ports import UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class LagReport:
    sponsor_id: str
    triangle: LagTriangle
    cell_members: NDArray[np.int64]  # distinct members paid in each cell
    reserve: Reserve


@dataclass(frozen=True, slots=True)
class ExperienceReport:
    sponsor_id: str
    experience: Experience
    large_claimants: int  # how many reached the large-claim threshold
    large_claimant_paid: int | None  # their total (None: suppressed)
    suppressed: bool


def claimant_key(secret: bytes, member_id: str) -> str:
    """A de-identified claimant key: HMAC-SHA256 of the member id under the sponsor's secret."""
    return hmac.new(secret, member_id.encode(), hashlib.sha256).hexdigest()[:12]


def lag_report(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    valuation: date,
    blending: Blending = NO_BLENDING,
    window: int | None = None,
    coverage: str = "medical",
) -> LagReport:
    require_sponsor(principal, sponsor_id)
    with new_uow() as uow:
        extract = payments_from_rows(uow.analytics.payments(sponsor_id))
        spans = uow.analytics.coverage(sponsor_id, coverage)
    through = month_of(valuation)
    if len(extract.payments.amount) == 0:
        raise ValueError(f"sponsor {sponsor_id}: no paid claims to build a lag triangle from")
    triangle = lag_triangle(extract.payments, through)
    members = {name: i for i, name in enumerate(extract.members)}
    exposure = exposure_from_rows(spans, members, triangle.first, through)
    member_months = np.bincount(exposure.month - triangle.first, minlength=triangle.origins)
    result = reserve(triangle, member_months.astype(np.int64), blending, window)
    cells = _cell_members(
        triangle, extract.payments.incurred, extract.payments.paid, extract.member
    )
    if not principal.sees_phi:
        for i, exposed in enumerate(member_months):
            if suppress_small(int(exposed), 1) is None:
                raise ValueError(
                    f"sponsor {sponsor_id}: {int(exposed)} members enrolled in"
                    f" {month_label(triangle.first + i)}; a de-identified lag report needs at"
                    f" least {SMALL_CELL} in every incurred month"
                )
    return LagReport(sponsor_id, triangle, cells, result)


def _cell_members(
    triangle: LagTriangle,
    incurred: NDArray[np.int64],
    paid: NDArray[np.int64],
    member: NDArray[np.int64],
) -> NDArray[np.int64]:
    keep = (paid <= triangle.valuation) & (incurred >= triangle.first)
    row = incurred[keep] - triangle.first
    lag = np.minimum(paid[keep] - incurred[keep], triangle.lags - 1)
    cell = row * triangle.lags + lag
    width = int(member.max(initial=0)) + 1
    pairs = np.unique(cell * width + member[keep])
    counts = np.bincount(pairs // width, minlength=triangle.origins * triangle.lags)
    return counts.reshape(triangle.origins, triangle.lags).astype(np.int64)


def experience_report(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    months: tuple[Month, ...],
    secret: bytes,
    large_claim: int = 50_000_00,
    budget_pepm: dict[str, int] | None = None,
    trend_months: tuple[Month, ...] | None = None,
    coverage: str = "medical",
) -> ExperienceReport:
    require_sponsor(principal, sponsor_id)
    if not months:
        raise ValueError("experience: no months asked for")
    with new_uow() as uow:
        line_rows = uow.analytics.paid_lines(sponsor_id)
        spans = uow.analytics.coverage(sponsor_id, coverage)
    members: dict[str, int] = {}
    lines = lines_from_rows(line_rows, members)
    exposure = exposure_from_rows(spans, members, months[0], months[-1])
    keys = {member_id: claimant_key(secret, member_id) for member_id in lines.members}
    result = experience(lines, exposure, months, keys, large_claim, budget_pepm, trend_months)
    count = len(result.large_claimants)
    total = sum(c.paid for c in result.large_claimants)
    if principal.sees_phi:
        return ExperienceReport(sponsor_id, result, count, total, suppressed=False)
    hidden = replace(
        result,
        by_month=withhold_small_cells(result.by_month),
        by_category=withhold_small_cells(result.by_category),
        by_tier=withhold_small_cells(result.by_tier),
        total=withhold_small_cells((result.total,))[0],
        large_claimants=(),
    )
    return ExperienceReport(sponsor_id, hidden, count, suppress_small(count, total), True)


def withhold_small_cells(view: tuple[Cell, ...]) -> tuple[Cell, ...]:
    """Withhold the cells of a view under SMALL_CELL members, and then the smallest others
    until the withheld cells cover SMALL_CELL members together (complementary suppression):
    otherwise the total less the cells shown would give a withheld cell away."""
    withheld = {i for i, c in enumerate(view) if suppress_small(c.members, 1) is None}
    if withheld:
        others = sorted((c.members, i) for i, c in enumerate(view) if c.members >= SMALL_CELL)
        for _, i in others:  # cells of no members hold nothing to give away
            if sum(view[j].members for j in withheld) >= SMALL_CELL:
                break
            withheld.add(i)
    return tuple(
        replace(c, paid=None, pmpm=None, pepm=None) if i in withheld else c
        for i, c in enumerate(view)
    )


def fitted_claim_model(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    first: Month,
    last: Month,
    trend: float = 0.0,
    coverage: str = "medical",
) -> tuple[ClaimModel, int]:
    """The claim model fitted to the member-years of `first` … `last` (a year), and the number
    of members enrolled in the last month (the group to simulate)."""
    require_sponsor(principal, sponsor_id)
    with new_uow() as uow:
        line_rows = uow.analytics.paid_lines(sponsor_id)
        spans = uow.analytics.coverage(sponsor_id, coverage)
    members: dict[str, int] = {}
    lines = lines_from_rows(line_rows, members)
    exposure = exposure_from_rows(spans, members, first, last)
    inside = (lines.month >= first) & (lines.month <= last)
    size = len(members)
    per_member = np.bincount(lines.member[inside], weights=lines.paid[inside], minlength=size)
    exposed_months = np.bincount(exposure.member, minlength=size)
    exposed = exposed_months > 0
    # annualise each member's claims by the months they were covered
    annual = per_member[exposed] * 12 / exposed_months[exposed]
    enrolled = int((exposure.month == last).sum())
    return fit_claim_model(np.rint(annual).astype(np.int64), trend=trend), enrolled


def expected_claims_pepm(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    months: tuple[Month, ...],
    specific_deductible: int | None = None,
    trend: float = 0.0,
    coverage: str = "medical",
) -> dict[str, int]:
    """Expected claims PEPM by tier for the next plan year from the experience of `months`
    (a plan year): each member's paid claims capped at the specific deductible, per employee
    month of the tier, trended by (1 + trend) for the year ahead. Under SMALL_CELL members a
    tier's figure is not given to a de-identified reader (ValueError)."""
    require_sponsor(principal, sponsor_id)
    if not months:
        raise ValueError("expected claims: no experience months given")
    with new_uow() as uow:
        line_rows = uow.analytics.paid_lines(sponsor_id)
        spans = uow.analytics.coverage(sponsor_id, coverage)
    members: dict[str, int] = {}
    lines = lines_from_rows(line_rows, members)
    exposure = exposure_from_rows(spans, members, months[0], months[-1])
    size, tiers = len(members), len(lines.tiers)
    inside = (lines.month >= months[0]) & (lines.month <= months[-1])
    per_member = np.bincount(lines.member[inside], weights=lines.paid[inside], minlength=size)
    if specific_deductible is not None:
        per_member = np.minimum(per_member, specific_deductible)
    tier_of = np.zeros(size, dtype=np.int64)
    tier_of[exposure.member] = exposure.tier  # the member's tier in its last covered month
    paid = np.bincount(tier_of, weights=per_member, minlength=tiers)
    employee_months = np.bincount(exposure.tier[exposure.employee], minlength=tiers)
    enrolled = _distinct_per(exposure.tier, exposure.member, tiers)
    found: dict[str, int] = {}
    for i, tier in enumerate(lines.tiers):
        if employee_months[i] == 0:
            continue
        if not principal.sees_phi and suppress_small(int(enrolled[i]), 1) is None:
            raise ValueError(
                f"tier {tier} has {int(enrolled[i])} members: too few for a de-identified figure"
            )
        found[tier] = int(np.floor(paid[i] / employee_months[i] * (1 + trend) + 0.5))
    return found


def _distinct_per(
    group: NDArray[np.int64], member: NDArray[np.int64], size: int
) -> NDArray[np.int64]:
    width = int(member.max(initial=0)) + 1
    pairs = np.unique(group * width + member)
    counts: NDArray[np.int64] = np.bincount(pairs // width, minlength=size)
    return counts
