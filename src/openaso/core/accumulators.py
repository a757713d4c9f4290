"""Accumulators: running totals per member or family and plan document (so per plan year).

The engine reads balances and returns postings; the caller decides how to persist them. Keys
are `(holder kind, holder id, plan id, name)` where the kind is "member" or "family".
"""

from collections.abc import Mapping
from typing import Literal, NamedTuple

HolderKind = Literal["member", "family"]
AccumulatorKey = tuple[HolderKind, str, str, str]

DEDUCTIBLE = {"in": "deductible_in", "out": "deductible_out"}
OOP = {"in": "oop_in", "out": "oop_out"}
PLAN_PAID = "plan_paid"
MEMBER_NAMES = frozenset({*DEDUCTIBLE.values(), *OOP.values(), PLAN_PAID})
FAMILY_NAMES = frozenset({*DEDUCTIBLE.values(), *OOP.values()})


def count_name(benefit: str) -> str:
    return f"count:{benefit}"


def is_accumulator_name(name: str, holder: HolderKind) -> bool:
    if holder == "family":
        return name in FAMILY_NAMES
    return name in MEMBER_NAMES or (name.startswith("count:") and len(name) > 6)


class Posting(NamedTuple):
    """One amount posted to an accumulator, with the balance it found (for the trace).

    A NamedTuple rather than a frozen dataclass: the engine makes several per claim line, and
    a tuple is built in a third of the time; it is just as immutable.
    """

    key: AccumulatorKey
    amount: int
    before: int
    line_number: int  # 0 for a claim-level posting (a pharmacy fill, an opening balance)

    @property
    def after(self) -> int:
        return self.before + self.amount


class RunningBalances:
    """Balances as they stand while one claim is adjudicated: stored values plus its postings."""

    __slots__ = ("_base", "_changed", "postings")

    def __init__(self, base: Mapping[AccumulatorKey, int]) -> None:
        self._base = base
        self._changed: dict[AccumulatorKey, int] = {}
        self.postings: list[Posting] = []

    def __getitem__(self, key: AccumulatorKey) -> int:
        value = self._changed.get(key)
        return self._base.get(key, 0) if value is None else value

    def add(self, key: AccumulatorKey, amount: int, line_number: int) -> Posting:
        before = self._changed.get(key)
        if before is None:
            before = self._base.get(key, 0)
        posting = Posting(key, amount, before, line_number)
        if amount:
            self._changed[key] = before + amount
            self.postings.append(posting)
        return posting
