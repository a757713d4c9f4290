"""`openaso pay ...`: payment runs, the sponsor's funding, the float, and the 835s."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from openaso.bootstrap import remitter
from openaso.config import get_settings
from openaso.core.ledger import Account, AccountKind
from openaso.core.money import format_cents, parse_amount
from openaso.entrypoints.context import actor, err, now, open_database, out
from openaso.services.payments import (
    Method,
    PaymentError,
    pay_run,
    receive_funding,
    set_claims_float,
)
from openaso.services.remittance import remittances

app = typer.Typer(help="Payment runs, funding, the float and 835s.", no_args_is_help=True)
Sponsor = Annotated[str, typer.Option(help="the sponsor's id")]
On = Annotated[str, typer.Option("--date", help="YYYY-MM-DD")]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        err.print(f"--date: expected YYYY-MM-DD, got {text!r}", markup=False)
        raise typer.Exit(2) from None


def _cents(text: str, option: str) -> int:
    try:
        return parse_amount(text)
    except ValueError as exc:
        err.print(f"{option}: {exc}", markup=False)
        raise typer.Exit(2) from None


@app.command("run")
def run(sponsor: Sponsor, on: On, method: Method = "cheque") -> None:
    """Pay every decided claim of the sponsor not yet paid as decided; ask for its funding."""
    result = pay_run(open_database()(), sponsor, _date(on), actor=actor(), at=now(), method=method)
    if result.run_id is None:
        out.print(f"{sponsor}: nothing to pay", markup=False)
        return
    table = Table("payee", "number", "paid", "recoveries netted")
    for payment in result.payments:
        table.add_row(
            payment["payee"],
            payment["number"],
            format_cents(payment["amount"]),
            format_cents(payment["recovered"]),
        )
    out.print(table)
    request = result.funding_request or "none (nothing to fund)"
    out.print(
        f"run {result.run_id}: {result.claims} claims, {format_cents(result.total)} to fund;"
        f" funding request {request}; released {len(result.released)} payments",
        markup=False,
    )


@app.command("fund")
def fund(
    request: str, amount: Annotated[str, typer.Option(help="dollars received")], on: On
) -> None:
    """Record the sponsor's money for a funding request; releases what it now covers."""
    try:
        released = receive_funding(
            open_database()(), request, _cents(amount, "--amount"), _date(on),
            actor=actor(), at=now(),
        )  # fmt: skip
    except PaymentError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"{request}: received {amount}; released {', '.join(released) or 'nothing'}")


@app.command("float")
def claims_float(
    sponsor: Sponsor, amount: Annotated[str, typer.Option(help="dollars")], on: On
) -> None:
    """Set what may be paid before the sponsor's funding arrives."""
    try:
        released = set_claims_float(
            open_database()(), sponsor, _cents(amount, "--amount"), _date(on)
        )
    except PaymentError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    out.print(f"{sponsor}: float {amount}; released {', '.join(released) or 'nothing'}")


@app.command("remit")
def remit(run_id: int, directory: Annotated[Path, typer.Option("--out")]) -> None:
    """Write the 835 of every released payment of a run into a directory."""
    payer, ours = remitter(get_settings())
    try:
        written = remittances(open_database()(), run_id, payer, ours, now())
    except ValueError as exc:
        err.print(str(exc), markup=False)
        raise typer.Exit(1) from None
    directory.mkdir(parents=True, exist_ok=True)
    for number, text in written:
        target = directory / f"run{run_id}-{number}.835"
        target.write_text(text)
        out.print(f"wrote {target}", markup=False)
    if not written:
        out.print(f"run {run_id}: no released payments yet", markup=False)


@app.command("status")
def status(sponsor: Sponsor) -> None:
    """The claims fund, funding requests and payments waiting for money."""
    with open_database()() as uow:
        books = uow.payments
        fund = books.balance(Account(AccountKind.CLAIMS_FUND, sponsor))
        out.print(
            f"{sponsor}: claims fund {format_cents(fund)};"
            f" float {format_cents(books.claims_float(sponsor))}",
            markup=False,
        )
        table = Table("funding request", "requested", "amount", "received")
        for row in books.funding_of(sponsor):
            table.add_row(
                row.id, str(row.requested_on), format_cents(row.amount), format_cents(row.received)
            )
        out.print(table)
        held = Table("held payment", "payee", "amount")
        for row in books.held(sponsor):
            held.add_row(row.number, row.payee, format_cents(row.amount))
        out.print(held)
