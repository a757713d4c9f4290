"""Monte Carlo of a sponsor's next plan year under stop-loss options, fitted to its experience.

The same use case as `openaso simulate --sponsor`: the claim model is fitted to the members'
paid claims of the experience months, the group is the members enrolled in the last one, and
every option is simulated on the same years. Inputs are checked before a run is queued, each
error naming its field; years are capped so that a request cannot hold a worker for long.
"""

from dataclasses import dataclass

from openaso.analytics.simulate import Progress, Simulation, StopLossOption, simulate
from openaso.core.money import Cents
from openaso.services.access import SMALL_CELL, Principal
from openaso.services.analysis import SIMULATION_ROLES, AnalysisError, period_of, require_analyst
from openaso.services.analytics import fitted_claim_model
from openaso.services.ports import UnitOfWorkFactory

MOST_YEARS = 50_000  # simulated plan years a request may ask for
MOST_OPTIONS = 4
MOST_MEMBERS = 100_000


@dataclass(frozen=True, slots=True)
class SimulationInputs:
    options: tuple[StopLossOption, ...]
    years: int = 10_000
    seed: int = 0
    budget: Cents | None = None
    trend: float = 0.0  # e.g. 0.07 from the experience to the plan year
    members: int | None = None  # the group to simulate; default those enrolled now


def check_inputs(inputs: SimulationInputs) -> None:
    """Refuse what cannot run, naming the field (options are numbered from 1)."""
    if not 1 <= inputs.years <= MOST_YEARS:
        raise AnalysisError(f"years: expected 1 to {MOST_YEARS:,} years, got {inputs.years}")
    if inputs.seed < 0:
        raise AnalysisError(f"seed: expected a whole number of zero or more, got {inputs.seed}")
    if not 1 <= len(inputs.options) <= MOST_OPTIONS:
        raise AnalysisError(f"options: expected 1 to {MOST_OPTIONS} stop-loss options")
    if not -0.5 < inputs.trend < 1.0:
        raise AnalysisError("trend: expected a yearly trend between -50% and 100%")
    if inputs.members is not None and not 1 <= inputs.members <= MOST_MEMBERS:
        raise AnalysisError(f"members: expected 1 to {MOST_MEMBERS:,} members")
    for n, option in enumerate(inputs.options, start=1):
        if not option.name.strip():
            raise AnalysisError(f"option {n} name: give the option a name")
        if option.specific_deductible is not None and option.specific_deductible <= 0:
            raise AnalysisError(f"option {n} specific deductible: expected more than $0")
        corridor = option.aggregate_corridor
        if corridor is not None and not 1.0 <= corridor <= 2.0:
            raise AnalysisError(f"option {n} aggregate corridor: expected 100% to 200%")
        if option.asd < 0 or option.fixed_costs < 0:
            raise AnalysisError(f"option {n} ASD and fixed costs: expected $0 or more")


def run_simulation(
    new_uow: UnitOfWorkFactory,
    principal: Principal,
    sponsor_id: str,
    inputs: SimulationInputs,
    progress: Progress | None = None,
) -> Simulation:
    require_analyst(new_uow, principal, sponsor_id, SIMULATION_ROLES)
    check_inputs(inputs)
    first, last = period_of(new_uow, principal, sponsor_id).experience()
    try:
        model, enrolled = fitted_claim_model(
            new_uow, principal, sponsor_id, first, last, inputs.trend
        )
    except ValueError as exc:
        raise AnalysisError(f"experience: {exc}") from None
    if not principal.sees_phi and enrolled < SMALL_CELL:
        raise AnalysisError(
            f"experience: {enrolled} members enrolled; a de-identified simulation is fitted to"
            f" at least {SMALL_CELL}"
        )
    members = inputs.members or enrolled
    if not members:
        raise AnalysisError("members: no member enrolled now; give the group size")
    try:
        return simulate(
            model, members, inputs.options, inputs.years, inputs.seed, inputs.budget, progress
        )
    except ValueError as exc:
        raise AnalysisError(f"options: {exc}") from None
