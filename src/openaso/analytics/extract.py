"""Stored rows → the columnar arrays the analytics work on (members as indices, months as ints)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.categories import CATEGORIES, service_category
from openaso.analytics.experience import Exposure, PaidLines
from openaso.analytics.lag import Payments
from openaso.analytics.months import Month, month_of

TIERS = ("EE", "ES", "EC", "FAM")


@dataclass(frozen=True, slots=True)
class PaymentExtract:
    payments: Payments
    member: NDArray[np.int64]  # index into `members`
    members: tuple[str, ...]


def _index(values: Sequence[str], names: dict[str, int]) -> NDArray[np.int64]:
    return np.array([names.setdefault(v, len(names)) for v in values], dtype=np.int64)


def payments_from_rows(rows: Sequence[tuple[str, date, date, int]]) -> PaymentExtract:
    names: dict[str, int] = {}
    member = _index([r[0] for r in rows], names)
    payments = Payments(
        incurred=np.array([month_of(r[1]) for r in rows], dtype=np.int64),
        paid=np.array([month_of(r[2]) for r in rows], dtype=np.int64),
        amount=np.array([r[3] for r in rows], dtype=np.int64),
    )
    return PaymentExtract(payments, member, tuple(names))


def lines_from_rows(
    rows: Sequence[tuple[str, str, str, date, str, int]], members: dict[str, int]
) -> PaidLines:
    """`members` maps member ids to indices and grows with the ids first seen here."""
    category_index = {name: i for i, name in enumerate(CATEGORIES)}
    tier_index = {name: i for i, name in enumerate(TIERS)}
    categories: dict[tuple[str, str], int] = {}
    for _, kind, code, *_ in rows:
        if (kind, code) not in categories:
            categories[kind, code] = category_index[service_category(kind, code)]
    return PaidLines(
        member=_index([r[0] for r in rows], members),
        month=np.array([month_of(r[3]) for r in rows], dtype=np.int64),
        category=np.array([categories[r[1], r[2]] for r in rows], dtype=np.int64),
        tier=np.array([tier_index[r[4]] for r in rows], dtype=np.int64),
        paid=np.array([r[5] for r in rows], dtype=np.int64),
        members=tuple(members),
        categories=CATEGORIES,
        tiers=TIERS,
    )


def exposure_from_rows(
    rows: Sequence[tuple[str, date, date | None, str, bool]],
    members: dict[str, int],
    first: Month,
    last: Month,
) -> Exposure:
    """A member is exposed in a month when covered on its first day (first … last only)."""
    tier_index = {name: i for i, name in enumerate(TIERS)}
    member, month, tier, employee = [], [], [], []
    for member_id, start, end, tier_code, is_employee in rows:
        begin = max(month_of(start) + (start.day > 1), first)
        stop = last if end is None else min(month_of(end), last)
        index = members.setdefault(member_id, len(members))
        for m in range(begin, stop + 1):
            member.append(index)
            month.append(m)
            tier.append(tier_index[tier_code])
            employee.append(is_employee)
    return Exposure(
        member=np.array(member, dtype=np.int64),
        month=np.array(month, dtype=np.int64),
        tier=np.array(tier, dtype=np.int64),
        employee=np.array(employee, dtype=np.bool_),
    )
