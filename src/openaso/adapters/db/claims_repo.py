"""Claims on file: intake, reads for people (lines, header, pend queue), examiner reviews."""

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, text, update

from openaso.adapters.db.claims_queue import ClaimQueue
from openaso.adapters.db.claims_rows import LineRow, Received, header_row, row_to_claim
from openaso.adapters.db.membership import _chunks
from openaso.adapters.db.tables import (
    accumulator_entries,
    claim_diagnoses,
    claim_lines,
    claims,
    line_decisions,
    line_reviews,
    members,
    providers,
)
from openaso.core.accumulators import AccumulatorKey
from openaso.core.claims import Claim, ClaimHeader, ClaimOrigin, LineReview, ServiceLine


class SqlClaims(ClaimQueue):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self,
        claim: Received,
        family_id: str | None,
        replaces: int | None = None,
        origin: ClaimOrigin | None = None,
    ) -> int:
        """Store a received claim; a replacement takes the position of the claim it replaces."""
        values = header_row(claim, family_id)
        if origin is not None:
            values.update(source_file=origin.source_file, patient_control=origin.patient_control)
            if origin.billing:
                values["detail"] = {"billing": dict(origin.billing)}
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
        if origin is not None:
            self._add_origins([seq], [origin])
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

    def add_many(
        self,
        received: Sequence[tuple[Received, str]],
        origins: Sequence[ClaimOrigin] | None = None,
    ) -> list[int]:
        """Store many new claims (claim, family) at once, in order; returns their seqs.

        `origins`, one per claim when given, says where each came from (see ClaimOrigin).
        """
        if not received:
            return []
        seqs = self._allocate(len(received))
        dumps = json.dumps
        headers: list[tuple[Any, ...]] = []
        lines = []
        for seq, (claim, family) in zip(seqs, received, strict=True):
            row = header_row(claim, family)
            detail = None if row["detail"] is None else dumps(row["detail"])
            source = control = None
            if origins is not None:
                origin = origins[len(headers)]
                source, control = origin.source_file, origin.patient_control
                if origin.billing:
                    detail = dumps({"billing": dict(origin.billing)})
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
                    source,
                    control,
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
            " provider, detail, source_file, patient_control, status, decision_no, reprocess)"
            f" VALUES ({', '.join([mark] * 12)}, 'received', 0, FALSE)",
            headers,
        )
        if lines:
            self.conn.exec_driver_sql(
                "INSERT INTO claim_lines (claim_seq, number, code, modifiers, service_date, billed,"
                " repriced, units)"
                f" VALUES ({', '.join([mark] * 8)})",
                lines,
            )
        if origins is not None:
            self._add_origins(seqs, origins)
        return seqs

    def _add_origins(self, seqs: Sequence[int], origins: Sequence[ClaimOrigin]) -> None:
        diagnoses = [
            {"claim_seq": seq, "position": position, "code": code}
            for seq, o in zip(seqs, origins, strict=True)
            for position, code in enumerate(o.diagnoses, start=1)
        ]
        if diagnoses:
            self.conn.execute(insert(claim_diagnoses), diagnoses)

    def origin(self, seq: int) -> ClaimOrigin:
        row = self.conn.execute(
            select(claims.c.source_file, claims.c.patient_control, claims.c.detail).where(
                claims.c.seq == seq
            )
        ).one()
        codes = self.conn.execute(
            select(claim_diagnoses.c.code)
            .where(claim_diagnoses.c.claim_seq == seq)
            .order_by(claim_diagnoses.c.position)
        ).scalars()
        billing = (row.detail or {}).get("billing", {}) if row.source_file else {}
        return ClaimOrigin(
            row.source_file, row.patient_control, tuple(codes), tuple(billing.items())
        )

    def discard(self, seqs: Sequence[int]) -> None:
        """Remove claims stored earlier in this transaction (their set's interchange turned
        out to be rejected): nothing may have been decided or posted for them."""
        for chunk in _chunks(list(seqs)):
            for table in (claim_diagnoses, claim_lines):
                self.conn.execute(delete(table).where(table.c.claim_seq.in_(chunk)))
            self.conn.execute(delete(claims).where(claims.c.seq.in_(chunk)))

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

    def payees(self, seqs: Sequence[int]) -> dict[int, str]:
        """Whom each claim's benefits go to: the billing provider an 837 named (loop 2010AA),
        else the provider on file, else "unknown" — one query per chunk, for payment runs."""
        found: dict[int, str] = {}
        for chunk in _chunks(list(seqs)):
            query = select(claims.c.seq, claims.c.source_file, claims.c.detail, claims.c.provider)
            for row in self.conn.execute(query.where(claims.c.seq.in_(chunk))):
                billing = (row.detail or {}).get("billing", {}) if row.source_file else {}
                found[row.seq] = billing.get("npi") or row.provider or "unknown"
        return found

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

    # Reads for the member's explanation of benefits (services/eob.py).

    def family_of_claim(self, claim_id: str) -> list[dict[str, Any]]:
        """The patient and the rest of the claim's family as on file, subscriber first:
        id, relationship, first_name, last_name."""
        head = self.conn.execute(
            select(claims.c.member_id, claims.c.family_id).where(claims.c.id == claim_id)
        ).first()
        if head is None:
            return []
        query = select(
            members.c.id, members.c.relationship, members.c.first_name, members.c.last_name
        ).where(or_(members.c.id == head.member_id, members.c.family_id == head.family_id))
        people = [dict(r._mapping) for r in self.conn.execute(query)]
        return sorted(people, key=lambda p: (p["relationship"] != "subscriber", p["id"]))

    def provider_of_claim(self, claim_id: str) -> dict[str, Any] | None:
        """The claim's provider as on file (npi, name, network); None when it is not."""
        query = select(providers.c.npi, providers.c.name, providers.c.network).join(
            claims, claims.c.provider == providers.c.npi
        )
        row = self.conn.execute(query.where(claims.c.id == claim_id)).first()
        return None if row is None else dict(row._mapping)

    def standing_after(self, claim_id: str) -> dict[AccumulatorKey, int]:
        """The accumulators of the claim's member and family as they stood right after it:
        opening balances plus the entries of claims up to and including it in received order.

        Entries of a claim net to its current decision (a re-decision reverses the earlier
        one), so later claims, voided ones and superseded decisions drop out.
        """
        head = self.conn.execute(
            select(claims.c.seq, claims.c.position, claims.c.member_id, claims.c.family_id).where(
                claims.c.id == claim_id
            )
        ).first()
        if head is None:
            return {}
        entry, earlier = accumulator_entries, claims.alias("earlier")
        holders = [and_(entry.c.holder_kind == "member", entry.c.holder_id == head.member_id)]
        if head.family_id is not None:
            holders.append(
                and_(entry.c.holder_kind == "family", entry.c.holder_id == head.family_id)
            )
        key = (entry.c.holder_kind, entry.c.holder_id, entry.c.plan_id, entry.c.name)
        query = (
            select(*key, func.sum(entry.c.amount))
            .select_from(entry.outerjoin(earlier, earlier.c.seq == entry.c.claim_seq))
            .where(
                or_(*holders),
                or_(
                    entry.c.claim_seq.is_(None),
                    earlier.c.position < head.position,
                    and_(earlier.c.position == head.position, earlier.c.seq <= head.seq),
                ),
            )
            .group_by(*key)
        )
        return {(k, h, p, n): int(total) for k, h, p, n, total in self.conn.execute(query)}

    def replacement_of(self, claim_id: str) -> str | None:
        """The id of the claim that replaced this one (an adjustment), if any."""
        query = select(claims.c.id).where(claims.c.replaces == claim_id).order_by(claims.c.seq)
        return self.conn.execute(query).scalars().first()
