"""`openaso report lag|ibnr|experience|rates|compare` and `openaso simulate`."""

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table as RichTable

from openaso.adapters.files.analytics_document import (
    RateAssumptions,
    load_rate_assumptions,
    load_simulation_plan,
)
from openaso.adapters.files.yaml_source import Finding
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
    write_csv,
)
from openaso.analytics.compare import Comparison, fully_insured, self_funded
from openaso.analytics.ibnr import Blending
from openaso.analytics.months import month_of
from openaso.analytics.rates import working_rates
from openaso.analytics.simulate import simulate as run_simulation
from openaso.config import get_settings
from openaso.core.money import parse_amount, parse_percent
from openaso.entrypoints.context import actor, err, open_database, out
from openaso.services.access import AccessDeniedError, Principal, Role
from openaso.services.analytics import (
    expected_claims_pepm,
    experience_report,
    fitted_claim_model,
    lag_report,
)

app = typer.Typer(help="Actuarial reports: lag, IBNR, experience, rates, ASO vs insured.")

Sponsor = Annotated[str, typer.Option("--sponsor", help="The plan sponsor")]
Csv = Annotated[Path | None, typer.Option("--csv", help="Write the tables to this CSV file")]
Chart = Annotated[Path | None, typer.Option("--chart", help="Write the chart to this SVG file")]
RoleOption = Annotated[
    Role, typer.Option("--role", help="Report as this role (sponsor/broker: de-identified)")
]
Month = Annotated[str, typer.Option(help="A month, YYYY-MM")]


def _month(text: str, option: str) -> int:
    try:
        year, month = text.split("-")
        return month_of(date(int(year), int(month), 1))
    except ValueError:
        raise typer.BadParameter(f"{option}: expected a month like 2026-03, got {text!r}") from None


def _principal(role: Role, sponsor: str) -> Principal:
    return Principal(actor(), role, frozenset({sponsor}))


def _emit(tables: list[Table], svg: str, csv: Path | None, chart: Path | None) -> None:
    for table in tables:
        rows = table.text_rows()
        if len(table.columns) <= 8:
            shown = RichTable(*(c.name for c in table.columns), title=table.title)
            for row in rows:
                shown.add_row(*row)
        else:  # wide: one column per row, the measures down the side
            shown = RichTable("", *(row[0] for row in rows), title=table.title)
            for i, column in enumerate(table.columns[1:], start=1):
                shown.add_row(column.name, *(row[i] for row in rows))
        out.print(shown)
    if csv is not None:
        write_csv(tables, csv)
        out.print(f"wrote {csv}", markup=False)
    if chart is not None:
        chart.write_text(svg)
        out.print(f"wrote {chart}", markup=False)


def _fail(findings: list[Finding]) -> NoReturn:
    for finding in findings:
        err.print(str(finding), markup=False)
    raise typer.Exit(1)


@app.command("lag")
def lag(
    sponsor: Sponsor,
    valuation: Annotated[str, typer.Option(help="Valuation month, YYYY-MM")],
    blend_months: Annotated[int, typer.Option(help="Latest months blended with PMPM")] = 0,
    pmpm: Annotated[str | None, typer.Option(help="PMPM for blending, dollars")] = None,
    pmpm_months: Annotated[int, typer.Option(help="Months the experience PMPM uses")] = 12,
    window: Annotated[int | None, typer.Option(help="Incurred months the factors use")] = None,
    role: RoleOption = Role.TPA_ADMIN,
    csv: Csv = None,
    chart: Chart = None,
) -> None:
    """The lag triangle (paid by incurred month × lag) and IBNR by incurred month."""
    month = _month(valuation, "--valuation")
    blending = Blending(blend_months, None if pmpm is None else parse_amount(pmpm), pmpm_months)
    try:
        report = lag_report(
            open_database(), _principal(role, sponsor), sponsor,
            date(month // 12, month % 12 + 1, 1), blending, window,
        )  # fmt: skip
    except (AccessDeniedError, ValueError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    _emit(lag_tables(report), lag_chart(report), csv, chart)
    out.print(f"IBNR {report.reserve.ibnr / 100:,.2f}", markup=False)


app.command("ibnr", help="The same report as `lag`: triangle, factors and IBNR.")(lag)


@app.command("experience")
def experience(
    sponsor: Sponsor,
    start: Month,
    end: Month,
    large_claim: Annotated[str, typer.Option(help="Large-claimant threshold, dollars")] = "50000",
    budget: Annotated[
        list[str] | None, typer.Option(help="Budget PEPM per tier, TIER=dollars (repeat)")
    ] = None,
    role: RoleOption = Role.TPA_ADMIN,
    csv: Csv = None,
    chart: Chart = None,
) -> None:
    """PMPM/PEPM by month, service category and tier; large claimants; loss ratio; trend."""
    secret = get_settings().claimant_secret
    if not secret:
        err.print("set OPENASO_CLAIMANT_SECRET: it keys the de-identified claimant ids")
        raise typer.Exit(1)
    first, last = _month(start, "--start"), _month(end, "--end")
    budget_pepm = None
    if budget:
        pairs = [b.split("=", 1) for b in budget]
        budget_pepm = {tier: parse_amount(value) for tier, value in pairs}
    try:
        report = experience_report(
            open_database(), _principal(role, sponsor), sponsor,
            tuple(range(first, last + 1)), secret.encode(), parse_amount(large_claim),
            budget_pepm,
        )  # fmt: skip
    except (AccessDeniedError, ValueError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    _emit(experience_tables(report), experience_chart(report), csv, chart)


Assumptions = Annotated[Path, typer.Option(help="Rate assumptions YAML (dollars PEPM by tier)")]


Experience = Annotated[
    str | None,
    typer.Option("--sponsor", help="Take expected claims from this sponsor's experience"),
]
Trend = Annotated[str, typer.Option(help="Trend to the plan year, percent (with --sponsor)")]


def _assumptions(
    path: Path, sponsor: str | None, start: str | None, end: str | None, trend: str, role: Role
) -> RateAssumptions:
    loaded, findings = load_rate_assumptions(path)
    if loaded is None:
        _fail(findings)
    if sponsor is None:
        return loaded
    if start is None or end is None:
        err.print("--sponsor needs --start and --end: the experience months")
        raise typer.Exit(1)
    first, last = _month(start, "--start"), _month(end, "--end")
    try:
        pepm = expected_claims_pepm(
            open_database(), _principal(role, sponsor), sponsor, tuple(range(first, last + 1)),
            loaded.specific_deductible, parse_percent(trend) / 10_000,
        )  # fmt: skip
    except (AccessDeniedError, ValueError) as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    missing = [t.tier for t in loaded.tiers if t.tier not in pepm]
    if missing:
        err.print(f"{path}: tiers: no experience for tier {', '.join(missing)}", markup=False)
        raise typer.Exit(1)
    tiers = tuple(replace(t, expected_claims=pepm[t.tier]) for t in loaded.tiers)
    return replace(loaded, tiers=tiers)


@app.command("rates")
def rates(
    assumptions: Assumptions,
    sponsor: Experience = None,
    start: Annotated[str | None, typer.Option(help="First experience month, YYYY-MM")] = None,
    end: Annotated[str | None, typer.Option(help="Last experience month, YYYY-MM")] = None,
    trend: Trend = "0",
    role: RoleOption = Role.TPA_ADMIN,
    csv: Csv = None,
    chart: Chart = None,
) -> None:
    """Working rates (premium equivalents) by tier, and COBRA rates at 102% and 150%."""
    loaded = _assumptions(assumptions, sponsor, start, end, trend, role)
    found = working_rates(loaded.tiers)
    _emit([rates_table(found)], rates_chart(found), csv, chart)


@app.command("compare")
def compare(
    assumptions: Assumptions,
    sponsor: Experience = None,
    start: Annotated[str | None, typer.Option(help="First experience month, YYYY-MM")] = None,
    end: Annotated[str | None, typer.Option(help="Last experience month, YYYY-MM")] = None,
    trend: Trend = "0",
    role: RoleOption = Role.TPA_ADMIN,
    csv: Csv = None,
    chart: Chart = None,
) -> None:
    """ASO against fully insured: expected and maximum cost, and the insured premium's loads."""
    loaded = _assumptions(assumptions, sponsor, start, end, trend, role)
    budget = self_funded(
        loaded.tiers, loaded.employees, loaded.months, loaded.corridor, None, loaded.retentions
    )
    insured = fully_insured(budget, loaded.premium_tax, loaded.risk_margin, loaded.quote)
    comparison = Comparison(budget, insured)
    _emit([compare_table(comparison)], compare_chart(comparison), csv, chart)


def simulate(
    options: Annotated[Path, typer.Argument(help="Simulation options YAML")],
    sponsor: Annotated[
        str | None, typer.Option(help="Fit the claim model to this sponsor's experience")
    ] = None,
    start: Annotated[str | None, typer.Option(help="First experience month, YYYY-MM")] = None,
    end: Annotated[str | None, typer.Option(help="Last experience month, YYYY-MM")] = None,
    role: RoleOption = Role.TPA_ADMIN,
    csv: Csv = None,
    chart: Chart = None,
) -> None:
    """Monte Carlo of next plan year's cost under each stop-loss option (seeded)."""
    plan, findings = load_simulation_plan(options)
    if plan is None:
        _fail(findings)
    model, members = plan.model, plan.members
    if sponsor is not None:
        if start is None or end is None:
            err.print("--sponsor needs --start and --end: the experience months to fit")
            raise typer.Exit(1)
        try:
            model, enrolled = fitted_claim_model(
                open_database(), _principal(role, sponsor), sponsor,
                _month(start, "--start"), _month(end, "--end"), plan.model.trend,
            )  # fmt: skip
        except (AccessDeniedError, ValueError) as exc:
            err.print(str(exc), markup=False)
            raise typer.Exit(1) from None
        members = members or enrolled
        out.print(f"fitted: {model}", markup=False)
    if not members:
        err.print(f"{options}: members: give the group size (or --sponsor)")
        raise typer.Exit(1)
    try:
        result = run_simulation(model, members, plan.options, plan.years, plan.seed, plan.budget)
    except ValueError as exc:
        err.print(f"{options}: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(
        f"expected gross claims {result.expected_gross / 100:,.2f} (analytic),"
        f" simulated {result.gross_mean / 100:,.2f}",
        markup=False,
    )
    _emit([simulation_table(result)], simulation_chart(result), csv, chart)
