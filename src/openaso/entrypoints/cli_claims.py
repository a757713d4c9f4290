"""`openaso claims ...`: adjudicate, look at a claim and its trace, work the pend queue."""

from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from openaso.adapters.files.claims_file import read_claims_file
from openaso.adapters.render.eob_html import render_eob_html
from openaso.adapters.render.eob_pdf import render_eob_pdf
from openaso.core.claims import LineReview
from openaso.core.money import parse_amount
from openaso.entrypoints.cli_views import show_claims
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.adjudication import (
    Settlement,
    adjudicate_waiting,
    reference_data,
    settle_families,
)
from openaso.services.eob import EobError, read_eob
from openaso.services.intake import DuplicateClaimIdError, receive_claims
from openaso.services.lifecycle import (
    ClaimActionError,
    adjust_claim,
    deny_reason,
    review_line,
    void_claim,
)
from openaso.services.ports import UnitOfWorkFactory

app = typer.Typer(
    help="Claims: adjudicate, show, pend queue, approve/deny, adjust, void.", no_args_is_help=True
)
Line = Annotated[int, typer.Option("--line", help="line number")]
Reason = Annotated[str, typer.Option(help="why, in words (kept in the audit log)")]


@app.command("receive")
def receive(file: Path) -> None:
    """Receive claims written as YAML or JSON (`claims`, `pharmacy_claims`, `disability_claims`
    in the shapes of a scenario file); a file with any problem is refused whole."""
    claims, findings = read_claims_file(file)
    for finding in findings:
        err.print(str(finding), markup=False)
    if findings:
        raise typer.Exit(1)
    try:
        seqs = receive_claims(open_database()(), claims)
    except DuplicateClaimIdError as exc:
        err.print(f"{file}: {exc}; nothing was received", markup=False)
        raise typer.Exit(1) from None
    out.print(f"{len(seqs)} claims received from {file}", markup=False)


@app.command("adjudicate")
def adjudicate(batch: Annotated[int, typer.Option(help="families per transaction")] = 200) -> None:
    """Decide every claim waiting (and every family needing it again), oldest first."""
    new_uow = open_database()
    with new_uow() as uow:
        waiting = uow.claims.count_with_work()
    with Progress(
        TextColumn("adjudicating"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=out,
        transient=True,
    ) as progress:
        task = progress.add_task("claims", total=waiting)
        total = adjudicate_waiting(new_uow, batch, lambda done: progress.advance(task, done.claims))
    _summary(total)


@app.command("show")
def show(claim_id: str, trace: Annotated[bool, typer.Option("--trace")] = False) -> None:
    """A claim's lines as decided, and with --trace how each was decided."""
    new_uow = open_database()
    with new_uow() as uow:
        header = uow.claims.header(claim_id)
    if header is None:
        err.print(f"no claim {claim_id} on file", markup=False)
        raise typer.Exit(1)
    replaces = f", replaces {header.replaces}" if header.replaces else ""
    out.print(
        f"[bold]{claim_id}[/bold] {header.kind} claim of {header.member_id}, received"
        f" {header.received}: {header.status} (decision {header.decision_no}{replaces})"
    )
    show_claims(out, [claim_id], new_uow, trace)


@app.command("eob")
def eob(
    claim_id: str,
    html: Annotated[Path | None, typer.Option("--html", help="write the EOB as HTML here")] = None,
    pdf: Annotated[Path | None, typer.Option("--pdf", help="write the EOB as PDF here")] = None,
) -> None:
    """Write the member's explanation of benefits of a decided claim (the read is audited)."""
    if html is None and pdf is None:
        err.print("say where to write the EOB: --html FILE, --pdf FILE or both", markup=False)
        raise typer.Exit(1)
    files = [str(path) for path in (html, pdf) if path is not None]
    try:
        document = read_eob(open_database()(), claim_id, actor(), now(), files)
    except EobError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    try:
        if html is not None:
            html.write_text(render_eob_html(document), encoding="utf-8")
        if pdf is not None:
            pdf.write_bytes(render_eob_pdf(document))
    except OSError as exc:
        err.print(f"cannot write the EOB: {exc}", markup=False)
        raise typer.Exit(1) from None
    out.print(f"EOB of claim {claim_id} written to {', '.join(files)}", markup=False)


@app.command("pend-queue")
def pend_queue() -> None:
    """Pended claims, oldest first, with their age and the reason each line waits."""
    with open_database()() as uow:
        rows = uow.claims.pend_queue()
    today = now().date()
    table = Table("claim", "member", "received", "age (days)", "line", "reason", title="pend queue")
    for row in rows:
        table.add_row(
            row["claim"],
            row["member"],
            str(row["received"]),
            str((today - row["received"]).days),
            str(row["line"]),
            row["reason"],
        )
    out.print(table)
    out.print(f"{len({r['claim'] for r in rows})} claims pended", markup=False)


@app.command("approve")
def approve(
    claim_id: str,
    line: Line,
    allowed: Annotated[str, typer.Option(help="allowed amount")],
    reason: Reason,
) -> None:
    """Price a pended line (for example a code with no fee-schedule amount)."""
    amount = _amount(allowed)
    _review(claim_id, LineReview(line, "approve", reason, actor(), allowed=amount))


@app.command("deny")
def deny(
    claim_id: str,
    line: Line,
    carc: Annotated[str, typer.Option(help="reason code, e.g. 16")],
    reason: Reason,
    group: Annotated[str, typer.Option(help="CO, PR or OA")] = "CO",
) -> None:
    """Deny a pended line with a reason code."""
    try:
        group_code, code = deny_reason(group, carc)
    except ClaimActionError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    _review(claim_id, LineReview(line, "deny", reason, actor(), group=group_code, carc=code))


@app.command("void")
def void(claim_id: str, reason: Reason) -> None:
    """Void a decided claim; later claims of the family are decided again."""
    new_uow = open_database()
    _act(new_uow, lambda: void_claim(new_uow(), claim_id, reason, actor(), now()))
    out.print(f"{claim_id} voided", markup=False)


@app.command("adjust")
def adjust(
    claim_id: str,
    reason: Reason,
    line: Line,
    billed: Annotated[str | None, typer.Option(help="new billed amount")] = None,
    code: Annotated[str | None, typer.Option(help="new procedure code")] = None,
    units: Annotated[int | None, typer.Option(help="new units")] = None,
) -> None:
    """Replace a decided claim with a corrected copy, decided in the original's place."""
    changes: dict[str, object] = {}
    if billed is not None:
        changes["billed"] = _amount(billed)
    if code is not None:
        changes["code"] = code
    if units is not None:
        changes["units"] = units
    if not changes:
        err.print("nothing to change: give --billed, --code or --units", markup=False)
        raise typer.Exit(1)
    new_uow = open_database()
    result: list[str] = []

    def run() -> str:
        new_id, family = adjust_claim(new_uow(), claim_id, {line: changes}, reason, actor(), now())
        result.append(new_id)
        return family

    _act(new_uow, run)
    out.print(f"{claim_id} replaced by {result[0]}", markup=False)
    show(result[0])


def _review(claim_id: str, review: LineReview) -> None:
    new_uow = open_database()
    _act(new_uow, lambda: review_line(new_uow(), claim_id, review, now()))
    show(claim_id)


def _act(new_uow: UnitOfWorkFactory, action: "object") -> None:
    """Run a lifecycle action, then settle the family it touched."""
    try:
        family = action()  # type: ignore[operator]
    except ClaimActionError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    _summary(settle_families(new_uow(), [family], reference_data(new_uow())))


def _amount(text: str) -> int:
    try:
        return parse_amount(Decimal(text))
    except (ValueError, ArithmeticError):
        err.print(f"expected an amount in dollars like 95.00, got {text!r}", markup=False)
        raise typer.Exit(1) from None


def _summary(total: Settlement) -> None:
    counts = (
        ", ".join(f"{n} {status}" for status, n in sorted(total.by_status.items()))
        or "nothing to do"
    )
    out.print(f"{total.claims} claims of {total.families} families decided: {counts}", markup=False)
