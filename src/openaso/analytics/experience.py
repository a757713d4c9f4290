"""Claims experience: PMPM / PEPM by month, service category and tier; large claimants; loss
ratio against the budget; trend.

Inputs are columnar: paid claim lines (member, incurred month, category, tier, cents) and the
exposure (one row per member per covered month, with the tier and whether the member is the
employee). PMPM = paid / member months, PEPM = paid / employee months, half up to the cent.
Trend is the annualised slope of a least-squares line through ln(PMPM) by month:
(exp(12 × slope) − 1), over the months given (leave out the immature latest ones).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.months import Month, cents


@dataclass(frozen=True, slots=True)
class PaidLines:
    member: NDArray[np.int64]  # index into `members`
    month: NDArray[np.int64]  # incurred (service) month
    category: NDArray[np.int64]  # index into `categories`
    tier: NDArray[np.int64]  # index into `tiers`
    paid: NDArray[np.int64]  # cents
    members: tuple[str, ...]
    categories: tuple[str, ...]
    tiers: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Exposure:
    """One row per member per covered month."""

    member: NDArray[np.int64]
    month: NDArray[np.int64]
    tier: NDArray[np.int64]
    employee: NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class Cell:
    """One row of a report: its label, the members it covers, paid and the per-unit figures."""

    label: str
    members: int  # distinct members in the cell (suppression counts these)
    member_months: int
    employee_months: int
    paid: int | None  # None: suppressed for a de-identified reader
    pmpm: int | None
    pepm: int | None


@dataclass(frozen=True, slots=True)
class Claimant:
    key: str  # a keyed hash of the member id, never the id
    paid: int
    by_category: tuple[tuple[str, int], ...]


@dataclass(frozen=True, slots=True)
class LossRatio:
    label: str
    paid: int
    budget: int

    @property
    def ratio(self) -> float | None:
        return self.paid / self.budget if self.budget else None


@dataclass(frozen=True, slots=True)
class Experience:
    by_month: tuple[Cell, ...]
    by_category: tuple[Cell, ...]
    by_tier: tuple[Cell, ...]
    total: Cell
    large_claimants: tuple[Claimant, ...]
    loss_ratio: tuple[LossRatio, ...]  # by month; empty without a budget
    trend: float | None


def _per(paid: int, units: int) -> int | None:
    return cents(paid / units) if units else None


def _cell(label: str, members: int, member_months: int, employee_months: int, paid: int) -> Cell:
    return Cell(
        label,
        members,
        member_months,
        employee_months,
        paid,
        _per(paid, member_months),
        _per(paid, employee_months),
    )


def _distinct(groups: NDArray[np.int64], member: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    """Distinct members per group index."""
    if len(groups) == 0:
        return np.zeros(size, dtype=np.int64)
    pairs = np.unique(groups * (int(member.max()) + 1) + member)
    found: NDArray[np.int64] = np.bincount(pairs // (int(member.max()) + 1), minlength=size)
    return found


def experience(
    lines: PaidLines,
    exposure: Exposure,
    months: Sequence[Month],
    claimant_key: Mapping[str, str],
    large_claim: int = 50_000_00,
    budget_pepm: Mapping[str, int] | None = None,
    trend_months: Sequence[Month] | None = None,
) -> Experience:
    """`claimant_key` maps member ids to their keyed hashes; `months` are reported in order."""
    first, count = months[0], len(months)
    keep = (lines.month >= first) & (lines.month < first + count)
    member, month, paid = lines.member[keep], lines.month[keep] - first, lines.paid[keep]
    category, tier = lines.category[keep], lines.tier[keep]
    inside = (exposure.month >= first) & (exposure.month < first + count)
    e_member, e_month = exposure.member[inside], exposure.month[inside] - first
    e_tier, e_employee = exposure.tier[inside], exposure.employee[inside]

    def sums(index: NDArray[np.int64], size: int) -> list[int]:
        return [int(v) for v in np.bincount(index, weights=paid, minlength=size).round()]

    month_mm = np.bincount(e_month, minlength=count)
    month_em = np.bincount(e_month[e_employee], minlength=count)
    month_members = _distinct(e_month, e_member, count)
    month_paid = sums(month, count)
    by_month = tuple(
        _cell(
            f"{(first + i) // 12:04d}-{(first + i) % 12 + 1:02d}",
            int(month_members[i]),
            int(month_mm[i]),
            int(month_em[i]),
            month_paid[i],
        )
        for i in range(count)
    )
    total_mm, total_em = int(month_mm.sum()), int(month_em.sum())
    tiers = len(lines.tiers)
    tier_mm = np.bincount(e_tier, minlength=tiers)
    tier_em = np.bincount(e_tier[e_employee], minlength=tiers)
    tier_members = _distinct(e_tier, e_member, tiers)
    tier_paid = sums(tier, tiers)
    by_tier = tuple(
        _cell(name, int(tier_members[i]), int(tier_mm[i]), int(tier_em[i]), tier_paid[i])
        for i, name in enumerate(lines.tiers)
    )
    categories = len(lines.categories)
    category_members = _distinct(category, member, categories)
    category_paid = sums(category, categories)
    by_category = tuple(
        _cell(name, int(category_members[i]), total_mm, total_em, category_paid[i])
        for i, name in enumerate(lines.categories)
    )
    all_members = len(np.unique(e_member))
    total = _cell("total", all_members, total_mm, total_em, sum(month_paid))
    return Experience(
        by_month=by_month,
        by_category=by_category,
        by_tier=by_tier,
        total=total,
        large_claimants=_large(lines, member, category, paid, claimant_key, large_claim),
        loss_ratio=_loss_ratio(by_month, lines.tiers, e_month, e_tier, e_employee, budget_pepm),
        trend=_trend(by_month, first, trend_months),
    )


def _large(
    lines: PaidLines,
    member: NDArray[np.int64],
    category: NDArray[np.int64],
    paid: NDArray[np.int64],
    claimant_key: Mapping[str, str],
    threshold: int,
) -> tuple[Claimant, ...]:
    per_member = np.bincount(member, weights=paid, minlength=len(lines.members))
    large = np.flatnonzero(per_member >= threshold)
    found = []
    for index in large[np.argsort(-per_member[large], kind="stable")]:
        mine = member == index
        split = np.bincount(category[mine], weights=paid[mine], minlength=len(lines.categories))
        found.append(
            Claimant(
                key=claimant_key[lines.members[index]],
                paid=round(float(per_member[index])),
                by_category=tuple(
                    (name, round(float(split[i])))
                    for i, name in enumerate(lines.categories)
                    if split[i]
                ),
            )
        )
    return tuple(found)


def _loss_ratio(
    by_month: tuple[Cell, ...],
    tiers: tuple[str, ...],
    e_month: NDArray[np.int64],
    e_tier: NDArray[np.int64],
    e_employee: NDArray[np.bool_],
    budget_pepm: Mapping[str, int] | None,
) -> tuple[LossRatio, ...]:
    if budget_pepm is None:
        return ()
    enrolled = {tiers[i] for i in np.unique(e_tier)}
    missing = sorted(enrolled - set(budget_pepm))
    if missing:
        raise ValueError(f"budget: no PEPM for tier {', '.join(missing)}")
    rate = np.array([budget_pepm.get(t, 0) for t in tiers], dtype=np.int64)
    budget = np.bincount(
        e_month[e_employee], weights=rate[e_tier[e_employee]], minlength=len(by_month)
    )
    return tuple(
        LossRatio(cell.label, cell.paid or 0, round(float(budget[i])))
        for i, cell in enumerate(by_month)
    )


def _trend(
    by_month: tuple[Cell, ...], first: Month, months: Sequence[Month] | None
) -> float | None:
    chosen = range(first, first + len(by_month)) if months is None else months
    points = [
        (m - first, by_month[m - first].pmpm)
        for m in chosen
        if 0 <= m - first < len(by_month) and (by_month[m - first].pmpm or 0) > 0
    ]
    if len(points) < 3:
        return None
    x = np.array([p[0] for p in points], dtype=np.float64)
    y = np.log(np.array([p[1] for p in points], dtype=np.float64))
    slope = float(np.polyfit(x, y, 1)[0])
    return float(np.exp(12 * slope) - 1)
