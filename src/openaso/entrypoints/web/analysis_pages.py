"""The broker's and actuary's pages under /analysis: a sponsor picker, then for one sponsor the
lag triangle and IBNR, experience, renewal rates, ASO against fully insured, and a simulation
form whose run goes to the background and whose page shows its progress, then the result.

Each report is a GET form (its inputs stay in the address, so a report can be bookmarked and
printed); bad input shows the form again with what was wrong, naming the field (422).
"""

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from openaso.adapters.render.analytics import (
    Table,
    compare_chart,
    compare_table,
    experience_chart,
    experience_tables,
    lag_chart,
    lag_tables,
    rates_chart,
    rates_table,
    simulation_chart,
    simulation_table,
)
from openaso.analytics.ibnr import NO_BLENDING, Blending
from openaso.entrypoints.api.claim_input import ID
from openaso.entrypoints.web import analysis_input as read
from openaso.entrypoints.web.pages import Pages
from openaso.entrypoints.web.security import NewUow, PagePrincipal, check_csrf
from openaso.services import analysis
from openaso.services.access import Principal
from openaso.services.analysis import SIMULATION_ROLES, AnalysisError
from openaso.services.simulation_jobs import SimulationJobs

router = APIRouter(include_in_schema=False)
SponsorId = Annotated[str, Path(pattern=ID)]
JobId = Annotated[str, Path(pattern=ID)]
TABS = (
    ("lag", "Lag & IBNR"),
    ("experience", "Experience"),
    ("rates", "Rates"),
    ("compare", "ASO vs fully insured"),
    ("simulations", "Simulation"),
)
RATE_FIELDS = (
    "start", "end", "admin", "specific_premium", "aggregate_premium", "other_fees", "margin",
    "trend", "specific_deductible", "aggregate_corridor", "premium_tax", "risk_margin", "quote",
)  # fmt: skip
# The simulation form as it first shows: two common stop-loss choices to compare.
SIMULATION_FORM = {
    "years": "10000",
    "seed": "1",
    "trend": "7",
    "option_1_name": "specific $100k",
    "option_1_specific_deductible": "100000",
    "option_1_aggregate_corridor": "125",
    "option_1_fixed_costs": "60000",
    "option_2_name": "specific $250k",
    "option_2_specific_deductible": "250000",
    "option_2_aggregate_corridor": "125",
    "option_2_fixed_costs": "35000",
}


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _jobs(request: Request) -> SimulationJobs:
    jobs: SimulationJobs = request.app.state.simulations
    return jobs


def _report(
    request: Request,
    principal: Principal,
    sponsor_id: str,
    tab: str,
    form: dict[str, str],
    build: Callable[[], tuple[list[Table], str]],
    **context: Any,
) -> Response:
    """The tab's page: its form, then the tables and chart `build` gives, or what was wrong."""
    tables: list[Table] = []
    chart, problem, status = "", None, 200
    try:
        tables, chart = build()
    except AnalysisError as exc:
        problem, status = str(exc), 422
    return _pages(request).render(
        request, f"analysis_{tab}.html", principal, status, nav="analysis", tabs=TABS, tab=tab,
        sponsor_id=sponsor_id, form=form, tables=tables, chart=chart, problem=problem,
        may_simulate=principal.role in SIMULATION_ROLES, **context,
    )  # fmt: skip


def _sponsor_name(request: Request, new_uow: NewUow, principal: Principal, sponsor_id: str) -> str:
    names = {s["id"]: s["name"] for s in analysis.sponsors_analysed(new_uow, principal)}
    analysis.require_analyst(new_uow, principal, sponsor_id)
    return names.get(sponsor_id, sponsor_id)


@router.get("/analysis")
def sponsors(request: Request, principal: PagePrincipal, new_uow: NewUow) -> Response:
    found = analysis.sponsors_analysed(new_uow, principal)
    return _pages(request).render(
        request, "analysis_sponsors.html", principal, nav="analysis", sponsors=found
    )


@router.get("/analysis/{sponsor_id}")
def sponsor(sponsor_id: SponsorId, principal: PagePrincipal, new_uow: NewUow) -> Response:
    analysis.require_analyst(new_uow, principal, sponsor_id)
    return RedirectResponse(f"/analysis/{quote(sponsor_id)}/lag", status_code=303)


@router.get("/analysis/{sponsor_id}/lag")
def lag(
    request: Request,
    sponsor_id: SponsorId,
    principal: PagePrincipal,
    new_uow: NewUow,
    valuation: str = "",
    blend_months: str = "",
    pmpm: str = "",
) -> Response:
    form = {"valuation": valuation, "blend_months": blend_months, "pmpm": pmpm}
    name = _sponsor_name(request, new_uow, principal, sponsor_id)

    def build() -> tuple[list[Table], str]:
        months = read.whole(form, "blend_months", 0) or 0
        blending = Blending(months, read.amount(form, "pmpm")) if months else NO_BLENDING
        report = analysis.lag(
            new_uow, principal, sponsor_id, read.month(form, "valuation"), blending
        )
        return lag_tables(report), lag_chart(report)

    return _report(request, principal, sponsor_id, "lag", form, build, sponsor_name=name)


@router.get("/analysis/{sponsor_id}/experience")
def experience(
    request: Request,
    sponsor_id: SponsorId,
    principal: PagePrincipal,
    new_uow: NewUow,
    start: str = "",
    end: str = "",
    large_claim: str = "50000",
    budget_pepm: str = "",
) -> Response:
    form = {"start": start, "end": end, "large_claim": large_claim, "budget_pepm": budget_pepm}
    name = _sponsor_name(request, new_uow, principal, sponsor_id)
    secret = request.app.state.settings.claimant_secret.encode()

    def build() -> tuple[list[Table], str]:
        report = analysis.experience(
            new_uow, principal, sponsor_id, secret, read.month(form, "start"),
            read.month(form, "end"), read.amount(form, "large_claim") or 0,
            read.amount(form, "budget_pepm"),
        )  # fmt: skip
        return experience_tables(report), experience_chart(report)

    return _report(request, principal, sponsor_id, "experience", form, build, sponsor_name=name)


def _rate_form(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in RATE_FIELDS}


@router.get("/analysis/{sponsor_id}/rates")
def rates(
    request: Request, sponsor_id: SponsorId, principal: PagePrincipal, new_uow: NewUow
) -> Response:
    form = _rate_form(request)
    name = _sponsor_name(request, new_uow, principal, sponsor_id)

    def build() -> tuple[list[Table], str]:
        found = analysis.rates(
            new_uow, principal, sponsor_id, read.rate_inputs(form), read.month(form, "start"),
            read.month(form, "end"),
        )  # fmt: skip
        return [rates_table(found.rates)], rates_chart(found.rates)

    return _report(request, principal, sponsor_id, "rates", form, build, sponsor_name=name)


@router.get("/analysis/{sponsor_id}/compare")
def compare(
    request: Request, sponsor_id: SponsorId, principal: PagePrincipal, new_uow: NewUow
) -> Response:
    form = _rate_form(request)
    name = _sponsor_name(request, new_uow, principal, sponsor_id)

    def build() -> tuple[list[Table], str]:
        comparison = analysis.compare(
            new_uow, principal, sponsor_id, read.rate_inputs(form), read.month(form, "start"),
            read.month(form, "end"),
        )  # fmt: skip
        return [compare_table(comparison)], compare_chart(comparison)

    return _report(request, principal, sponsor_id, "compare", form, build, sponsor_name=name)


def _simulation_form(
    request: Request, principal: Principal, sponsor_id: str, name: str, form: dict[str, str],
    problem: str | None = None,
) -> Response:  # fmt: skip
    analysis.require_analyst(request.app.state.new_uow, principal, sponsor_id, SIMULATION_ROLES)
    return _pages(request).render(
        request, "analysis_simulations.html", principal, 422 if problem else 200,
        nav="analysis", tabs=TABS, tab="simulations", sponsor_id=sponsor_id, sponsor_name=name,
        form=form, problem=problem, may_simulate=True, options=range(1, 5),
    )  # fmt: skip


@router.get("/analysis/{sponsor_id}/simulations")
def simulation_form(
    request: Request, sponsor_id: SponsorId, principal: PagePrincipal, new_uow: NewUow
) -> Response:
    name = _sponsor_name(request, new_uow, principal, sponsor_id)
    return _simulation_form(request, principal, sponsor_id, name, dict(SIMULATION_FORM))


@router.post("/analysis/{sponsor_id}/simulations")
async def run(
    request: Request,
    sponsor_id: SponsorId,
    principal: PagePrincipal,
    new_uow: NewUow,
    csrf: Annotated[str, Form()],
) -> Response:
    check_csrf(request, csrf)
    analysis.require_analyst(new_uow, principal, sponsor_id, SIMULATION_ROLES)
    form = _fields(await request.form())
    try:
        job = _jobs(request).submit(principal, sponsor_id, read.simulation_inputs(form))
    except AnalysisError as exc:
        name = _sponsor_name(request, new_uow, principal, sponsor_id)
        return _simulation_form(request, principal, sponsor_id, name, form, str(exc))
    target = f"/analysis/{quote(sponsor_id)}/simulations/{job.id}"
    return RedirectResponse(target, status_code=303)


def _fields(data: FormData) -> dict[str, str]:
    return {k: v for k, v in data.items() if isinstance(v, str) and k != "csrf"}


@router.get("/analysis/{sponsor_id}/simulations/{job_id}")
def simulation(
    request: Request,
    sponsor_id: SponsorId,
    job_id: JobId,
    principal: PagePrincipal,
    new_uow: NewUow,
) -> Response:
    name = _sponsor_name(request, new_uow, principal, sponsor_id)
    job = _jobs(request).status(principal, job_id)
    if job.sponsor_id != sponsor_id:
        target = f"/analysis/{quote(job.sponsor_id)}/simulations/{job.id}"
        return RedirectResponse(target, status_code=303)
    tables, chart = [], ""
    if job.result is not None:
        tables, chart = [simulation_table(job.result)], simulation_chart(job.result)
    return _pages(request).render(
        request, "analysis_job.html", principal, nav="analysis", tabs=TABS, tab="simulations",
        sponsor_id=sponsor_id, sponsor_name=name, job=job, tables=tables, chart=chart,
        may_simulate=True,
    )  # fmt: skip
