"""`openaso claims intake FILE` (837 in, 999/TA1 out) and `openaso claims files` (history)."""

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from openaso.adapters.x12.ack_999 import Party
from openaso.config import get_settings
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.claims_837 import FileIntake, intake_837

Acks = Annotated[
    Path | None,
    typer.Option("--acks", help="write each 999 and TA1 into this directory as well"),
]


def intake(files: list[Path], acks: Acks = None) -> None:
    """Receive 837 files (P, I or D): store the claims of every accepted transaction set and
    answer each functional group with a 999 (and each broken envelope with a TA1). Exits 1
    when anything was rejected. A file already received stores nothing again."""
    settings = get_settings()
    ours = Party(settings.x12_qualifier, settings.x12_id)
    new_uow = open_database()
    failed = False
    for file in files:
        if not file.is_file():
            err.print(f"{file}: no such file", markup=False)
            failed = True
            continue
        result = intake_837(new_uow(), file, ours=ours, actor=actor(), at=now())
        failed |= _report(file, result)
        if acks is not None:
            _write_acks(acks, file, result)
    if failed:
        raise typer.Exit(1)


def files(limit: Annotated[int, typer.Option(help="how many, newest first")] = 20) -> None:
    """The X12 files received, newest first, with what became of each."""
    with open_database()() as uow:
        received = uow.x12.recent(limit)
        table = Table("file", "name", "received", "by", "outcome", "claims", "sets", "999/TA1")
        for row in received:
            summary = row["summary"]
            sent = ", ".join(
                f"{a['kind']} {a['status']}" for a in uow.x12.acknowledgments(row["id"])
            )
            table.add_row(
                str(row["id"]),
                row["name"],
                f"{row['received_at']:%Y-%m-%d %H:%M}",
                row["actor"],
                row["outcome"],
                str(summary.get("claims", 0)),
                f"{summary.get('sets_accepted', 0)} ok / {summary.get('sets_rejected', 0)} rej",
                sent,
            )
    out.print(table)


def _report(file: Path, result: FileIntake) -> bool:
    """Print what became of `file`; returns whether anything in it was rejected."""
    if result.earlier is not None:
        earlier = result.earlier
        out.print(
            f"{file}: already received on {earlier['received_at']:%Y-%m-%d %H:%M} as file"
            f" {earlier['id']} ({earlier['outcome']}); nothing stored again",
            markup=False,
        )
        return False
    for problem in result.problems:
        err.print(str(problem), markup=False)
    parts = [f"{len(result.stored)} claims stored"]
    if result.replaced:
        parts.append(f"{len(result.replaced)} replaced")
    if result.voided:
        parts.append(f"{len(result.voided)} voided")
    if result.unmatched:
        parts.append(f"{len(result.unmatched)} for patients not found (to be denied, CO-31)")
    parts.append(f"sets: {result.sets_accepted} accepted, {result.sets_rejected} rejected")
    acks = ", ".join(f"{a.kind} {a.status}" for a in result.acknowledgments) or "none"
    out.print(
        f"{file}: file {result.file_id}, {result.outcome}: {'; '.join(parts)}; sent {acks}",
        markup=False,
    )
    return result.outcome != "accepted"


def _write_acks(directory: Path, file: Path, result: FileIntake) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for ack in result.acknowledgments:
        target = directory / f"{file.name}.{ack.control:09d}.{ack.kind.lower()}"
        target.write_text(ack.content)
        out.print(f"wrote {target}", markup=False)
