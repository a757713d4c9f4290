"""Payment runs: pay what decided claims owe, once, when the sponsor's money is there.

A run takes every decided claim of a sponsor whose current decision owes other than what was
paid on it before (new approvals, adjustments, voids) and every denial not yet reported. Per
payee it records what it pays on each claim (so paid-to-date is always the sum of what runs
paid), turns shortfalls into recoveries netted from the payee's payment (oldest first, never
below zero), and asks the sponsor to fund the run's total. Payments wait (held) until the
claims fund covers them — funding received, plus the sponsor's float — and are released in
order. The run is one transaction: one interrupted leaves nothing, and a run after a run finds
nothing left to pay.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from openaso.core.ledger import (
    Account,
    AccountKind,
    ClaimLineApproved,
    Entry,
    FundingReceived,
    FundingRequested,
    Payee,
    PaymentIssued,
    RecoveryCreated,
    RecoveryNetted,
    entries_for,
    settle_payee,
)
from openaso.core.money import Cents
from openaso.services.ports import UnitOfWork

Method = Literal["cheque", "eft"]


class PaymentError(ValueError):
    """A payment action that does not apply; the message says why."""


@dataclass
class RunResult:
    run_id: int | None
    sponsor: str
    claims: int = 0
    payments: list[dict[str, Any]] = field(default_factory=list)
    funding_request: str | None = None
    total: Cents = 0
    released: list[str] = field(default_factory=list)


def pay_run(
    uow: UnitOfWork, sponsor: str, run_date: date, *, actor: str, at: datetime,
    method: Method = "cheque",
) -> RunResult:  # fmt: skip
    """Run payments for `sponsor` on `run_date`; see the module's docstring."""
    with uow:
        books = uow.payments
        due = books.due(sponsor)
        if not due:
            return RunResult(None, sponsor)
        run_id = books.add_run(sponsor, run_date, at, actor)
        result = RunResult(run_id, sponsor, claims=len(due))
        # Benefits are assigned to the billing provider (837 loop 2010AA), else the one on file.
        payees = uow.claims.payees([row.seq for row in due])
        by_payee: dict[str, list[Any]] = {}
        for row in due:
            by_payee.setdefault(f"provider:{payees[row.seq]}", []).append(row)
        for payee_key, rows in by_payee.items():
            result.total += _pay(uow, run_id, sponsor, run_date, payee_key, rows, method, result)
        books.set_run_total(run_id, result.total)
        if result.total:
            request = result.funding_request = f"FR-{run_id}"
            books.add_funding_request(request, sponsor, run_id, run_date, result.total)
            _post(uow, FundingRequested(sponsor, run_date, request, result.total), run_id)
        result.released = _release(uow, sponsor, run_date)
        uow.audit.record(
            at, actor, "payment run", "sponsor", sponsor, {"run": run_id, "total": result.total}
        )
        uow.commit()
        return result


def _pay(
    uow: UnitOfWork, run_id: int, sponsor: str, on: date, payee_key: str, rows: Sequence[Any],
    method: Method, result: RunResult,
) -> Cents:  # fmt: skip
    """One payee's part of a run; returns what the sponsor must fund for it."""
    books = uow.payments
    kind, _, payee_id = payee_key.partition(":")
    payee = Payee(kind, payee_id)  # type: ignore[arg-type]
    paid_rows: list[tuple[int, int, Cents]] = []  # (claim seq, decision no, signed amount)
    payable = 0  # this run's approvals only: held payments of earlier runs wait on their own
    approvals: list[Entry] = []
    for row in rows:
        # A claim decided again after payment is taken back whole and paid again whole, so
        # the 835 reports its new decision in full and the recovery as PLB: both balance.
        recovered = row.paid if row.owed != row.paid else 0
        if recovered:
            recovery = f"R{run_id}-{row.id}"
            books.add_recovery(recovery, sponsor, payee_key, row.seq, recovered)
            _post(uow, RecoveryCreated(sponsor, on, recovery, row.id, payee, recovered), run_id)
            paid_rows.append((row.seq, row.decision_no, -recovered))
        if row.status == "approved" and (row.owed != row.paid or not row.reported):
            if row.owed:
                approved = ClaimLineApproved(sponsor, on, row.id, 0, payee, row.owed)
                approvals.append(entries_for(approved))
                payable += row.owed
            paid_rows.append((row.seq, row.decision_no, row.owed))
        elif row.status == "denied" and (row.paid or not row.reported):
            paid_rows.append((row.seq, row.decision_no, 0))  # reported once, as CLP02 = 4
    books.post_many(sponsor, approvals, run_id)
    open_recoveries = books.open_recoveries(sponsor, payee_key)
    events = settle_payee(
        sponsor=sponsor, on=on, payment_id="", payee=payee, method=method, payable=payable,
        open_recoveries=open_recoveries,
    )  # fmt: skip
    netted = [(e.recovery_id, e.amount) for e in events if isinstance(e, RecoveryNetted)]
    amount = sum(e.amount for e in events if isinstance(e, PaymentIssued))
    payment_id, number = books.add_payment(run_id, payee_key, method, amount, netted)
    for recovery_id, cents in netted:
        books.net_recovery(recovery_id, cents)
        _post(uow, RecoveryNetted(sponsor, on, recovery_id, number, payee, cents), run_id)
    books.add_claim_payments([(payment_id, *paid) for paid in paid_rows])
    if amount == 0:
        books.release(payment_id, on)  # a notice: nothing waits for money
    recovered = sum(cents for _, cents in netted)
    result.payments.append(
        {"payee": payee_key, "number": number, "amount": amount, "recovered": recovered}
    )
    return amount


def _release(uow: UnitOfWork, sponsor: str, on: date) -> list[str]:
    """Release held payments, oldest first, while the claims fund (with the float) covers them."""
    books = uow.payments
    fund = books.balance(Account(AccountKind.CLAIMS_FUND, sponsor))
    available = fund + books.claims_float(sponsor)
    released = []
    for payment in books.held(sponsor):
        if payment.amount > available:
            break
        kind, _, payee_id = payment.payee.partition(":")
        payee = Payee(kind, payee_id)
        issued = PaymentIssued(sponsor, on, payment.number, payee, payment.method, payment.amount)
        _post(uow, issued, payment.run_id)
        books.release(payment.id, on)
        available -= payment.amount
        released.append(payment.number)
    return released


def receive_funding(
    uow: UnitOfWork, request_id: str, amount: Cents, on: date, *, actor: str, at: datetime
) -> list[str]:
    """The sponsor's money for a funding request arrived; returns the payments released."""
    if amount <= 0:
        raise PaymentError("the amount received must be positive")
    with uow:
        request = uow.payments.funding_request(request_id)
        if request is None:
            raise PaymentError(f"no funding request {request_id}")
        if request.received + amount > request.amount:
            owed = request.amount - request.received
            raise PaymentError(
                f"funding request {request_id} has {owed / 100:,.2f} outstanding, not"
                f" {amount / 100:,.2f}"
            )
        uow.payments.receive_funding(request_id, amount)
        _post(uow, FundingReceived(request.sponsor_id, on, request_id, amount), request.run_id)
        released = _release(uow, request.sponsor_id, on)
        detail = {"amount": amount, "released": released}
        uow.audit.record(at, actor, "funding received", "funding_request", request_id, detail)
        uow.commit()
        return released


def set_claims_float(uow: UnitOfWork, sponsor: str, amount: Cents, on: date) -> list[str]:
    """What may be paid ahead of funding for `sponsor`; releases what it now covers."""
    if amount < 0:
        raise PaymentError("the float cannot be negative")
    with uow:
        if not uow.payments.set_claims_float(sponsor, amount):
            raise PaymentError(f"no sponsor {sponsor}")
        released = _release(uow, sponsor, on)
        uow.commit()
        return released


def _post(uow: UnitOfWork, event: Any, run_id: int | None) -> None:
    uow.payments.post(event.sponsor, entries_for(event), run_id)
