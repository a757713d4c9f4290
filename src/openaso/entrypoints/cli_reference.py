"""`openaso plan load`, `fees load`, `providers load`: reference data into the database."""

import csv
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from openaso.adapters.files.fee_schedule import read_fee_schedule_csv
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import YamlError, read_yaml
from openaso.core.npi import npi_problem
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.setup import load_fee_schedule, load_plans


def plan_load(files: list[Path]) -> None:
    """Check plan documents and store them (a changed document becomes a new version)."""
    loaded = []
    for path in files:
        try:
            document = read_yaml(path)
        except YamlError as exc:
            err.print(str(exc.finding), markup=False)
            raise typer.Exit(1) from None
        plan, findings = load_plan(document)
        for finding in findings:
            err.print(str(finding), markup=False)
        if plan is None:
            raise typer.Exit(1)
        loaded.append((plan, document.data, str(path)))
    versions = load_plans(open_database()(), loaded, actor(), now())
    for plan_id, version in versions.items():
        out.print(f"{plan_id}: version {version} in force", markup=False)


def fees_load(
    file: Path,
    effective: Annotated[
        str, typer.Option(help="first date of service it applies to (YYYY-MM-DD)")
    ],
) -> None:
    """Load a fee schedule (CSV: code,amount) effective from a date."""
    try:
        effective_from = date.fromisoformat(effective)
    except ValueError:
        err.print(f"--effective: expected a date YYYY-MM-DD, got {effective!r}", markup=False)
        raise typer.Exit(1) from None
    fees, findings = read_fee_schedule_csv(file)
    for finding in findings:
        err.print(str(finding), markup=False)
    if findings:
        err.print("nothing loaded: fix the rows above", markup=False)
        raise typer.Exit(1)
    load_fee_schedule(open_database()(), fees, effective_from, actor(), now())
    out.print(f"{len(fees)} fees effective {effective_from}", markup=False)


def providers_load(file: Path) -> None:
    """Load providers (CSV: npi,tin,name,network with network in|out); NPIs are checked."""
    new_uow = open_database()
    problems = 0
    changed = 0
    with file.open(newline="", encoding="utf-8-sig") as handle, new_uow() as uow:
        reader = csv.DictReader(handle)
        for row in reader:
            line = reader.line_num
            npi = (row.get("npi") or "").strip()
            network = (row.get("network") or "").strip()
            problem = npi_problem(npi) or (
                None
                if network in ("in", "out")
                else f"network: expected in or out, got {network!r}"
            )
            if problem:
                err.print(f"{file}:{line}: {problem}", markup=False)
                problems += 1
                continue
            changed += uow.providers.upsert(
                npi,
                (row.get("tin") or "").strip() or None,
                (row.get("name") or "").strip(),
                network,
            )
        uow.commit()
    out.print(f"{changed} providers added or changed; {problems} rows skipped", markup=False)
    raise typer.Exit(1 if problems else 0)
