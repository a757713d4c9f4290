"""/api/v1/sponsors/{id}/reports/* and simulations: the broker's and actuary's reports of one
sponsor (lag, IBNR, experience, rates, ASO against fully insured) and Monte Carlo runs in the
background (POST answers 202 with the job; GET the job for its progress and result)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from openaso.analytics.ibnr import NO_BLENDING, Blending
from openaso.entrypoints.api.analysis_present import (
    compare_public,
    experience_public,
    ibnr_public,
    lag_public,
    rates_public,
    simulation_public,
)
from openaso.entrypoints.api.analysis_schemas import (
    MONEY,
    MONTH,
    PERCENT,
    ComparePublic,
    ExperiencePublic,
    IbnrPublic,
    LagPublic,
    RatesPublic,
    SimulationCreate,
    SimulationPublic,
)
from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.api.schemas import ErrorPublic
from openaso.entrypoints.web import analysis_input as read
from openaso.entrypoints.web.security import NewUow, api_principal
from openaso.services import analysis
from openaso.services.access import Principal, require_role
from openaso.services.analysis import REPORT_ROLES, SIMULATION_ROLES
from openaso.services.analytics import LagReport
from openaso.services.simulation_jobs import SimulationJobs


async def _reader(request: Request) -> Principal:
    """Refused by role before the query or body is read (the use case checks again)."""
    principal = await api_principal(request)
    require_role(principal, *REPORT_ROLES)
    return principal


async def _simulator(request: Request) -> Principal:
    principal = await api_principal(request)
    require_role(principal, *SIMULATION_ROLES)
    return principal


ApiPrincipal = Annotated[Principal, Depends(_reader)]
SimulatorPrincipal = Annotated[Principal, Depends(_simulator)]
router = APIRouter(tags=["analysis"])
SponsorId = Annotated[str, Path(pattern=ID)]
JobId = Annotated[str, Path(pattern=ID)]
MonthQuery = Annotated[str | None, Query(pattern=MONTH, description="YYYY-MM")]
BUSY: dict[int | str, dict[str, Any]] = {
    429: {"model": ErrorPublic, "description": "too many simulations waiting"}
}


class LagQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valuation: str | None = Field(None, pattern=MONTH, description="YYYY-MM; default last paid")
    blend_months: int = Field(0, ge=0, le=12, description="latest months blended with a PMPM")
    pmpm: str | None = Field(None, pattern=MONEY, description="the PMPM blended, dollars")


class RatesQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")

    start: str | None = Field(None, pattern=MONTH)
    end: str | None = Field(None, pattern=MONTH)
    admin: str | None = Field(None, pattern=MONEY, description="PEPM, every tier")
    specific_premium: str | None = Field(None, pattern=MONEY)
    aggregate_premium: str | None = Field(None, pattern=MONEY)
    other_fees: str | None = Field(None, pattern=MONEY)
    margin: str | None = Field(None, pattern=PERCENT, description="of expected claims")
    trend: str | None = Field(None, pattern=PERCENT)
    specific_deductible: str | None = Field(None, pattern=MONEY)
    aggregate_corridor: str | None = Field(None, pattern=PERCENT)
    premium_tax: str | None = Field(None, pattern=PERCENT)
    risk_margin: str | None = Field(None, pattern=PERCENT)
    quote: str | None = Field(None, pattern=MONEY, description="fully insured, a year")


def _jobs(request: Request) -> SimulationJobs:
    jobs: SimulationJobs = request.app.state.simulations
    return jobs


def _lag(sponsor_id: str, q: LagQuery, principal: ApiPrincipal, new_uow: NewUow) -> LagReport:
    fields: dict[str, Any] = q.model_dump()
    blending = NO_BLENDING
    if q.blend_months:
        blending = Blending(q.blend_months, read.amount(fields, "pmpm"))
    valuation = read.month(fields, "valuation")
    return analysis.lag(new_uow, principal, sponsor_id, valuation, blending)


@router.get("/sponsors/{sponsor_id}/reports/lag", response_model=LagPublic)
def lag_triangle(
    *, sponsor_id: SponsorId, q: Annotated[LagQuery, Query()], principal: ApiPrincipal,
    new_uow: NewUow,
) -> LagPublic:  # fmt: skip
    """The lag triangle (paid by incurred month × months to payment) and development factors."""
    return lag_public(_lag(sponsor_id, q, principal, new_uow))


@router.get("/sponsors/{sponsor_id}/reports/ibnr", response_model=IbnrPublic)
def ibnr(
    *, sponsor_id: SponsorId, q: Annotated[LagQuery, Query()], principal: ApiPrincipal,
    new_uow: NewUow,
) -> IbnrPublic:  # fmt: skip
    """IBNR by incurred month from the triangle's completion factors (or blended with a PMPM)."""
    return ibnr_public(_lag(sponsor_id, q, principal, new_uow))


@router.get("/sponsors/{sponsor_id}/reports/experience", response_model=ExperiencePublic)
def experience(
    *,
    request: Request,
    sponsor_id: SponsorId,
    principal: ApiPrincipal,
    new_uow: NewUow,
    start: MonthQuery = None,
    end: MonthQuery = None,
    large_claim: Annotated[str, Query(pattern=MONEY)] = "50000",
    budget_pepm: Annotated[str | None, Query(pattern=MONEY)] = None,
) -> ExperiencePublic:
    """PMPM and PEPM by month, service category and tier; large claimants; loss ratio; trend."""
    fields = {"start": start, "end": end, "large_claim": large_claim, "budget_pepm": budget_pepm}
    report = analysis.experience(
        new_uow, principal, sponsor_id, request.app.state.settings.claimant_secret.encode(),
        read.month(fields, "start"), read.month(fields, "end"),
        read.amount(fields, "large_claim") or 0, read.amount(fields, "budget_pepm"),
    )  # fmt: skip
    return experience_public(report)


@router.get("/sponsors/{sponsor_id}/reports/rates", response_model=RatesPublic)
def rates(
    *, sponsor_id: SponsorId, q: Annotated[RatesQuery, Query()], principal: ApiPrincipal,
    new_uow: NewUow,
) -> RatesPublic:  # fmt: skip
    """Renewal working rates by tier (expected claims from experience + the costs given), COBRA."""
    fields: dict[str, Any] = q.model_dump()
    found = analysis.rates(
        new_uow, principal, sponsor_id, read.rate_inputs(fields),
        read.month(fields, "start"), read.month(fields, "end"),
    )  # fmt: skip
    return rates_public(sponsor_id, found)


@router.get("/sponsors/{sponsor_id}/reports/compare", response_model=ComparePublic)
def compare(
    *, sponsor_id: SponsorId, q: Annotated[RatesQuery, Query()], principal: ApiPrincipal,
    new_uow: NewUow,
) -> ComparePublic:  # fmt: skip
    """A plan year self-funded (ASO) against fully insured: expected and maximum cost."""
    fields: dict[str, Any] = q.model_dump()
    comparison = analysis.compare(
        new_uow, principal, sponsor_id, read.rate_inputs(fields),
        read.month(fields, "start"), read.month(fields, "end"),
    )  # fmt: skip
    return compare_public(sponsor_id, comparison)


@router.post(
    "/sponsors/{sponsor_id}/simulations",
    response_model=SimulationPublic,
    status_code=202,
    responses=BUSY,
)
def start_simulation(
    *,
    request: Request,
    sponsor_id: SponsorId,
    body: SimulationCreate,
    principal: SimulatorPrincipal,
) -> SimulationPublic:
    """Queue a Monte Carlo of next plan year under the stop-loss options; poll the job."""
    fields: dict[str, str | None] = {
        "years": str(body.years),
        "seed": str(body.seed),
        "budget": body.budget,
        "trend": body.trend,
        "members": None if body.members is None else str(body.members),
    }
    for n, option in enumerate(body.options, start=1):
        fields |= {f"option_{n}_{k}": v for k, v in option.model_dump().items()}
    job = _jobs(request).submit(principal, sponsor_id, read.simulation_inputs(fields))
    return simulation_public(job)


@router.get("/simulations/{job_id}", response_model=SimulationPublic)
def read_simulation(
    *, request: Request, job_id: JobId, principal: SimulatorPrincipal
) -> SimulationPublic:
    """A simulation's progress (years done of years) and, when done, its result."""
    return simulation_public(_jobs(request).status(principal, job_id))
