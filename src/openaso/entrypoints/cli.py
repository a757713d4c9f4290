"""The `openaso` command line."""

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from openaso.adapters.files.plan_document import load_plan_file
from openaso.adapters.files.plan_schema import plan_json_schema
from openaso.adapters.files.scenario_document import load_scenario_file
from openaso.bootstrap import database
from openaso.config import get_settings
from openaso.entrypoints.cli_analytics import app as report_app
from openaso.entrypoints.cli_analytics import simulate
from openaso.entrypoints.cli_claims import app as claims_app
from openaso.entrypoints.cli_enrolment import enroll, members_show
from openaso.entrypoints.cli_generate import demo_app, generate
from openaso.entrypoints.cli_intake import files as claims_files
from openaso.entrypoints.cli_intake import intake as claims_intake
from openaso.entrypoints.cli_invoices import app as invoice_app
from openaso.entrypoints.cli_invoices import planyear_app
from openaso.entrypoints.cli_pay import app as pay_app
from openaso.entrypoints.cli_reference import fees_load, plan_load, providers_load
from openaso.entrypoints.cli_stoploss import app as stoploss_app
from openaso.entrypoints.cli_users import app as users_app
from openaso.entrypoints.cli_users import serve
from openaso.entrypoints.cli_views import show_claims
from openaso.entrypoints.context import err, out
from openaso.services.scenarios import run_scenario

app = typer.Typer(help="OpenASO: administer self-funded (ASO) benefit plans.", no_args_is_help=True)
plan_app = typer.Typer(help="Plan documents.", no_args_is_help=True)
scenario_app = typer.Typer(help="Worked adjudication scenarios.", no_args_is_help=True)
db_app = typer.Typer(help="The database.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(scenario_app, name="scenario")
app.add_typer(db_app, name="db")
app.add_typer(claims_app, name="claims")
app.add_typer(pay_app, name="pay")
app.add_typer(stoploss_app, name="stoploss")
app.add_typer(invoice_app, name="invoice")
app.add_typer(planyear_app, name="planyear")
app.add_typer(report_app, name="report")
app.command("simulate")(simulate)
app.add_typer(users_app, name="users")
app.command("serve")(serve)
claims_app.command("intake")(claims_intake)
claims_app.command("files")(claims_files)
members_app = typer.Typer(help="Members and their coverage.", no_args_is_help=True)
fees_app = typer.Typer(help="Fee schedules.", no_args_is_help=True)
providers_app = typer.Typer(help="Providers.", no_args_is_help=True)
app.add_typer(members_app, name="members")
app.add_typer(fees_app, name="fees")
app.add_typer(providers_app, name="providers")
app.command("enroll")(enroll)
members_app.command("show")(members_show)
fees_app.command("load")(fees_load)
providers_app.command("load")(providers_load)
plan_app.command("load")(plan_load)
app.add_typer(demo_app, name="demo")
app.command("generate")(generate)

Files = Annotated[list[Path], typer.Argument(help="YAML files", exists=False)]


@plan_app.command("schema")
def plan_schema() -> None:
    """Print the JSON Schema of the plan document."""
    print(json.dumps(plan_json_schema(), indent=2))


@plan_app.command("check")
def plan_check(files: Files) -> None:
    """Check plan documents; print every problem as file:line: key: message."""
    failed = False
    for path in files:
        plan, findings = load_plan_file(path)
        for finding in findings:
            err.print(str(finding), markup=False)
        if plan is None:
            failed = True
        else:
            out.print(f"{path}: OK ({plan.coverage} plan {plan.id})", markup=False)
    raise typer.Exit(1 if failed else 0)


@scenario_app.command("run")
def scenario_run(
    files: Files,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Show each claim's lines")
    ] = False,
    trace: Annotated[bool, typer.Option("--trace", help="Show how each line was decided")] = False,
) -> None:
    """Run scenarios through the production services, each on a fresh temporary database."""
    failures = 0
    for path in files:
        scenario, findings = load_scenario_file(path)
        if scenario is None:
            failures += 1
            out.print(f"[red]INVALID[/red] {path}")
            for finding in findings:
                err.print(f"  {finding}", markup=False)
            continue
        with tempfile.TemporaryDirectory(prefix="openaso-scenario-") as tmp:
            engine, new_uow = database(f"sqlite:///{tmp}/scenario.db")
            outcome = run_scenario(scenario, new_uow)
            if verbose or trace:
                ids = [c.id for c in scenario.claims] + [f.id for f in scenario.fills]
                ids += [d.id for d in scenario.disability_claims]
                show_claims(out, ids, new_uow, trace)
            engine.dispose()
        if outcome.passed:
            out.print(f"[green]PASS[/green] {outcome.name}")
        else:
            failures += 1
            out.print(f"[red]FAIL[/red] {outcome.name}  ({path})")
            for mismatch in outcome.mismatches:
                out.print(f"  {mismatch}", markup=False)
    total = len(files)
    out.print(f"{total - failures} passed, {failures} failed")
    raise typer.Exit(1 if failures else 0)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database named by OPENASO_DATABASE_URL."""
    url = get_settings().database_url
    database(url)
    out.print(f"database at {url} is up to date", markup=False)


def main() -> None:
    app()
