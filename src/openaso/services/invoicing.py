"""Sponsor fee invoices: load the fee contract, run a month's invoice, record its payment.

An invoice run is one transaction: it stores the invoice, its lines and the member-months it
billed or credited, and posts it to the ledger (admin-fee receivable against fees earned;
stop-loss premium receivable against the premium payable to each carrier). Running a month
already invoiced returns that invoice and changes nothing; enrolment changed since goes on the
next month's invoice as adjustments (core.invoicing).
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openaso.adapters.files.fee_contract import LoadedContract, read_contract
from openaso.adapters.files.yaml_source import parse_yaml
from openaso.core.dates import add_months
from openaso.core.invoicing import (
    BillingError,
    Draft,
    FeeContract,
    InvoiceLine,
    MemberMonth,
    draft_invoice,
    enrolled_member_months,
)
from openaso.core.ledger import (
    AdminFeeCredited,
    AdminFeeInvoiced,
    AdminFeePaid,
    StopLossPremiumCredited,
    StopLossPremiumInvoiced,
    StopLossPremiumPaid,
    entries_for,
)
from openaso.core.money import Cents, format_cents
from openaso.core.plan import Coverage
from openaso.services.ports import UnitOfWork


class InvoiceError(ValueError):
    """An invoicing action that does not apply; the message says why."""


@dataclass(frozen=True, slots=True)
class InvoiceView:
    id: int
    number: str  # INV-<id>, the ledger's invoice id
    sponsor: str
    month: date
    lines: tuple[InvoiceLine, ...]
    fees: Cents
    premiums: Cents
    paid: Cents
    payments: tuple[tuple[date, Cents], ...]

    @property
    def total(self) -> Cents:
        return self.fees + self.premiums

    @property
    def outstanding(self) -> Cents:
        return self.total - self.paid


def invoice_number(invoice_id: int) -> str:
    return f"INV-{invoice_id}"


def load_contract(
    uow: UnitOfWork, loaded: LoadedContract, origin: str, *, actor: str, at: datetime
) -> None:
    terms = loaded.terms
    with uow:
        uow.invoices.add_contract(
            terms.sponsor, terms.effective, loaded.document, origin, loaded.policy_document,
            loaded.policy_origin, at, actor,
        )  # fmt: skip
        detail = {"effective": terms.effective.isoformat(), "origin": origin}
        uow.audit.record(at, actor, "fee contract loaded", "sponsor", terms.sponsor, detail)
        uow.commit()


def contract_of(uow: UnitOfWork, sponsor: str) -> FeeContract:
    """The sponsor's stored contract versions, read back through the same checks."""
    versions = []
    for row in uow.invoices.contracts(sponsor):
        terms, findings = read_contract(
            parse_yaml(row.document, row.origin), sponsor, row.policy_document, row.policy_origin
        )
        if terms is None:  # it passed these checks when it was loaded
            raise InvoiceError("; ".join(str(f) for f in findings))
        versions.append(terms)
    if not versions:
        raise InvoiceError(f"no fee contract is loaded for sponsor {sponsor}")
    return FeeContract(sponsor, tuple(versions))


def run_invoice(
    uow: UnitOfWork, sponsor: str, month: date, *, actor: str, at: datetime
) -> tuple[int, bool]:
    """(invoice id, whether it was made now) for `sponsor`'s invoice of `month`."""
    month = month.replace(day=1)
    with uow:
        books = uow.invoices
        books.lock(sponsor)  # a second run of the same month waits, then finds this one
        existing = books.of_month(sponsor, month)
        if existing is not None:
            return existing, False
        before = books.months(sponsor)
        if before and month < before[-1]:
            raise InvoiceError(
                f"{sponsor} is invoiced through {before[-1]:%Y-%m}; {month:%Y-%m} was never"
                " invoiced and cannot be now (a change to it goes on the next invoice)"
            )
        if before and month != add_months(before[-1], 1):
            raise InvoiceError(
                f"the next invoice of {sponsor} is for {add_months(before[-1], 1):%Y-%m},"
                f" not {month:%Y-%m}"
            )
        contract = contract_of(uow, sponsor)
        try:
            draft = _draft(uow, contract, month, before)
        except BillingError as exc:
            raise InvoiceError(str(exc)) from None
        invoice_id = books.add(
            sponsor, month, draft.fees, draft.premiums, at, actor, draft.lines,
            draft.member_months,
        )  # fmt: skip
        _post_invoice(uow, sponsor, invoice_number(invoice_id), draft)
        detail = {"month": month.isoformat(), "total": draft.total, "lines": len(draft.lines)}
        uow.audit.record(at, actor, "invoice run", "invoice", str(invoice_id), detail)
        uow.commit()
        return invoice_id, True


def _draft(uow: UnitOfWork, contract: FeeContract, month: date, before: list[date]) -> Draft:
    subscribers = uow.invoices.subscribers(contract.sponsor)
    months_by_coverage: dict[Coverage, list[date]] = {}
    for m in (*before, month):
        months_by_coverage.setdefault(contract.terms_for(m).coverage, []).append(m)
    current: set[MemberMonth] = set()
    for coverage, months in months_by_coverage.items():
        spans = uow.invoices.spans(contract.sponsor, coverage)
        current |= enrolled_member_months(subscribers, spans, coverage, months)
    return draft_invoice(contract, month, current, uow.invoices.billed(contract.sponsor), before)


def _post_invoice(uow: UnitOfWork, sponsor: str, number: str, draft: Draft) -> None:
    on = draft.month
    events: list[Any] = []
    if draft.fees > 0:
        events.append(AdminFeeInvoiced(sponsor, on, number, draft.fees))
    elif draft.fees < 0:
        events.append(AdminFeeCredited(sponsor, on, number, -draft.fees))
    for carrier, amount in sorted(draft.carriers.items()):
        if amount > 0:
            events.append(StopLossPremiumInvoiced(sponsor, on, number, carrier, amount))
        elif amount < 0:
            events.append(StopLossPremiumCredited(sponsor, on, number, carrier, -amount))
    for event in events:
        uow.payments.post(sponsor, entries_for(event))


def record_payment(
    uow: UnitOfWork, invoice_id: int, amount: Cents, on: date, *, actor: str, at: datetime
) -> InvoiceView:
    """The sponsor paid `amount` on the invoice: stop-loss premium first (it is owed on to the
    carrier), then fees. More than is outstanding is refused."""
    if amount <= 0:
        raise InvoiceError("the amount paid must be positive")
    with uow:
        row = uow.invoices.get(invoice_id, lock=True)
        if row is None:
            raise InvoiceError(f"no invoice {invoice_id}")
        outstanding = row.fees + row.premiums - row.paid_fees - row.paid_premiums
        if amount > outstanding:
            raise InvoiceError(
                f"invoice {invoice_id} has {format_cents(max(outstanding, 0))} outstanding,"
                f" not {format_cents(amount)}"
            )
        premiums = min(amount, max(0, row.premiums - row.paid_premiums))
        fees = amount - premiums
        uow.invoices.add_payment(invoice_id, on, fees, premiums, at, actor)
        number, sponsor = invoice_number(invoice_id), row.sponsor_id
        if premiums:
            uow.payments.post(
                sponsor, entries_for(StopLossPremiumPaid(sponsor, on, number, premiums))
            )
        if fees:
            uow.payments.post(sponsor, entries_for(AdminFeePaid(sponsor, on, number, fees)))
        detail = {"amount": amount, "fees": fees, "premiums": premiums, "on": on.isoformat()}
        uow.audit.record(at, actor, "invoice paid", "invoice", str(invoice_id), detail)
        uow.commit()
    return show_invoice(uow, invoice_id)


def show_invoice(uow: UnitOfWork, invoice_id: int) -> InvoiceView:
    with uow:
        row = uow.invoices.get(invoice_id)
        if row is None:
            raise InvoiceError(f"no invoice {invoice_id}")
        payments = tuple(
            (p.received_on, p.fees + p.premiums) for p in uow.invoices.payments(invoice_id)
        )
        return InvoiceView(
            id=row.id,
            number=invoice_number(row.id),
            sponsor=row.sponsor_id,
            month=row.month,
            lines=tuple(uow.invoices.lines(invoice_id)),
            fees=row.fees,
            premiums=row.premiums,
            paid=row.paid_fees + row.paid_premiums,
            payments=payments,
        )
