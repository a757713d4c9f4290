"""Reads for the examiner's workbench and the API: claim search, claim lines, families, runs."""

from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select

from openaso.adapters.db.tables import (
    claim_diagnoses,
    claim_lines,
    claims,
    line_decisions,
    members,
    payment_runs,
    sponsors,
)


class SqlWorkbench:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def search_claims(
        self,
        *,
        claim_id: str | None = None,
        member_id: str | None = None,
        status: str | None = None,
        received_from: date | None = None,
        received_to: date | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> tuple[list[dict[str, Any]], int]:
        """Claims matching every criterion given, newest first, with billed and plan-paid
        totals of the current decision; and how many match in all."""
        where = []
        if claim_id:
            where.append(claims.c.id == claim_id)
        if member_id:
            where.append(claims.c.member_id == member_id)
        if status:
            where.append(claims.c.status == status)
        if received_from:
            where.append(claims.c.received >= received_from)
        if received_to:
            where.append(claims.c.received <= received_to)
        count = select(func.count()).select_from(claims).where(*where)
        total = int(self.conn.execute(count).scalar_one())
        billed = (
            select(claim_lines.c.claim_seq, func.sum(claim_lines.c.billed).label("billed"))
            .group_by(claim_lines.c.claim_seq)
            .subquery()
        )
        paid = (
            select(
                line_decisions.c.claim_seq,
                line_decisions.c.decision_no,
                func.sum(line_decisions.c.plan_paid).label("plan_paid"),
            )
            .group_by(line_decisions.c.claim_seq, line_decisions.c.decision_no)
            .subquery()
        )
        query = (
            select(
                claims.c.id,
                claims.c.kind,
                claims.c.member_id,
                claims.c.received,
                claims.c.status,
                billed.c.billed,
                paid.c.plan_paid,
            )
            .outerjoin(billed, billed.c.claim_seq == claims.c.seq)
            .outerjoin(
                paid,
                and_(paid.c.claim_seq == claims.c.seq, paid.c.decision_no == claims.c.decision_no),
            )
            .where(*where)
            .order_by(claims.c.seq.desc())
            .limit(limit)
            .offset(offset)
        )
        rows = [
            {**r._mapping, "billed": int(r.billed or 0), "plan_paid": int(r.plan_paid or 0)}
            for r in self.conn.execute(query)
        ]
        return rows, total

    def claim_lines(self, claim_id: str) -> list[dict[str, Any]]:
        """The service lines as received: number, code, modifiers, service date, billed, units."""
        query = (
            select(claim_lines)
            .join(claims, claims.c.seq == claim_lines.c.claim_seq)
            .where(claims.c.id == claim_id)
            .order_by(claim_lines.c.number)
        )
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def diagnoses(self, claim_id: str) -> list[str]:
        query = (
            select(claim_diagnoses.c.code)
            .join(claims, claims.c.seq == claim_diagnoses.c.claim_seq)
            .where(claims.c.id == claim_id)
            .order_by(claim_diagnoses.c.position)
        )
        return list(self.conn.execute(query).scalars())

    def family(self, family_id: str) -> list[dict[str, Any]]:
        """The members of a family, subscriber first."""
        query = select(members).where(members.c.family_id == family_id).order_by(members.c.id)
        people = [dict(r._mapping) for r in self.conn.execute(query)]
        return sorted(people, key=lambda p: (p["relationship"] != "subscriber", p["id"]))

    def payment_runs(self, sponsor_id: str | None = None) -> list[dict[str, Any]]:
        """Payment runs, newest first: id, sponsor_id, run_date, created_at, actor, total."""
        query = select(payment_runs).order_by(payment_runs.c.id.desc())
        if sponsor_id is not None:
            query = query.where(payment_runs.c.sponsor_id == sponsor_id)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def sponsors(self) -> list[dict[str, Any]]:
        query = select(sponsors.c.id, sponsors.c.name).order_by(sponsors.c.id)
        return [dict(r._mapping) for r in self.conn.execute(query)]
