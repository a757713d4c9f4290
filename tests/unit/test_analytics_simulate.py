"""Monte Carlo of plan-year cost: the mean meets the analytic one; stop-loss invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.analytics.fit import fit_claim_model
from openaso.analytics.simulate import BATCHES, ClaimModel, Laser, StopLossOption, simulate

NONE = StopLossOption("no stop-loss", fixed_costs=120_000_00)
SPECIFIC = StopLossOption("$100k specific", specific_deductible=100_000_00)


def test_the_simulated_mean_matches_the_analytic_expected_cost_within_1_percent() -> None:
    model = ClaimModel()
    result = simulate(model, members=1_000, options=[NONE], years=20_000, seed=7)
    analytic = model.expected_per_member() * 1_000
    assert result.expected_gross == round(analytic)
    assert abs(result.gross_mean - analytic) / analytic < 0.01
    assert abs(result.outcomes[0].mean - (analytic + 120_000_00)) / analytic < 0.01


def test_the_defaults_reproduce_the_reference_simulation_of_section_7() -> None:
    result = simulate(ClaimModel(), members=450, options=[NONE, SPECIFIC], years=20_000, seed=1)
    gross, net = result.outcomes
    assert result.expected_gross == 2_970_090_00  # $550 PMPM × 450 × 12
    assert net.mean == pytest.approx(2_540_000_00, rel=0.01)
    assert net.cv == pytest.approx(0.109, abs=0.01)
    assert gross.var99 - gross.option.fixed_costs == pytest.approx(4_820_000_00, rel=0.03)


def test_the_same_seed_gives_the_same_years_and_another_seed_other_years() -> None:
    first = simulate(ClaimModel(), 200, [SPECIFIC], years=2_000, seed=3).outcomes[0]
    again = simulate(ClaimModel(), 200, [SPECIFIC], years=2_000, seed=3).outcomes[0]
    other = simulate(ClaimModel(), 200, [SPECIFIC], years=2_000, seed=4).outcomes[0]
    assert np.array_equal(first.costs, again.costs)
    assert not np.array_equal(first.costs, other.costs)


def test_an_aggregate_corridor_caps_every_year_at_its_attachment() -> None:
    option = StopLossOption("agg", specific_deductible=100_000_00, aggregate_corridor=1.10)
    outcome = simulate(ClaimModel(), 100, [option], years=5_000, seed=2).outcomes[0]
    assert outcome.attachment is not None
    assert float(outcome.costs.max()) <= outcome.attachment
    assert 0 < outcome.p_aggregate_pays < 0.5
    assert outcome.tvar99 >= outcome.var99 >= outcome.var95


def test_a_budget_gives_the_probability_of_exceeding_it() -> None:
    result = simulate(ClaimModel(), 450, [SPECIFIC], years=5_000, seed=5, budget=3_000_000_00)
    outcome = result.outcomes[0]
    assert outcome.p_over_budget == pytest.approx(float((outcome.costs > 3_000_000_00).mean()))


@settings(max_examples=15, deadline=None)
@given(
    low=st.integers(20_000_00, 200_000_00),
    extra=st.integers(0, 300_000_00),
    asd=st.integers(0, 100_000_00),
    seed=st.integers(0, 1_000),
)
def test_a_higher_deductible_laser_or_asd_never_lowers_the_employers_claims(
    low: int, extra: int, asd: int, seed: int
) -> None:
    options = [
        StopLossOption("low", specific_deductible=low),
        StopLossOption("high", specific_deductible=low + extra),
        StopLossOption("laser", specific_deductible=low, lasers=(Laser(3, low + extra),)),
        StopLossOption("asd", specific_deductible=low, asd=asd),
    ]
    result = simulate(ClaimModel(catastrophic=0.02), 50, options, years=300, seed=seed)
    low_costs = result.outcomes[0].costs
    for outcome in result.outcomes[1:]:
        assert bool(np.all(outcome.costs >= low_costs - 1e-3))
    for outcome in result.outcomes:
        assert outcome.mean_specific_reimbursed >= 0


def test_lasers_for_more_members_than_the_group_are_refused() -> None:
    with pytest.raises(ValueError, match="lasers cover more members"):
        simulate(ClaimModel(), 2, [StopLossOption("x", 1, lasers=(Laser(3, 2),))], years=1)


def test_a_model_fitted_to_its_own_draws_finds_its_parameters_again() -> None:
    model = ClaimModel(catastrophic=0.01, body_sigma=1.0)  # a body that stays under $150k
    rng = np.random.default_rng(9)
    n = 200_000
    body = rng.lognormal(np.log(model.body_mean) - model.body_sigma**2 / 2, model.body_sigma, n)
    body[rng.random(n) < model.no_claim] = 0
    tail = rng.random(n) < model.catastrophic
    body[tail] = model.pareto_scale * (1 - rng.random(int(tail.sum()))) ** (-1 / 2.2)
    fitted = fit_claim_model(np.rint(body).astype(np.int64))
    assert fitted.no_claim == pytest.approx(0.20, abs=0.01)
    assert fitted.catastrophic == pytest.approx(0.01, rel=0.1)
    assert fitted.pareto_alpha == pytest.approx(2.2, rel=0.1)
    assert fitted.body_sigma == pytest.approx(1.0, rel=0.05)


def test_fitting_needs_member_years_with_claims() -> None:
    with pytest.raises(ValueError, match="need at least 2"):
        fit_claim_model(np.zeros(10, dtype=np.int64))


def test_a_run_reports_its_progress_by_batches_of_years_and_watching_changes_nothing() -> None:
    seen: list[tuple[int, int]] = []
    watched = simulate(
        ClaimModel(), 50, [SPECIFIC], years=1_000, seed=4, progress=lambda *p: seen.append(p)
    )
    assert len(seen) == BATCHES
    assert seen[0] == (50, 1_000)
    assert seen[-1] == (1_000, 1_000)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    unwatched = simulate(ClaimModel(), 50, [SPECIFIC], years=1_000, seed=4)
    assert watched.outcomes[0].mean == unwatched.outcomes[0].mean
