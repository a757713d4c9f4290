"""Payment runs, payments, what each paid on each claim, recoveries, funding, and the ledger."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, and_, func, insert, literal, select, update

from openaso.adapters.db.tables import (
    claim_payments,
    claims,
    funding_requests,
    ledger_entries,
    ledger_postings,
    line_decisions,
    members,
    payment_runs,
    payments,
    recoveries,
    sponsors,
)
from openaso.core.ledger import Account, AccountKind, Entry, Posting
from openaso.core.money import Cents

SETTLED = ("approved", "denied", "voided", "replaced")  # what a payment run acts on


class Due(NamedTuple):
    seq: int
    id: str
    status: str
    decision_no: int
    owed: Cents  # what the current decision pays (0 unless approved)
    paid: Cents  # what runs paid on the claim so far
    reported: int  # how many claim payment rows it has


class SqlPayments:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def due(self, sponsor_id: str) -> list[Any]:
        """The sponsor's decided claims whose current decision owes other than what was paid,
        and denials not yet reported: (seq, id, status, decision_no, owed, paid, reported)."""
        owed = (
            select(
                line_decisions.c.claim_seq,
                line_decisions.c.decision_no,
                func.sum(line_decisions.c.plan_paid).label("owed"),
            )
            .group_by(line_decisions.c.claim_seq, line_decisions.c.decision_no)
            .subquery()
        )
        paid = (
            select(
                claim_payments.c.claim_seq,
                func.sum(claim_payments.c.amount).label("paid"),
                func.count().label("rows"),
            )
            .group_by(claim_payments.c.claim_seq)
            .subquery()
        )
        query = (
            select(
                claims.c.seq,
                claims.c.id,
                claims.c.status,
                claims.c.decision_no,
                func.coalesce(owed.c.owed, 0).label("owed"),
                func.coalesce(paid.c.paid, 0).label("paid"),
                func.coalesce(paid.c.rows, 0).label("reported"),
            )
            .join(members, members.c.id == claims.c.member_id)
            .outerjoin(
                owed,
                and_(owed.c.claim_seq == claims.c.seq, owed.c.decision_no == claims.c.decision_no),
            )
            .outerjoin(paid, paid.c.claim_seq == claims.c.seq)
            .where(members.c.sponsor_id == sponsor_id, claims.c.status.in_(SETTLED))
            .order_by(claims.c.position, claims.c.seq)
        )
        rows = []
        for row in self.conn.execute(query):
            # PostgreSQL sums a bigint into a numeric: back to int cents.
            owes = int(row.owed) if row.status == "approved" else 0
            row_paid = int(row.paid)
            decided = row.status in ("approved", "denied")
            if owes != row_paid or (decided and not row.reported):
                rows.append(Due(row.seq, row.id, row.status, row.decision_no, owes, row_paid,
                                int(row.reported)))  # fmt: skip
        return rows

    def add_run(self, sponsor_id: str, run_date: date, at: datetime, actor: str) -> int:
        values = {
            "sponsor_id": sponsor_id,
            "run_date": run_date,
            "created_at": at,
            "actor": actor,
            "total": 0,
        }
        query = insert(payment_runs).values(values).returning(payment_runs.c.id)
        return int(self.conn.execute(query).scalar_one())

    def set_run_total(self, run_id: int, total: Cents) -> None:
        query = update(payment_runs).where(payment_runs.c.id == run_id).values(total=total)
        self.conn.execute(query)

    def add_payment(
        self,
        run_id: int,
        payee: str,
        method: str,
        amount: Cents,
        netted: Sequence[tuple[str, Cents]],
    ) -> tuple[int, str]:
        """A held payment; returns (id, number): the number is the cheque or EFT trace."""
        values = {
            "run_id": run_id,
            "payee": payee,
            "method": method,
            "number": f"pending-{run_id}-{payee}",
            "amount": amount,
            "recovered": sum(amount for _, amount in netted),
            "netted": [list(pair) for pair in netted],
            "status": "held",
        }
        payment_id = int(
            self.conn.execute(insert(payments).values(values).returning(payments.c.id)).scalar_one()
        )
        number = f"{payment_id:08d}"
        query = update(payments).where(payments.c.id == payment_id).values(number=number)
        self.conn.execute(query)
        return payment_id, number

    def add_claim_payments(self, rows: Sequence[tuple[int, int, int, Cents]]) -> None:
        """(payment id, claim seq, decision no, amount) rows."""
        if rows:
            keys = ("payment_id", "claim_seq", "decision_no", "amount")
            self.conn.execute(
                insert(claim_payments), [dict(zip(keys, r, strict=True)) for r in rows]
            )

    def open_recoveries(self, sponsor_id: str, payee: str) -> list[tuple[str, Cents]]:
        query = (
            select(recoveries.c.id, recoveries.c.open)
            .where(
                recoveries.c.sponsor_id == sponsor_id,
                recoveries.c.payee == payee,
                recoveries.c.open > 0,
            )
            .order_by(recoveries.c.id)
        )
        return [(row.id, row.open) for row in self.conn.execute(query)]

    def add_recovery(
        self, recovery_id: str, sponsor_id: str, payee: str, claim_seq: int, amount: Cents
    ) -> None:
        values = {
            "id": recovery_id,
            "sponsor_id": sponsor_id,
            "payee": payee,
            "claim_seq": claim_seq,
            "amount": amount,
            "open": amount,
        }
        self.conn.execute(insert(recoveries).values(values))

    def net_recovery(self, recovery_id: str, amount: Cents) -> None:
        query = update(recoveries).where(recoveries.c.id == recovery_id)
        self.conn.execute(query.values(open=recoveries.c.open - amount))

    def recovery_claims(self, recovery_ids: Sequence[str]) -> dict[str, str]:
        """Recovery id → the payer claim number it recovers."""
        query = (
            select(recoveries.c.id, claims.c.id.label("claim_id"))
            .join(claims, claims.c.seq == recoveries.c.claim_seq)
            .where(recoveries.c.id.in_(list(recovery_ids)))
        )
        return {row.id: row.claim_id for row in self.conn.execute(query)}

    def add_funding_request(
        self, request_id: str, sponsor_id: str, run_id: int, on: date, amount: Cents
    ) -> None:
        values = {
            "id": request_id,
            "sponsor_id": sponsor_id,
            "run_id": run_id,
            "requested_on": on,
            "amount": amount,
            "received": 0,
        }
        self.conn.execute(insert(funding_requests).values(values))

    def funding_request(self, request_id: str) -> Any:
        query = select(funding_requests).where(funding_requests.c.id == request_id)
        return self.conn.execute(query).first()

    def receive_funding(self, request_id: str, amount: Cents) -> None:
        query = update(funding_requests).where(funding_requests.c.id == request_id)
        self.conn.execute(query.values(received=funding_requests.c.received + amount))

    def funding_of(self, sponsor_id: str) -> list[Any]:
        query = (
            select(funding_requests)
            .where(funding_requests.c.sponsor_id == sponsor_id)
            .order_by(funding_requests.c.requested_on, funding_requests.c.id)
        )
        return list(self.conn.execute(query))

    def held(self, sponsor_id: str) -> list[Any]:
        """The sponsor's payments waiting for funds, oldest first."""
        query = (
            select(payments)
            .join(payment_runs, payment_runs.c.id == payments.c.run_id)
            .where(payment_runs.c.sponsor_id == sponsor_id, payments.c.status == "held")
            .order_by(payments.c.id)
        )
        return list(self.conn.execute(query))

    def release(self, payment_id: int, on: date) -> None:
        query = update(payments).where(payments.c.id == payment_id)
        self.conn.execute(query.values(status="released", released_on=on))

    def run(self, run_id: int) -> Any:
        return self.conn.execute(select(payment_runs).where(payment_runs.c.id == run_id)).first()

    def payments_of(self, run_id: int) -> list[Any]:
        query = select(payments).where(payments.c.run_id == run_id).order_by(payments.c.id)
        return list(self.conn.execute(query))

    def claims_of(self, payment_id: int) -> list[Any]:
        """(claim seq, decision no, amount) paid by a payment, in the claims' order."""
        query = (
            select(
                claim_payments.c.claim_seq, claim_payments.c.decision_no, claim_payments.c.amount
            )
            .join(claims, claims.c.seq == claim_payments.c.claim_seq)
            .where(claim_payments.c.payment_id == payment_id)
            .order_by(claims.c.position, claims.c.seq)
        )
        return list(self.conn.execute(query))

    def claims_float(self, sponsor_id: str) -> Cents:
        query = select(sponsors.c.claims_float).where(sponsors.c.id == sponsor_id)
        return int(self.conn.execute(query).scalar() or 0)

    def set_claims_float(self, sponsor_id: str, amount: Cents) -> bool:
        query = update(sponsors).where(sponsors.c.id == sponsor_id).values(claims_float=amount)
        return bool(self.conn.execute(query).rowcount)

    # The ledger

    def post(self, sponsor_id: str, entry: Entry, run_id: int | None = None) -> None:
        self.post_many(sponsor_id, [entry], run_id)

    def post_many(self, sponsor_id: str, entries: Sequence[Entry], run_id: int | None) -> None:
        """Entries in one statement each for headers and postings: a run posts one per claim."""
        if not entries:
            return
        headers = [
            {"sponsor_id": sponsor_id, "on": e.on, "memo": e.memo, "run_id": run_id}
            for e in entries
        ]
        query = insert(ledger_entries).returning(ledger_entries.c.id, sort_by_parameter_order=True)
        ids = self.conn.execute(query, headers).scalars().all()
        self.conn.execute(
            insert(ledger_postings),
            [
                {
                    "entry_id": entry_id,
                    "number": number,
                    "account": str(posting.account.kind),
                    "party": posting.account.party,
                    "amount": posting.amount,
                }
                for entry_id, entry in zip(ids, entries, strict=True)
                for number, posting in enumerate(entry.postings, start=1)
            ],
        )

    def balance(self, account: Account) -> Cents:
        query = (
            select(func.coalesce(func.sum(ledger_postings.c.amount), literal(0)))
            .join(ledger_entries, ledger_entries.c.id == ledger_postings.c.entry_id)
            .where(
                ledger_entries.c.sponsor_id == account.sponsor,
                ledger_postings.c.account == str(account.kind),
                ledger_postings.c.party == account.party,
            )
        )
        return int(self.conn.execute(query).scalar_one())

    def entries(self, sponsor_id: str) -> list[Entry]:
        """Every entry of the sponsor's books, in order (for checks and reports)."""
        query = (
            select(ledger_entries, ledger_postings)
            .join(ledger_postings, ledger_postings.c.entry_id == ledger_entries.c.id)
            .where(ledger_entries.c.sponsor_id == sponsor_id)
            .order_by(ledger_entries.c.id, ledger_postings.c.number)
        )
        grouped: dict[int, tuple[date, str, list[Posting]]] = {}
        for row in self.conn.execute(query):
            account = Account(AccountKind(row.account), sponsor_id, row.party)
            grouped.setdefault(row.entry_id, (row.on, row.memo, []))[2].append(
                Posting(account, row.amount)
            )
        return [Entry(on, memo, tuple(p)) for on, memo, p in grouped.values()]
