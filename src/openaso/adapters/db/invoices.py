"""Fee contracts, invoices, their lines, the member-months they billed, and invoice payments."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from openaso.adapters.db.tables import (
    coverage_spans,
    fee_contracts,
    invoice_lines,
    invoice_member_months,
    invoice_payments,
    invoices,
    members,
)
from openaso.core.invoicing import InvoiceLine, MemberMonth
from openaso.core.members import Enrolment, TierCode
from openaso.core.plan import Coverage

INV, L, MM = invoices, invoice_lines, invoice_member_months


class SqlInvoices:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_contract(
        self, sponsor_id: str, effective: date, document: str, origin: str,
        policy_document: str | None, policy_origin: str | None, at: datetime, by: str,
    ) -> None:  # fmt: skip
        self.conn.execute(
            insert(fee_contracts).values(
                sponsor_id=sponsor_id,
                effective_from=effective,
                document=document,
                origin=origin,
                policy_document=policy_document,
                policy_origin=policy_origin,
                loaded_at=at,
                loaded_by=by,
            )
        )

    def contracts(self, sponsor_id: str) -> list[Any]:
        """The latest load of each effective date: (document, origin, policy_document,
        policy_origin), oldest effective date first."""
        latest = (
            select(func.max(fee_contracts.c.id))
            .where(fee_contracts.c.sponsor_id == sponsor_id)
            .group_by(fee_contracts.c.effective_from)
        )
        query = (
            select(fee_contracts)
            .where(fee_contracts.c.id.in_(latest))
            .order_by(fee_contracts.c.effective_from)
        )
        return list(self.conn.execute(query))

    def lock(self, sponsor_id: str) -> None:
        """Hold the sponsor's contract rows until the transaction ends: invoice runs of one
        sponsor wait for each other (PostgreSQL; SQLite has one writer at a time anyway)."""
        query = select(fee_contracts.c.id).where(fee_contracts.c.sponsor_id == sponsor_id)
        self.conn.execute(query.with_for_update()).all()

    def subscribers(self, sponsor_id: str) -> dict[str, TierCode]:
        query = select(members.c.id, members.c.tier).where(
            members.c.sponsor_id == sponsor_id, members.c.relationship == "subscriber"
        )
        return {row.id: row.tier for row in self.conn.execute(query)}

    def spans(self, sponsor_id: str, coverage: Coverage) -> list[Enrolment]:
        """The coverage spans of `coverage` of the sponsor's subscribers."""
        s = coverage_spans
        query = (
            select(s.c.member_id, s.c.start, s.c.end, s.c.tier)
            .join(members, members.c.id == s.c.member_id)
            .where(
                members.c.sponsor_id == sponsor_id,
                members.c.relationship == "subscriber",
                s.c.coverage == coverage,
            )
        )
        return [
            Enrolment(row.member_id, coverage, row.start, row.end, row.tier)
            for row in self.conn.execute(query)
        ]

    def of_month(self, sponsor_id: str, month: date) -> int | None:
        query = select(INV.c.id).where(INV.c.sponsor_id == sponsor_id, INV.c.month == month)
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else int(found)

    def months(self, sponsor_id: str) -> list[date]:
        query = select(INV.c.month).where(INV.c.sponsor_id == sponsor_id).order_by(INV.c.month)
        return list(self.conn.execute(query).scalars())

    def billed(
        self, sponsor_id: str, first: date | None = None, last: date | None = None
    ) -> dict[MemberMonth, int]:
        """Net member-months billed (non-zero only); `first`..`last` limit the invoice months."""
        query = (
            select(MM.c.member_id, MM.c.coverage_month, MM.c.tier, func.sum(MM.c.count))
            .join(INV, INV.c.id == MM.c.invoice_id)
            .where(INV.c.sponsor_id == sponsor_id)
            .group_by(MM.c.member_id, MM.c.coverage_month, MM.c.tier)
        )
        if first is not None:
            query = query.where(INV.c.month >= first)
        if last is not None:
            query = query.where(INV.c.month <= last)
        result = {}
        for member_id, month, tier, total in self.conn.execute(query):
            if total:
                result[MemberMonth(member_id, month, tier)] = int(total)
        return result

    def add(
        self, sponsor_id: str, month: date, fees: int, premiums: int, at: datetime, actor: str,
        lines: Sequence[InvoiceLine], member_months: Sequence[tuple[MemberMonth, int]],
    ) -> int:  # fmt: skip
        values = {
            "sponsor_id": sponsor_id,
            "month": month,
            "fees": fees,
            "premiums": premiums,
            "paid_fees": 0,
            "paid_premiums": 0,
            "created_at": at,
            "actor": actor,
        }
        invoice_id = int(
            self.conn.execute(insert(INV).values(values).returning(INV.c.id)).scalar_one()
        )
        if lines:
            self.conn.execute(
                insert(L),
                [
                    {
                        "invoice_id": invoice_id,
                        "number": number,
                        "component": line.component,
                        "coverage_month": line.month,
                        "tier": line.tier,
                        "member_id": line.member_id,
                        "quantity": line.quantity,
                        "rate": line.rate,
                        "amount": line.amount,
                    }
                    for number, line in enumerate(lines, start=1)
                ],
            )
        if member_months:
            self.conn.execute(
                insert(MM),
                [
                    {
                        "invoice_id": invoice_id,
                        "member_id": mm.member_id,
                        "coverage_month": mm.month,
                        "tier": mm.tier,
                        "count": count,
                    }
                    for mm, count in member_months
                ],
            )
        return invoice_id

    def get(self, invoice_id: int, lock: bool = False) -> Any:
        """The invoice row; `lock` holds it until the transaction ends (paying it)."""
        query = select(INV).where(INV.c.id == invoice_id)
        return self.conn.execute(query.with_for_update() if lock else query).one_or_none()

    def lines(self, invoice_id: int) -> list[InvoiceLine]:
        query = select(L).where(L.c.invoice_id == invoice_id).order_by(L.c.number)
        return [
            InvoiceLine(r.component, r.coverage_month, r.tier, r.quantity, r.rate, r.member_id)
            for r in self.conn.execute(query)
        ]

    def add_payment(
        self, invoice_id: int, on: date, fees: int, premiums: int, at: datetime, actor: str
    ) -> None:
        self.conn.execute(
            insert(invoice_payments).values(
                invoice_id=invoice_id,
                received_on=on,
                fees=fees,
                premiums=premiums,
                at=at,
                actor=actor,
            )
        )
        self.conn.execute(
            update(INV)
            .where(INV.c.id == invoice_id)
            .values(paid_fees=INV.c.paid_fees + fees, paid_premiums=INV.c.paid_premiums + premiums)
        )

    def payments(self, invoice_id: int) -> list[Any]:
        query = (
            select(invoice_payments)
            .where(invoice_payments.c.invoice_id == invoice_id)
            .order_by(invoice_payments.c.id)
        )
        return list(self.conn.execute(query))
