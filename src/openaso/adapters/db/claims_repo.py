"""Claims on file: intake, reads for people (lines, header, pend queue), examiner reviews."""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, func, insert, select, text, update

from openaso.adapters.db.claims_queue import ClaimQueue
from openaso.adapters.db.claims_rows import LineRow, Received, header_row, row_to_claim
from openaso.adapters.db.membership import _chunks
from openaso.adapters.db.tables import claim_lines, claims, line_decisions, line_reviews
from openaso.core.claims import Claim, ClaimHeader, LineReview, ServiceLine


class SqlClaims(ClaimQueue):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, claim: Received, family_id: str | None, replaces: int | None = None) -> int:
        """Store a received claim; a replacement takes the position of the claim it replaces."""
        values = header_row(claim, family_id)
        if replaces is not None:
            values["position"] = self.conn.execute(
                select(claims.c.position).where(claims.c.seq == replaces)
            ).scalar_one()
            values["replaces"] = self.conn.execute(
                select(claims.c.id).where(claims.c.seq == replaces)
            ).scalar_one()
        seq = int(
            self.conn.execute(insert(claims).values(values).returning(claims.c.seq)).scalar_one()
        )
        if replaces is None:
            self.conn.execute(update(claims).where(claims.c.seq == seq).values(position=seq))
        if isinstance(claim, Claim):
            self.conn.execute(
                insert(claim_lines),
                [
                    {
                        "claim_seq": seq,
                        "number": line.number,
                        "code": line.code,
                        "modifiers": ":".join(line.modifiers),
                        "service_date": line.service_date,
                        "billed": line.billed,
                        "units": line.units,
                        "repriced": line.repriced,
                    }
                    for line in claim.lines
                ],
            )
        return seq

    def get(self, seq: int) -> Received:
        row = self.conn.execute(select(claims).where(claims.c.seq == seq)).one()
        lines = [
            ServiceLine(
                r.number,
                r.code,
                r.service_date,
                r.billed,
                tuple(m for m in r.modifiers.split(":") if m),
                r.units,
                r.repriced,
            )
            for r in self.conn.execute(
                select(claim_lines)
                .where(claim_lines.c.claim_seq == seq)
                .order_by(claim_lines.c.number)
            )
        ]
        reviews = [
            LineReview(r.number, r.action, r.reason, r.examiner, r.allowed, r.group_code, r.carc)
            for r in self.conn.execute(select(line_reviews).where(line_reviews.c.claim_seq == seq))
        ]
        return row_to_claim(row, lines, reviews)

    def add_many(self, received: Sequence[tuple[Received, str]]) -> list[int]:
        """Store many new claims (claim, family) at once, in order; returns their seqs."""
        if not received:
            return []
        seqs = self._allocate(len(received))
        dumps = json.dumps
        headers = []
        lines = []
        for seq, (claim, family) in zip(seqs, received, strict=True):
            row = header_row(claim, family)
            detail = None if row["detail"] is None else dumps(row["detail"])
            headers.append(
                (
                    seq,
                    row["id"],
                    row["kind"],
                    row["member_id"],
                    family,
                    row["received"],
                    seq,
                    row["network"],
                    row["provider"],
                    detail,
                )
            )
            if isinstance(claim, Claim):
                lines += [
                    (
                        seq,
                        line.number,
                        line.code,
                        ":".join(line.modifiers),
                        line.service_date,
                        line.billed,
                        line.repriced,
                        line.units,
                    )
                    for line in claim.lines
                ]
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        self.conn.exec_driver_sql(
            "INSERT INTO claims (seq, id, kind, member_id, family_id, received, position, network,"
            " provider, detail, status, decision_no, reprocess)"
            f" VALUES ({', '.join([mark] * 10)}, 'received', 0, FALSE)",
            headers,
        )
        if lines:
            self.conn.exec_driver_sql(
                "INSERT INTO claim_lines (claim_seq, number, code, modifiers, service_date, billed,"
                " repriced, units)"
                f" VALUES ({', '.join([mark] * 8)})",
                lines,
            )
        return seqs

    def _allocate(self, count: int) -> list[int]:
        """Sequence numbers for `count` new claims, in order."""
        if self.conn.dialect.name == "postgresql":
            query = text(
                "SELECT nextval(pg_get_serial_sequence('claims', 'seq'))"
                " FROM generate_series(1, :n)"
            )
            return sorted(int(v) for v in self.conn.execute(query, {"n": count}).scalars())
        # SQLite: the unit of work holds the write lock (BEGIN IMMEDIATE), so MAX is ours.
        top = self.conn.execute(select(func.coalesce(func.max(claims.c.seq), 0))).scalar_one()
        return list(range(int(top) + 1, int(top) + 1 + count))

    def existing_ids(self, claim_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(list(claim_ids)):
            found.update(
                self.conn.execute(select(claims.c.id).where(claims.c.id.in_(chunk))).scalars()
            )
        return found

    def seq_of(self, claim_id: str) -> int | None:
        return self.conn.execute(select(claims.c.seq).where(claims.c.id == claim_id)).scalar()

    def status_of(self, claim_id: str) -> str | None:
        return self.conn.execute(select(claims.c.status).where(claims.c.id == claim_id)).scalar()

    def set_status(self, seq: int, status: str) -> None:
        self.conn.execute(
            update(claims).where(claims.c.seq == seq).values(status=status, reprocess=False)
        )

    def add_review(self, seq: int, review: LineReview) -> None:
        self.conn.execute(
            line_reviews.delete().where(
                line_reviews.c.claim_seq == seq, line_reviews.c.number == review.line_number
            )
        )
        self.conn.execute(
            insert(line_reviews).values(
                claim_seq=seq,
                number=review.line_number,
                action=review.action,
                allowed=review.allowed,
                group_code=review.group,
                carc=review.carc,
                reason=review.reason,
                examiner=review.examiner,
            )
        )
        self.conn.execute(update(claims).where(claims.c.seq == seq).values(reprocess=True))

    def lines(self, claim_id: str) -> list[LineRow]:
        query = (
            select(line_decisions)
            .join(
                claims,
                and_(
                    claims.c.seq == line_decisions.c.claim_seq,
                    claims.c.decision_no == line_decisions.c.decision_no,
                ),
            )
            .where(claims.c.id == claim_id)
            .order_by(line_decisions.c.number)
        )
        return [
            LineRow(
                r.number,
                r.status,
                r.allowed,
                r.plan_paid,
                [(g, c, a) for g, c, a in r.adjustments],
                list(r.remarks),
                r.benefit,
                r.trace,
            )
            for r in self.conn.execute(query)
        ]

    def header(self, claim_id: str) -> ClaimHeader | None:
        row = self.conn.execute(select(claims).where(claims.c.id == claim_id)).first()
        if row is None:
            return None
        return ClaimHeader(
            row.seq,
            row.id,
            row.kind,
            row.member_id,
            row.family_id,
            row.status,
            row.position,
            row.received,
            row.decision_no,
            row.replaces,
        )

    def pend_queue(self) -> list[dict[str, Any]]:
        """Pended claims, oldest first, with the reason each line waits."""
        query = (
            select(
                claims.c.id,
                claims.c.member_id,
                claims.c.received,
                line_decisions.c.number,
                line_decisions.c.trace,
            )
            .join(
                line_decisions,
                and_(
                    claims.c.seq == line_decisions.c.claim_seq,
                    claims.c.decision_no == line_decisions.c.decision_no,
                ),
            )
            .where(claims.c.status == "pended")
            .order_by(claims.c.position, line_decisions.c.number)
        )
        return [
            {
                "claim": r.id,
                "member": r.member_id,
                "received": r.received,
                "line": r.number,
                "reason": r.trace[-1][1] if r.trace else "",
            }
            for r in self.conn.execute(query)
        ]
