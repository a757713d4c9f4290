"""IBNR by the development (chain-ladder) method, the latest months blended with a PMPM projection.

domain.md §6: cumulate the lag triangle; age-to-age factors f_k = ΣC(i,k+1) / ΣC(i,k),
volume-weighted over the incurred months observed at k+1 (optionally only the `window` most
recent of them); age-to-ultimate = Π f_j for j ≥ k; completion factor = 1 / age-to-ultimate;
ultimate = paid to date / completion; IBNR = ultimate − paid. No tail beyond the last lag.

ASOP 5 asks for a projection method where development is not credible: for the `blend_months`
most recent incurred months the ultimate is paid + (1 − completion) × PMPM × member months, that
is the development ultimate weighted by its completion factor and the PMPM projection by the rest
(the Bornhuetter–Ferguson form). The PMPM is given, or taken from the developed experience of the
`pmpm_months` incurred months before the blended ones.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.lag import LagTriangle
from openaso.analytics.months import Month, cents, cents_array


@dataclass(frozen=True, slots=True)
class Blending:
    """How the most recent months are projected: `months` of them (0: none), at `pmpm` cents
    per member per month, or — when `pmpm` is None — at the developed PMPM of the
    `pmpm_months` months before them."""

    months: int = 0
    pmpm: int | None = None
    pmpm_months: int = 12


NO_BLENDING = Blending()


@dataclass(frozen=True, slots=True)
class IncurredMonth:
    month: Month
    paid: int  # cents paid to date
    completion: float
    developed: int  # cents: paid / completion
    ultimate: int  # cents: developed, or blended with the PMPM projection
    member_months: int | None
    method: str  # development | blended

    @property
    def ibnr(self) -> int:
        return self.ultimate - self.paid


@dataclass(frozen=True, slots=True)
class Reserve:
    factors: tuple[float, ...]  # age-to-age f_0 … f_{n−2}
    completion: tuple[float, ...]  # by lag 0 … n−1
    months: tuple[IncurredMonth, ...]
    pmpm: int | None  # the PMPM the blended months were projected at

    @property
    def ibnr(self) -> int:
        return sum(row.ibnr for row in self.months)

    @property
    def paid(self) -> int:
        return sum(row.paid for row in self.months)


def development_factors(triangle: LagTriangle, window: int | None = None) -> NDArray[np.float64]:
    """Volume-weighted age-to-age factors; 1.0 where nothing was paid yet to develop from."""
    cumulative = triangle.cumulative().astype(np.float64)
    age = np.minimum(triangle.age(), triangle.lags - 1)
    factors = np.ones(max(triangle.lags - 1, 0))
    for k in range(triangle.lags - 1):
        rows = np.flatnonzero(age >= k + 1)
        if window is not None:
            rows = rows[-window:]
        below = cumulative[rows, k].sum()
        if below != 0:
            factors[k] = cumulative[rows, k + 1].sum() / below
    return factors


def completion_factors(factors: NDArray[np.float64]) -> NDArray[np.float64]:
    """Completion by lag: 1 / the product of the factors from that lag on (1.0 at the last)."""
    to_ultimate = np.append(np.cumprod(factors[::-1])[::-1], 1.0)
    return 1.0 / to_ultimate


def reserve(
    triangle: LagTriangle,
    member_months: NDArray[np.int64] | None = None,
    blending: Blending = NO_BLENDING,
    window: int | None = None,
) -> Reserve:
    """IBNR by incurred month; `member_months` (one per incurred month) enables blending."""
    factors = development_factors(triangle, window)
    completion = completion_factors(factors)
    age = np.minimum(triangle.age(), triangle.lags - 1)
    paid = triangle.paid_to_date()
    complete = completion[age]
    developed = cents_array(paid / complete)
    ultimate = developed.copy()
    blended = np.zeros(triangle.origins, dtype=bool)
    pmpm: int | None = None
    if blending.months > 0 and member_months is not None:
        if len(member_months) != triangle.origins:
            raise ValueError(
                f"member months: expected one per incurred month ({triangle.origins}),"
                f" got {len(member_months)}"
            )
        recent = max(triangle.origins - blending.months, 0)
        pmpm = blending.pmpm
        if pmpm is None:
            base = slice(max(recent - blending.pmpm_months, 0), recent)
            exposure = int(member_months[base].sum())
            if exposure == 0:
                raise ValueError(
                    "blending: no member months before the blended months to take a PMPM from;"
                    " give the PMPM instead"
                )
            pmpm = cents(float(developed[base].sum()) / exposure)
        projected = (1.0 - complete[recent:]) * pmpm * member_months[recent:]
        ultimate[recent:] = paid[recent:] + cents_array(projected)
        blended[recent:] = True
    months = tuple(
        IncurredMonth(
            month=triangle.first + i,
            paid=int(paid[i]),
            completion=float(complete[i]),
            developed=int(developed[i]),
            ultimate=int(ultimate[i]),
            member_months=None if member_months is None else int(member_months[i]),
            method="blended" if blended[i] else "development",
        )
        for i in range(triangle.origins)
    )
    return Reserve(
        factors=tuple(float(f) for f in factors),
        completion=tuple(float(c) for c in completion),
        months=months,
        pmpm=pmpm,
    )
