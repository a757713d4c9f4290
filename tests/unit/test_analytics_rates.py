"""Working rates, COBRA and ASO against fully insured: domain.md §5's worked example exactly."""

from hypothesis import given
from hypothesis import strategies as st

from openaso.analytics.compare import Comparison, fully_insured, self_funded
from openaso.analytics.rates import TierCosts, working_rate, working_rates

EE = TierCosts(
    "EE", expected_claims=360_00, admin=40_00, specific_premium=85_00, aggregate_premium=6_00
)
FAMILY = TierCosts(
    "FAM", expected_claims=1_000_00, admin=40_00, specific_premium=210_00, aggregate_premium=6_00
)
GROUP = {"EE": 120, "FAM": 80}


def test_the_worked_example_rates_are_491_and_1256_with_cobra_at_102_percent() -> None:
    ee, family = working_rates([EE, FAMILY])
    assert (ee.rate, ee.cobra) == (491_00, 500_82)
    assert (family.rate, family.cobra) == (1_256_00, 1_281_12)
    assert (ee.cobra_disability, family.cobra_disability) == (736_50, 1_884_00)


def test_the_worked_example_costs_1_912_800_expected_and_2_282_400_at_most() -> None:
    budget = self_funded([EE, FAMILY], GROUP)
    assert budget.expected_claims == 1_478_400_00
    assert budget.fixed == 434_400_00
    assert budget.expected == 1_912_800_00
    assert budget.aggregate_attachment == 1_848_000_00
    assert budget.maximum == 2_282_400_00


def test_fully_insured_is_about_1_998_300_and_self_funding_saves_about_4_percent() -> None:
    budget = self_funded([EE, FAMILY], GROUP)
    insured = fully_insured(budget, premium_tax=200, risk_margin=300)
    assert insured.premium == 1_998_315_79
    assert insured.loads == 99_915_79  # the 2% tax and 3% risk margin of the premium
    comparison = Comparison(budget, insured)
    assert comparison.expected_saving == 85_515_79
    assert round(comparison.expected_saving / insured.premium, 3) == 0.043
    assert comparison.worst_case_extra == 284_084_21


def test_a_quote_replaces_the_equivalent_and_its_loads_are_what_it_carries_above_costs() -> None:
    budget = self_funded([EE, FAMILY], GROUP)
    insured = fully_insured(budget, premium_tax=200, risk_margin=300, quote=2_100_000_00)
    assert insured.quoted
    assert insured.loads == 2_100_000_00 - 1_478_400_00 - 324_000_00 - 96_000_00


def test_lasers_and_asd_retentions_raise_the_maximum_only() -> None:
    plain = self_funded([EE, FAMILY], GROUP)
    lasered = self_funded([EE, FAMILY], GROUP, retentions=200_000_00)
    assert lasered.expected == plain.expected
    assert lasered.maximum == plain.maximum + 200_000_00


cents = st.integers(0, 5_000_00)


@given(claims=cents, admin=cents, specific=cents, aggregate=cents, margin=st.integers(0, 3_000))
def test_a_working_rate_is_its_parts_and_cobra_never_below_it(
    claims: int, admin: int, specific: int, aggregate: int, margin: int
) -> None:
    rate = working_rate(TierCosts("EE", claims, admin, specific, aggregate, margin=margin))
    assert rate.rate == claims + admin + specific + aggregate + rate.margin
    assert rate.margin * 10_000 - claims * margin in range(-5_000, 5_001)
    assert rate.rate <= rate.cobra <= rate.cobra_disability


@given(claims=cents, admin=cents, specific=cents, tax=st.integers(0, 500), risk=st.integers(0, 800))
def test_the_insured_premium_carries_exactly_its_loads_on_top_of_the_costs(
    claims: int, admin: int, specific: int, tax: int, risk: int
) -> None:
    budget = self_funded([TierCosts("EE", claims, admin, specific, 0)], {"EE": 10})
    insured = fully_insured(budget, premium_tax=tax, risk_margin=risk)
    assert insured.premium == insured.claims + insured.pooling + insured.expenses + insured.loads
    # the loads are (tax + risk) of the premium, to within the half-cent rounding
    assert abs(insured.loads * 10_000 - insured.premium * (tax + risk)) <= 10_000
