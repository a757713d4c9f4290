"""`openaso stoploss ...`: the policy, claimant status, notices, filings, receipts, aggregate."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import YamlError, read_yaml
from openaso.adapters.render.stoploss_csv import (
    aggregate_csv,
    filing_csv,
    settlement_csv,
    status_csv,
)
from openaso.adapters.render.stoploss_pdf import render_aggregate_pdf, render_filing_pdf
from openaso.core.money import format_cents, parse_amount
from openaso.core.stoploss import Filing
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.stoploss import StopLossError, load_policy, policy_for, record_notices, status
from openaso.services.stoploss_filings import file_specific, monthly_report, receive, settlement

app = typer.Typer(
    help="Stop-loss: policies, notices, filings and the aggregate.", no_args_is_help=True
)
Sponsor = Annotated[str, typer.Option(help="the sponsor's id")]
Policy = Annotated[str | None, typer.Option(help="a policy id (default: the one in force)")]
AsOf = Annotated[str, typer.Option("--as-of", help="claims paid through YYYY-MM-DD")]
OutDir = Annotated[Path | None, typer.Option("--out", help="write CSV (and PDF) files here")]


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"{option}: expected YYYY-MM-DD, got {text!r}", markup=False)
        raise typer.Exit(2) from None


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        err.print(f"--month: expected YYYY-MM, got {text!r}", markup=False)
        raise typer.Exit(2) from None


def _failed(exc: Exception) -> typer.Exit:
    err.print(str(exc), markup=False)
    return typer.Exit(1)


def _write(directory: Path, name: str, content: str | bytes) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / name
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content)
    out.print(f"wrote {target}", markup=False)


@app.command("load")
def load(file: Path, sponsor: Sponsor) -> None:
    """Check a stop-loss policy document and store it (a changed one is a new version)."""
    try:
        document = read_yaml(file)
    except YamlError as exc:
        err.print(str(exc.finding), markup=False)
        raise typer.Exit(1) from None
    policy, findings = load_stoploss(document)
    for finding in findings:
        err.print(str(finding), markup=False)
    if policy is None:
        raise typer.Exit(1)
    try:
        version = load_policy(open_database()(), policy, document.data, str(file),
                              sponsor=sponsor, actor=actor(), at=now())  # fmt: skip
    except StopLossError as exc:
        raise _failed(exc) from None
    out.print(f"{policy.id}: version {version} in force", markup=False)


@app.command("status")
def show_status(
    sponsor: Sponsor, as_of: AsOf, policy: Policy = None, out_dir: OutDir = None
) -> None:
    """Each claimant's specific accumulator: paid, deductible, excess, filed and received."""
    try:
        result = status(open_database()(), sponsor, _date(as_of, "--as-of"), policy)
    except StopLossError as exc:
        raise _failed(exc) from None
    table = Table("member", "paid", "deductible", "excess", "ASD", "reimbursable", "filed",
                  "received", title=f"{result.policy.id} through {result.as_of}")  # fmt: skip
    for row in result.claimants:
        p = row.position
        deductible = "excluded" if p.deductible is None else format_cents(p.deductible)
        table.add_row(p.member_id, format_cents(p.paid), deductible, format_cents(p.excess),
                      format_cents(p.asd_retained), format_cents(p.reimbursable),
                      format_cents(row.filed), format_cents(row.received))  # fmt: skip
    out.print(table)
    if out_dir is not None:
        _write(out_dir, f"{result.policy.id}-status-{result.as_of}.csv", status_csv(result))


@app.command("notices")
def notices(sponsor: Sponsor, as_of: AsOf, policy: Policy = None) -> None:
    """Record the notices owed to the carrier (once per member and reason) and list them all."""
    try:
        new, on_file = record_notices(open_database()(), sponsor, _date(as_of, "--as-of"),
                                      at=now(), actor=actor(), policy_id=policy)  # fmt: skip
    except StopLossError as exc:
        raise _failed(exc) from None
    table = Table("member", "reason", "on", "claim", "detail")
    for row in on_file:
        table.add_row(row.member_id, row.reason, str(row.on), row.claim_id, row.detail)
    out.print(table)
    out.print(f"{len(new)} new notices", markup=False)


def _show_filings(filings: list[Filing]) -> None:
    table = Table("filing", "kind", "claimant", "through", "filed on", "amount", "received")
    for f in filings:
        table.add_row(f.id, f.kind, f.member_id or "", str(f.through), str(f.filed_on),
                      format_cents(f.amount), format_cents(f.received))  # fmt: skip
    out.print(table)


@app.command("file")
def file_filings(
    sponsor: Sponsor, as_of: AsOf,
    on: Annotated[str | None, typer.Option("--date", help="filed on (default: --as-of)")] = None,
    policy: Policy = None, out_dir: OutDir = None,
) -> None:  # fmt: skip
    """File specific reimbursement for every claimant's excess not yet filed."""
    through = _date(as_of, "--as-of")
    filed_on = through if on is None else _date(on, "--date")
    try:
        made = file_specific(open_database()(), sponsor, through, filed_on=filed_on,
                             actor=actor(), at=now(), policy_id=policy)  # fmt: skip
    except StopLossError as exc:
        raise _failed(exc) from None
    _show_filings(made)
    out.print(f"{len(made)} filings", markup=False)
    for filing in made if out_dir is not None else []:
        assert out_dir is not None
        _write(out_dir, f"{filing.id}.csv", filing_csv(filing))
        _write(out_dir, f"{filing.id}.pdf", render_filing_pdf(filing))


@app.command("filings")
def filings(sponsor: Sponsor, policy: Policy = None) -> None:
    """Every filing of the policy, with what was received on it."""
    with open_database()() as uow:
        try:
            chosen = policy_for(uow, sponsor, date.max, policy)
        except StopLossError as exc:
            raise _failed(exc) from None
        _show_filings(uow.stoploss.filings(chosen.id))


@app.command("receive")
def receive_filing(
    filing: str, amount: Annotated[str, typer.Option(help="dollars")],
    on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
) -> None:  # fmt: skip
    """Record the carrier's payment on a filing (or, on a negative one, the sponsor's refund)."""
    try:
        cents = parse_amount(amount)
    except ValueError as exc:
        err.print(f"--amount: {exc}", markup=False)
        raise typer.Exit(2) from None
    try:
        result = receive(open_database()(), filing, cents, _date(on, "--date"),
                         actor=actor(), at=now())  # fmt: skip
    except StopLossError as exc:
        raise _failed(exc) from None
    out.print(f"{filing}: {format_cents(result.received)} of {format_cents(result.amount)}"
              f" received", markup=False)  # fmt: skip


@app.command("aggregate")
def aggregate(
    sponsor: Sponsor, month: Annotated[str, typer.Option(help="YYYY-MM")],
    file: Annotated[bool, typer.Option("--file", help="file the accommodation due")] = False,
    on: Annotated[str | None, typer.Option("--date", help="filed on (with --file)")] = None,
    policy: Policy = None, out_dir: OutDir = None,
) -> None:  # fmt: skip
    """The cumulative Monthly Aggregate Report through a month."""
    first = _month(month)
    filed_on = (date.today() if on is None else _date(on, "--date")) if file else None
    try:
        result = monthly_report(open_database()(), sponsor, first, policy_id=policy,
                                file_on=filed_on, actor=actor(), at=now())  # fmt: skip
    except (StopLossError, ValueError) as exc:
        raise _failed(exc) from None
    r = result.report
    out.print(
        f"{result.policy.id} through {month}: attachment {format_cents(r.attachment)};"
        f" eligible paid {format_cents(r.eligible_paid)}; specific excess"
        f" {format_cents(r.specific_excess)}; aggregate claims {format_cents(r.aggregate_claims)};"
        f" advanced {format_cents(r.advanced)}; accommodation due"
        f" {format_cents(r.accommodation_due)}",
        markup=False,
    )
    if result.filing is not None:
        out.print(f"filed {result.filing.id}", markup=False)
    if out_dir is not None:
        name = f"{result.policy.id}-aggregate-{month}"
        _write(out_dir, f"{name}.csv", aggregate_csv(result))
        _write(out_dir, f"{name}.pdf", render_aggregate_pdf(result, filed_on or date.today()))


@app.command("settle")
def settle(
    sponsor: Sponsor, on: Annotated[str, typer.Option("--date", help="YYYY-MM-DD")],
    terminated: Annotated[bool, typer.Option(help="the policy terminated")] = False,
    file: Annotated[bool, typer.Option("--file", help="file the balance")] = False,
    policy: Policy = None, out_dir: OutDir = None,
) -> None:  # fmt: skip
    """The year-end aggregate settlement (filing it waits for the paid window to close)."""
    day = _date(on, "--date")
    try:
        chosen, result, _, filing = settlement(open_database()(), sponsor, day, policy_id=policy,
                                               terminated=terminated, file=file, actor=actor(),
                                               at=now())  # fmt: skip
    except (StopLossError, ValueError) as exc:
        raise _failed(exc) from None
    out.print(
        f"{chosen.id}: attachment {format_cents(result.attachment)}; aggregate claims"
        f" {format_cents(result.aggregate_claims)}; reimbursement"
        f" {format_cents(result.reimbursement)}; advanced {format_cents(result.advanced)};"
        f" balance {format_cents(result.balance)}",
        markup=False,
    )
    if filing is not None:
        out.print(f"filed {filing.id}: {format_cents(filing.amount)}", markup=False)
    if out_dir is not None:
        _write(out_dir, f"{chosen.id}-settlement-{day}.csv", settlement_csv(result))
