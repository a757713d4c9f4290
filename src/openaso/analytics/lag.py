"""The lag triangle: paid claims by incurred month × lag (paid month − incurred month), in cents.

Built with one `np.bincount` over the flattened (incurred, lag) cell, so ten million payments
take a fraction of a second. Cells below the diagonal (not yet observable at the valuation
month) stay zero; payments made after the valuation month are left out.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.months import Month, month_label


@dataclass(frozen=True, slots=True)
class Payments:
    """A columnar extract of paid claims: one row per payment (signed cents)."""

    incurred: NDArray[np.int64]  # month number of the (first) service date
    paid: NDArray[np.int64]  # month number the payment was made
    amount: NDArray[np.int64]  # cents; an adjustment's take-back is negative

    def __post_init__(self) -> None:
        sizes = {len(self.incurred), len(self.paid), len(self.amount)}
        if len(sizes) != 1:
            raise ValueError(f"payment columns differ in length: {sorted(sizes)}")


@dataclass(frozen=True, slots=True)
class LagTriangle:
    """Incremental paid amounts (cents) and payment counts, row i = incurred month first + i,
    column k = paid k months after the incurred month."""

    first: Month
    valuation: Month
    amounts: NDArray[np.int64]
    counts: NDArray[np.int64]

    @property
    def origins(self) -> int:
        return int(self.amounts.shape[0])

    @property
    def lags(self) -> int:
        return int(self.amounts.shape[1])

    def cumulative(self) -> NDArray[np.int64]:
        return np.cumsum(self.amounts, axis=1)

    def paid_to_date(self) -> NDArray[np.int64]:
        """Each incurred month's paid to date: the sum of its row."""
        paid: NDArray[np.int64] = self.amounts.sum(axis=1)
        return paid

    def age(self) -> NDArray[np.int64]:
        """The latest observed lag of each incurred month at the valuation month."""
        ages: NDArray[np.int64] = self.valuation - self.first - np.arange(self.origins)
        return ages


def lag_triangle(
    payments: Payments, valuation: Month, first: Month | None = None, max_lag: int | None = None
) -> LagTriangle:
    """The triangle of payments made up to the valuation month, from `first` incurred month on
    (default: the earliest in the extract). Lags beyond `max_lag` are added to the last column."""
    incurred, paid, amount = payments.incurred, payments.paid, payments.amount
    if len(paid) and int(paid.max()) > valuation:  # filter only when something is left out
        keep = paid <= valuation
        incurred, paid, amount = incurred[keep], paid[keep], amount[keep]
    if first is None:
        first = int(incurred.min()) if len(incurred) else valuation
    elif len(incurred) and int(incurred.min()) < first:
        keep = incurred >= first
        incurred, paid, amount = incurred[keep], paid[keep], amount[keep]
    lag = paid - incurred
    if len(lag) and int(lag.min()) < 0:
        bad = int(np.argmax(lag < 0))
        raise ValueError(
            f"a payment incurred in {month_label(int(incurred[bad]))} was paid in"
            f" {month_label(int(paid[bad]))}; expected paid no earlier than incurred"
        )
    origins = valuation - first + 1
    width = origins if max_lag is None else min(origins, max_lag + 1)
    if width < origins:
        np.minimum(lag, width - 1, out=lag)
    cell = incurred - first
    cell *= width
    cell += lag
    size = origins * width
    amounts = np.bincount(cell, weights=amount, minlength=size)
    counts = np.bincount(cell, minlength=size)
    return LagTriangle(
        first=first,
        valuation=valuation,
        # float64 sums of integer cents are exact below 2**53 cents (≈ $90 trillion)
        amounts=np.rint(amounts).astype(np.int64).reshape(origins, width),
        counts=counts.astype(np.int64).reshape(origins, width),
    )
