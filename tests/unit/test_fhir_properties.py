"""Properties of the EOB's money: every cent of a line lands in exactly one category."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from openaso.adapters.db.claims_rows import LineRow
from openaso.adapters.fhir.eob import explanation_of_benefit
from openaso.core.claims import Claim, ServiceLine
from tests.unit.test_fhir_resources import record

adjustment = st.tuples(
    st.sampled_from(["CO", "PR", "OA"]),
    st.sampled_from(["1", "2", "3", "45", "27", "96", "119", "204"]),
    st.integers(min_value=0, max_value=5_000_000),
)
line = st.tuples(
    st.sampled_from(["approved", "denied", "pended"]),
    st.integers(min_value=0, max_value=5_000_000),  # plan paid
    st.lists(adjustment, max_size=5),
)


def category(a: dict[str, Any]) -> str:
    return str(a["category"]["coding"][0]["code"])


def balanced_claim(lines: list[tuple[str, int, list[tuple[str, str, int]]]]) -> dict[str, Any]:
    """Lines whose billed amount is what the engine guarantees: plan paid + adjustments."""
    services, decided = [], []
    for number, (status, paid, adjustments) in enumerate(lines, start=1):
        billed = paid + sum(a for _, _, a in adjustments)
        services.append(ServiceLine(number, "99213", date(2026, 3, 2), billed))
        if status == "pended":
            decided.append(LineRow(number, status, 0, 0, [], [], None, []))
        else:
            decided.append(LineRow(number, status, paid, paid, adjustments, [], None, []))
    claim = Claim("C9", "E1", date(2026, 3, 10), "in", "1234567893", tuple(services))
    return explanation_of_benefit(record(claim=claim, lines=tuple(decided), payments=()))


@given(st.lists(line, min_size=1, max_size=6))
def test_eob_totals_are_the_sums_of_the_item_adjudications(lines: list[Any]) -> None:
    eob = balanced_claim(lines)
    summed: dict[str, Decimal] = defaultdict(Decimal)
    for item in eob["item"]:
        for a in item["adjudication"]:
            if category(a) not in ("denialreason", "benefitpaymentstatus"):
                summed[category(a)] += a["amount"]["value"]
    assert {category(t): t["amount"]["value"] for t in eob["total"]} == summed


@given(st.lists(line, min_size=1, max_size=6))
def test_submitted_is_the_benefit_plus_every_adjustment_on_each_decided_item(
    lines: list[Any],
) -> None:
    eob = balanced_claim(lines)
    for item, (status, _, adjustments) in zip(eob["item"], lines, strict=True):
        found = {category(a): a["amount"]["value"] for a in item["adjudication"] if "amount" in a}
        if status == "pended":
            continue
        parts = ("benefit", "copay", "deductible", "coinsurance", "noncovered", "discount")
        assert found["submitted"] == sum(found[p] for p in parts)
        member = sum(a for g, _, a in adjustments if g == "PR")
        assert found["memberliability"] == Decimal(member).scaleb(-2)
        assert all(
            v == v.quantize(Decimal("0.01")) and v.as_tuple().exponent == -2 for v in found.values()
        )


def test_a_pended_item_has_its_submitted_amount_only() -> None:
    eob = balanced_claim([("pended", 100, [("CO", "45", 50)])])
    assert [category(a) for a in eob["item"][0]["adjudication"]] == [
        "submitted",
        "benefitpaymentstatus",
    ]
