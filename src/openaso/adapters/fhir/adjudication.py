"""A decided line's amounts in CARIN Blue Button adjudication categories, and the EOB totals.

One rule places every cent of a decided line: submitted (billed) = benefit (plan paid) + copay
+ deductible + coinsurance + noncovered + discount. The member's cost shares are the PR
adjustments with CARC 3, 1 and 2; CARC 45 (over the allowed amount) is the network discount;
every other adjustment, the member's (PR) or not (CO, OA), is noncovered. A pended line has only
its submitted amount: nothing else is decided yet.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openaso.adapters.fhir.values import ADJUDICATION, C4BB_ADJUDICATION, coding, money
from openaso.core.money import Cents

_COST_SHARE = {"3": "copay", "1": "deductible", "2": "coinsurance"}
DISCOUNT_CARC = "45"
# (code, system) of each amount category, in the order an item lists them.
CATEGORIES = (
    ("submitted", ADJUDICATION),
    ("eligible", ADJUDICATION),
    ("benefit", ADJUDICATION),
    ("paidtoprovider", C4BB_ADJUDICATION),
    ("copay", ADJUDICATION),
    ("deductible", ADJUDICATION),
    ("coinsurance", C4BB_ADJUDICATION),
    ("noncovered", C4BB_ADJUDICATION),
    ("discount", C4BB_ADJUDICATION),
    ("memberliability", C4BB_ADJUDICATION),
)
_SYSTEM = dict(CATEGORIES)


@dataclass(frozen=True, slots=True)
class LineAmounts:
    """One line in adjudication categories; `decided` is False for a pended line."""

    decided: bool
    submitted: Cents
    eligible: Cents = 0
    benefit: Cents = 0
    copay: Cents = 0
    deductible: Cents = 0
    coinsurance: Cents = 0
    noncovered_member: Cents = 0  # PR adjustments other than cost shares: not covered, limits
    noncovered_other: Cents = 0  # CO and OA adjustments other than the discount
    discount: Cents = 0

    @property
    def noncovered(self) -> Cents:
        return self.noncovered_member + self.noncovered_other

    @property
    def member_liability(self) -> Cents:
        return self.copay + self.deductible + self.coinsurance + self.noncovered_member

    def categories(self) -> list[tuple[str, Cents]]:
        """(category, amount) as an item lists them; benefit is paid to the provider, to whom
        every benefit is assigned (services/payments.py pays the billing provider)."""
        if not self.decided:
            return [("submitted", self.submitted)]
        return [
            ("submitted", self.submitted),
            ("eligible", self.eligible),
            ("benefit", self.benefit),
            ("paidtoprovider", self.benefit),
            ("copay", self.copay),
            ("deductible", self.deductible),
            ("coinsurance", self.coinsurance),
            ("noncovered", self.noncovered),
            ("discount", self.discount),
            ("memberliability", self.member_liability),
        ]


def line_amounts(
    submitted: Cents,
    status: str,
    allowed: Cents,
    plan_paid: Cents,
    adjustments: Iterable[Sequence[Any]],
) -> LineAmounts:
    """Split a stored line decision ([group, carc, cents] adjustments) into categories."""
    if status == "pended":
        return LineAmounts(False, submitted)
    split = {"copay": 0, "deductible": 0, "coinsurance": 0}
    member = other = discount = 0
    for group, carc, amount in adjustments:
        if group == "PR" and carc in _COST_SHARE:
            split[_COST_SHARE[carc]] += amount
        elif carc == DISCOUNT_CARC and group != "PR":
            discount += amount
        elif group == "PR":
            member += amount
        else:
            other += amount
    return LineAmounts(
        True,
        submitted,
        allowed,
        plan_paid,
        **split,
        noncovered_member=member,
        noncovered_other=other,
        discount=discount,
    )


def adjudication(category: str, cents: Cents) -> dict[str, Any]:
    return {"category": coding(_SYSTEM[category], category), "amount": money(cents)}


def totals(lines: Iterable[LineAmounts]) -> list[tuple[str, Cents]]:
    """Each category summed over the lines that have it, in item order."""
    summed: dict[str, Cents] = {}
    for line in lines:
        for category, cents in line.categories():
            summed[category] = summed.get(category, 0) + cents
    return [(category, summed[category]) for category, _ in CATEGORIES if category in summed]
