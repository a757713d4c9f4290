"""`openaso enroll` and `openaso members show`."""

import hashlib
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from openaso.adapters.files.census_csv import read_census
from openaso.adapters.x12.enrolment_834 import read_834
from openaso.core.enrolment import EnrolmentBatch
from openaso.core.money import format_cents
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.enrolment import import_enrolment


def enroll(
    file: Path,
    sponsor: Annotated[str, typer.Option(help="the plan sponsor the file is for")],
    full_file: Annotated[
        bool, typer.Option("--full-file", help="members absent from the file are terminated")
    ] = False,
    as_of: Annotated[str | None, typer.Option(help="CSV census date (default today)")] = None,
) -> None:
    """Import enrolment: an X12 834 (005010X220A1) or a CSV census (see docs/enrolment.md)."""
    try:
        data = file.read_bytes()
    except OSError as exc:
        err.print(f"{file}: cannot read the file: {exc}", markup=False)
        raise typer.Exit(1) from None
    batches: list[EnrolmentBatch]
    if file.suffix.lower() == ".csv":
        census_date = date.fromisoformat(as_of) if as_of else now().date()
        batch, findings = read_census(file, sponsor, census_date)
        batches = [batch] if batch is not None else []
    else:
        batches, findings = read_834(file)
    report = import_enrolment(
        open_database()(),
        batches,
        findings,
        str(file),
        hashlib.sha256(data).hexdigest(),
        sponsor,
        full_file,
        actor(),
        now(),
    )
    for finding in report.findings:
        err.print(finding, markup=False)
    if report.already_imported:
        out.print(
            f"{file}: already imported {report.already_imported}; nothing changed", markup=False
        )
        return
    out.print(
        f"{file}: {report.added} added, {report.changed} changed, {report.terminated} terminated,"
        f" {report.reinstated} reinstated, {report.unchanged} unchanged, {report.skipped} skipped",
        markup=False,
    )
    if report.reprocess:
        out.print(
            f"claims to decide again after retroactive changes: {', '.join(report.reprocess)}",
            markup=False,
        )


def members_show(member_id: str) -> None:
    """A member: who, coverage spans, accumulators of the member and the family."""
    with open_database()() as uow:
        detail = uow.members.detail(member_id)
        if detail is None:
            err.print(f"no member {member_id} on file", markup=False)
            raise typer.Exit(1)
        out.print(
            f"[bold]{detail['last_name'] or ''}, {detail['first_name'] or ''}[/bold]  {member_id}"
            f"  family {detail['family_id']}  {detail['relationship']}"
            f"  sponsor {detail['sponsor_id']}"
        )
        spans = Table("coverage", "tier", "from", "to", "plan", title="coverage")
        for span in uow.members.enrolments(member_id):
            spans.add_row(
                span.coverage,
                span.tier or "",
                str(span.start),
                str(span.end or "open"),
                span.plan_id or span.plan_code or "in force on the date",
            )
        out.print(spans)
        for kind, holder in (("member", member_id), ("family", str(detail["family_id"]))):
            table = Table("plan", "accumulator", "value", title=f"{kind} {holder} accumulators")
            for (plan_id, name), value in uow.accumulators.of_holder(kind, holder).items():
                table.add_row(
                    plan_id, name, str(value) if name.startswith("count:") else format_cents(value)
                )
            out.print(table)
