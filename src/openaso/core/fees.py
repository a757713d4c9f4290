"""Fee schedules versioned by effective date: the in-network price of a code on a date."""

from bisect import bisect_right
from collections.abc import Mapping
from datetime import date

from openaso.core.money import Cents


class FeeSchedule:
    """Versions of `code → amount`; a version applies to services on or after its date."""

    __slots__ = ("_dates", "_versions")

    def __init__(self, versions: Mapping[date, Mapping[str, Cents]]) -> None:
        ordered = sorted(versions.items())
        self._dates = tuple(day for day, _ in ordered)
        self._versions = tuple(dict(fees) for _, fees in ordered)

    @classmethod
    def single(cls, fees: Mapping[str, Cents]) -> "FeeSchedule":
        """One version for all dates (scenarios, benchmarks)."""
        return cls({date.min: fees})

    def amount(self, code: str, on: date) -> Cents | None:
        if len(self._dates) == 1:
            return self._versions[0].get(code) if on >= self._dates[0] else None
        index = bisect_right(self._dates, on) - 1
        return self._versions[index].get(code) if index >= 0 else None

    @property
    def versions(self) -> dict[date, dict[str, Cents]]:
        return dict(zip(self._dates, self._versions, strict=True))
