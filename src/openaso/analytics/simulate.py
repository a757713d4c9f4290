"""Monte Carlo of a plan year's cost under stop-loss options (domain.md §7), vectorised NumPy.

Each member's annual claims: no claims with probability `no_claim`, else a lognormal "body"
(σ and conditional mean given); plus, with probability `catastrophic` per member, a Pareto
(x_m, α) catastrophic claim. Catastrophic claims are drawn as a binomial count per block of
member-years placed at uniformly drawn positions: the same mean as a Bernoulli per member, and
a coincidence of two in one member-year is as rare as p². Every option is applied to the same
simulated years (common random numbers), so options differ by their terms, not by the draw.

Per option: specific stop-loss retains min(X_i, deductible) of each member (lasered members at
their laser deductible), the employer also retains the first `asd` of the specific excess
(aggregating specific deductible); aggregate stop-loss caps the net claims at the attachment
(a given amount, or the corridor × the option's expected net claims); fixed costs (admin and the
premiums) are added. Results are integer cents, rounded half up from the float statistics.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from openaso.analytics.months import cents

BLOCK = 2_000_000  # member-years simulated at once: ~16 MB per float array
# A run is simulated in at least this many batches of years, so a long one can report progress
# as it goes; the batches depend only on members and years, so the seed alone fixes the result.
BATCHES = 20
Progress = Callable[[int, int], None]  # (years simulated so far, years)


@dataclass(frozen=True, slots=True)
class ClaimModel:
    """Per member per year, in cents; defaults are domain.md §7's reference simulation."""

    no_claim: float = 0.20
    body_sigma: float = 1.5
    body_mean: float = 7_219_00  # mean of the body, given some claims
    catastrophic: float = 0.003
    pareto_scale: float = 150_000_00
    pareto_alpha: float = 2.2
    trend: float = 0.0  # e.g. 0.07: every amount × 1.07 for the projected year

    def expected_per_member(self) -> float:
        """The analytic mean annual claims of one member, in cents."""
        body = (1 - self.no_claim) * self.body_mean
        tail = self.catastrophic * self.pareto_alpha * self.pareto_scale / (self.pareto_alpha - 1)
        return (body + tail) * (1 + self.trend)


@dataclass(frozen=True, slots=True)
class Laser:
    members: int  # how many members carry this laser
    deductible: int  # cents


@dataclass(frozen=True, slots=True)
class StopLossOption:
    name: str
    specific_deductible: int | None = None  # cents; None: no specific cover
    lasers: tuple[Laser, ...] = ()
    asd: int = 0  # aggregating specific deductible, cents
    aggregate_corridor: float | None = None  # e.g. 1.25 of expected net claims
    aggregate_attachment: int | None = None  # cents; overrides the corridor
    fixed_costs: int = 0  # cents a year: admin, specific and aggregate premiums, fees


@dataclass(frozen=True, slots=True)
class Outcome:
    """One option's distribution of the employer's annual cost (claims retained + fixed)."""

    option: StopLossOption
    mean: int
    sd: int
    percentiles: tuple[tuple[int, int], ...]  # (percent, cents)
    var95: int
    var99: int
    tvar95: int
    tvar99: int
    p_over_budget: float | None
    p_aggregate_pays: float
    mean_specific_reimbursed: int
    attachment: int | None
    costs: NDArray[np.float64]  # every simulated year, for the chart

    @property
    def cv(self) -> float:
        return self.sd / self.mean if self.mean else 0.0


@dataclass(frozen=True, slots=True)
class Simulation:
    members: int
    years: int
    seed: int
    expected_gross: int  # analytic
    gross_mean: int  # simulated
    outcomes: tuple[Outcome, ...]


def _member_years(
    model: ClaimModel, rng: np.random.Generator, years: int, members: int
) -> NDArray[np.float32]:
    """Annual claims (cents) of `years` × `members` member-years. float32 holds one member-year
    to 7 digits, and every sum over members is taken in float64."""
    mu = math.log(model.body_mean * (1 + model.trend)) - model.body_sigma**2 / 2
    claims = rng.standard_normal((years, members), dtype=np.float32)
    claims *= model.body_sigma
    claims += mu
    np.exp(claims, out=claims)
    claims[rng.random((years, members), dtype=np.float32) < model.no_claim] = 0.0
    flat = claims.reshape(-1)
    count = int(rng.binomial(flat.size, model.catastrophic))
    where = rng.integers(0, flat.size, count)
    scale = model.pareto_scale * (1 + model.trend)
    sizes = scale * (1.0 - rng.random(count)) ** (-1.0 / model.pareto_alpha)
    np.add.at(flat, where, sizes.astype(np.float32))
    return claims


def _deductibles(option: StopLossOption, members: int) -> NDArray[np.float64]:
    """Each member's specific deductible under the option (lasered members first)."""
    deductibles = np.full(members, float(option.specific_deductible or 0))
    start = 0
    for laser in option.lasers:
        deductibles[start : start + laser.members] = laser.deductible
        start += laser.members
    return deductibles


def _specific(
    claims: NDArray[np.float32], options: Sequence[StopLossOption]
) -> NDArray[np.float64]:
    """Each option's specific reimbursement in each year (options × years). Only member-years
    above the lowest deductible can reach the excess, so only those few are looked at."""
    years, members = claims.shape
    reimbursed = np.zeros((len(options), years))
    covered = [o for o in options if o.specific_deductible is not None]
    if not covered:
        return reimbursed
    lowest = min(float(_deductibles(o, members).min()) for o in covered)
    year, member = np.nonzero(claims > lowest)
    amount = claims[year, member].astype(np.float64)
    for i, option in enumerate(options):
        if option.specific_deductible is None:
            continue
        excess = np.maximum(amount - _deductibles(option, members)[member], 0.0)
        reimbursed[i] = np.maximum(np.bincount(year, excess, minlength=years) - option.asd, 0.0)
    return reimbursed


def simulate(
    model: ClaimModel,
    members: int,
    options: Sequence[StopLossOption],
    years: int = 10_000,
    seed: int = 0,
    budget: int | None = None,
    progress: Progress | None = None,
) -> Simulation:
    """Simulate `years` plan years of `members` members; the same seed gives the same result.
    `progress` is told after every batch of years how many are done."""
    if members <= 0 or years <= 0:
        raise ValueError(f"members and years must be positive, got {members} and {years}")
    lasered = [sum(laser.members for laser in option.lasers) for option in options]
    if any(count > members for count in lasered):
        raise ValueError(f"lasers cover more members than the group's {members}")
    rng = np.random.default_rng(seed)
    gross = np.empty(years)
    reimbursed = np.empty((len(options), years))
    per_block = max(min(BLOCK // members, -(-years // BATCHES)), 1)
    for start in range(0, years, per_block):
        stop = min(start + per_block, years)
        claims = _member_years(model, rng, stop - start, members)
        gross[start:stop] = claims.sum(axis=1, dtype=np.float64)
        reimbursed[:, start:stop] = _specific(claims, options)
        if progress is not None:
            progress(stop, years)
    outcomes = tuple(
        _outcome(option, gross - reimbursed[i], reimbursed[i], budget)
        for i, option in enumerate(options)
    )
    return Simulation(
        members=members,
        years=years,
        seed=seed,
        expected_gross=cents(model.expected_per_member() * members),
        gross_mean=cents(float(gross.mean())),
        outcomes=outcomes,
    )


PERCENTS = (50, 75, 90, 95, 99)


def _outcome(
    option: StopLossOption,
    net: NDArray[np.float64],
    reimbursed: NDArray[np.float64],
    budget: int | None,
) -> Outcome:
    attachment = option.aggregate_attachment
    if attachment is None and option.aggregate_corridor is not None:
        attachment = cents(option.aggregate_corridor * float(net.mean()))
    retained = net if attachment is None else np.minimum(net, float(attachment))
    costs = retained + option.fixed_costs
    ordered = np.sort(costs)
    var95, var99 = (float(np.quantile(ordered, q)) for q in (0.95, 0.99))
    return Outcome(
        option=option,
        mean=cents(float(costs.mean())),
        sd=cents(float(costs.std())),
        percentiles=tuple((p, cents(float(np.quantile(ordered, p / 100)))) for p in PERCENTS),
        var95=cents(var95),
        var99=cents(var99),
        tvar95=cents(float(ordered[ordered >= var95].mean())),
        tvar99=cents(float(ordered[ordered >= var99].mean())),
        p_over_budget=None if budget is None else float((costs > budget).mean()),
        p_aggregate_pays=0.0 if attachment is None else float((net > attachment).mean()),
        mean_specific_reimbursed=cents(float(reimbursed.mean())),
        attachment=attachment,
        costs=costs,
    )
