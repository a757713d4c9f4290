"""`openaso generate` (a synthetic book of business as files) and `openaso demo seed`."""

import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

from openaso.adapters.x12.ack_999 import Party
from openaso.config import get_settings
from openaso.core.money import format_cents
from openaso.entrypoints.context import actor, err, open_database, out
from openaso.services.demo import SeedError, seed_demo
from openaso.synthetic.book import draw_book, write_book

demo_app = typer.Typer(help="The demo sponsor.", no_args_is_help=True)

Employees = Annotated[int, typer.Option(min=1, help="employees (families) in the book")]
Seed = Annotated[int, typer.Option(help="the random seed: the same seed gives the same files")]
Year = Annotated[int, typer.Option(help="the plan year")]
Months = Annotated[int, typer.Option(min=1, max=36, help="months of services")]
Sponsor = Annotated[str, typer.Option(help="the plan sponsor's id")]


def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="the folder to write (created)")],
    employees: Employees = 300,
    seed: Seed = 2026,
    year: Year = 2026,
    months: Months = 12,
    sponsor: Sponsor = "demo",
) -> None:
    """Write a seeded synthetic book: plans, fees, providers, stop-loss policy, an 834 and a
    year of 837P/I/D files and PBM fills by receipt week (see docs/synthetic.md)."""
    if out_dir.exists() and any(out_dir.iterdir()):
        err.print(f"{out_dir}: the folder is not empty", markup=False)
        raise typer.Exit(1)
    started = time.perf_counter()
    manifest = write_book(draw_book(employees, seed, year, months, sponsor), out_dir)
    claims = manifest["claims"]
    out.print(
        f"{out_dir}: {manifest['employees']} employees, {manifest['members']} members; "
        f"{claims['P']} 837P, {claims['I']} 837I, {claims['D']} 837D claims and "
        f"{manifest['fills']} fills in {len(manifest['weeks'])} weeks "
        f"({time.perf_counter() - started:.1f} s)",
        markup=False,
    )
    allowed = ", ".join(
        f"{tier} ${value}" for tier, value in manifest["allowed_per_employee"].items()
    )
    out.print(f"medical and drug allowed per employee a year: {allowed}", markup=False)


@demo_app.command("seed")
def seed(
    employees: Employees = 300,
    seed_: Annotated[int, typer.Option("--seed", help="the random seed")] = 2026,
    year: Year = 2026,
    keep: Annotated[
        Path | None, typer.Option(help="keep the generated files in this folder")
    ] = None,
) -> None:
    """Build the demo sponsor on the configured database: a generated year through intake,
    adjudication and weekly payment runs. A database already seeded is left alone."""
    settings = get_settings()
    ours = Party(settings.x12_qualifier, settings.x12_id)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="openaso-demo-") as tmp:
        folder = keep or Path(tmp)
        write_book(draw_book(employees, seed_, year), folder)
        try:
            report = seed_demo(open_database(), folder, actor=actor(), ours=ours)
        except SeedError as exc:
            err.print(f"demo seed stopped: {exc}", markup=False)
            raise typer.Exit(1) from None
    if report.already_seeded:
        out.print(f"sponsor {report.sponsor} is already seeded; nothing changed", markup=False)
        return
    statuses = ", ".join(f"{n} {status}" for status, n in sorted(report.by_status.items()))
    out.print(
        f"sponsor {report.sponsor}: {report.members} members, {report.files} files, "
        f"{report.claims} claims and {report.fills} fills ({statuses}); {report.runs} payment "
        f"runs funded ${format_cents(report.paid)}; voided {len(report.voided)}; "
        f"stop-loss {report.stop_loss}: {report.notices} notices, "
        f"${format_cents(report.filed)} filed; {report.invoices} invoices"
        f" ${format_cents(report.invoiced)}, premium remitted ${format_cents(report.remitted)};"
        f" {time.perf_counter() - started:.1f} s",
        markup=False,
    )
