"""Months as integers (year × 12 + month − 1), and the one rounding rule for reported money."""

from datetime import date

import numpy as np
from numpy.typing import NDArray

Month = int


def month_of(day: date) -> Month:
    return day.year * 12 + day.month - 1


def month_start(month: Month) -> date:
    return date(month // 12, month % 12 + 1, 1)


def month_label(month: Month) -> str:
    return f"{month // 12:04d}-{month % 12 + 1:02d}"


def months_of(days: NDArray[np.datetime64]) -> NDArray[np.int64]:
    """Days (datetime64[D]) → month numbers, vectorised."""
    months = days.astype("datetime64[M]").astype(np.int64)  # months since 1970-01
    return months + 1970 * 12


def cents(value: float) -> int:
    """A statistic in cents (a float) → integer cents, half up: the edge rounding of analytics."""
    return int(np.floor(value + 0.5))


def cents_array(values: NDArray[np.float64]) -> NDArray[np.int64]:
    return np.floor(values + 0.5).astype(np.int64)
