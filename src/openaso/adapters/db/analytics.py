"""Read stored paid claims and coverage for analytics, as plain rows (one query each)."""

from datetime import date

from sqlalchemy import Connection, and_, func, select

from openaso.adapters.db.tables import (
    claim_lines,
    claim_payments,
    claims,
    coverage_spans,
    line_decisions,
    members,
    payment_runs,
    payments,
)

PaymentRow = tuple[str, date, date, int]
LineRow = tuple[str, str, str, date, str, int]
CoverageRow = tuple[str, date, date | None, str, bool]


class SqlAnalytics:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def payments(self, sponsor_id: str) -> list[PaymentRow]:
        """(member id, first service date of the claim, date paid, cents) of every released
        payment on a claim; a take-back on an adjusted claim is negative. Held payments are not
        yet paid."""
        first = (
            select(claim_lines.c.claim_seq, func.min(claim_lines.c.service_date).label("incurred"))
            .group_by(claim_lines.c.claim_seq)
            .subquery()
        )
        query = (
            select(
                claims.c.member_id,
                first.c.incurred,
                payments.c.released_on,
                claim_payments.c.amount,
            )
            .join(payments, payments.c.id == claim_payments.c.payment_id)
            .join(payment_runs, payment_runs.c.id == payments.c.run_id)
            .join(first, first.c.claim_seq == claim_payments.c.claim_seq)
            .join(claims, claims.c.seq == claim_payments.c.claim_seq)
            .where(
                payment_runs.c.sponsor_id == sponsor_id,
                payments.c.status == "released",
                claim_payments.c.amount != 0,
            )
        )
        return [(r[0], r[1], r[2], int(r[3])) for r in self.conn.execute(query)]

    def paid_lines(self, sponsor_id: str) -> list[LineRow]:
        """(member id, claim kind, code, service date, member tier, plan paid) of every line of
        the current decision of the sponsor's claims, once a released payment was made on that
        decision (the claim is paid)."""
        query = (
            select(
                claims.c.member_id,
                claims.c.kind,
                claim_lines.c.code,
                claim_lines.c.service_date,
                members.c.tier,
                line_decisions.c.plan_paid,
            )
            .join(members, members.c.id == claims.c.member_id)
            .join(claim_lines, claim_lines.c.claim_seq == claims.c.seq)
            .join(
                line_decisions,
                and_(
                    line_decisions.c.claim_seq == claims.c.seq,
                    line_decisions.c.decision_no == claims.c.decision_no,
                    line_decisions.c.number == claim_lines.c.number,
                ),
            )
            .where(
                members.c.sponsor_id == sponsor_id,
                claims.c.status.in_(("approved", "paid")),
                select(claim_payments.c.id)
                .join(payments, payments.c.id == claim_payments.c.payment_id)
                .where(
                    claim_payments.c.claim_seq == claims.c.seq,
                    claim_payments.c.decision_no == claims.c.decision_no,
                    payments.c.status == "released",
                )
                .exists(),
            )
        )
        return [(r[0], r[1], r[2], r[3], r[4], int(r[5])) for r in self.conn.execute(query)]

    def coverage(self, sponsor_id: str, coverage: str) -> list[CoverageRow]:
        """(member id, start, end, tier, is the employee) of the sponsor's spans of one kind."""
        query = (
            select(
                coverage_spans.c.member_id,
                coverage_spans.c.start,
                coverage_spans.c.end,
                func.coalesce(coverage_spans.c.tier, members.c.tier),
                members.c.relationship,
            )
            .join(members, members.c.id == coverage_spans.c.member_id)
            .where(members.c.sponsor_id == sponsor_id, coverage_spans.c.coverage == coverage)
        )
        return [(r[0], r[1], r[2], r[3], r[4] == "subscriber") for r in self.conn.execute(query)]
