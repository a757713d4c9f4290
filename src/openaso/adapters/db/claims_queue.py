"""The settlement work queue: which families have claims to decide, locks, and decisions."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, or_, select, update

from openaso.adapters.db.claims_rows import (
    COMPACT_JSON,
    DECIDED,
    Decision,
    decision_rows,
    row_to_claim,
)
from openaso.adapters.db.membership import _chunks
from openaso.adapters.db.tables import claim_lines, claims, families, line_reviews
from openaso.core.claims import DuplicateKey, LineReview, ServiceLine
from openaso.core.work_queue import OPEN, QueuedClaim


class ClaimQueue:
    """The part of the claim repository that settlement uses."""

    conn: Connection

    def flag_family_after(self, family_id: str, position: int) -> None:
        """Mark the family's decided claims received after `position` to be decided again."""
        self.conn.execute(
            update(claims)
            .where(
                claims.c.family_id == family_id,
                claims.c.position > position,
                claims.c.status.in_(("approved", "denied", "pended")),
            )
            .values(reprocess=True)
        )

    def _needs_work(self) -> Any:
        return or_(
            claims.c.status == "received", and_(claims.c.reprocess, claims.c.status.in_(OPEN))
        )

    def count_with_work(self) -> int:
        """Claims a settlement would decide now (at least: it also re-decides later ones)."""
        query = select(func.count()).select_from(claims).where(self._needs_work())
        return int(self.conn.execute(query).scalar_one())

    def families_with_work(self, limit: int) -> list[str]:
        """Families with claims to decide, the longest-waiting first."""
        query = (
            select(claims.c.family_id)
            .where(self._needs_work())
            .group_by(claims.c.family_id)
            .order_by(func.min(claims.c.position))
            .limit(limit)
        )
        return list(self.conn.execute(query).scalars())

    def lock_families(self, family_ids: Sequence[str]) -> list[str]:
        """Lock these families for this transaction, waiting for a worker that holds one.

        SQLite has one writer at a time (the unit of work begins IMMEDIATE): all are held.
        """
        if self.conn.dialect.name == "postgresql":
            query = (
                select(families.c.id).where(families.c.id.in_(family_ids)).order_by(families.c.id)
            )
            self.conn.execute(query.with_for_update()).all()
        return list(family_ids)

    def take_families(self, limit: int) -> list[str]:
        """Up to `limit` families with work, locked; on PostgreSQL skipping those another
        worker holds (the job-queue pattern), so workers share the work without waiting."""
        if self.conn.dialect.name != "postgresql":
            return self.families_with_work(limit)
        waiting = select(claims.c.family_id).where(self._needs_work())
        query = (
            select(families.c.id)
            .where(families.c.id.in_(waiting))
            .order_by(families.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        while True:
            locked = list(self.conn.execute(query).scalars())
            if not locked:
                return []
            # The statement saw the claims as of its start: a worker that committed a family
            # after that released its lock to us with the work already done. Look again, now
            # that the lock is ours, and keep only the families that still have work.
            still = set(
                self.conn.execute(
                    select(claims.c.family_id)
                    .where(claims.c.family_id.in_(locked), self._needs_work())
                    .distinct()
                ).scalars()
            )
            if still:
                return [family for family in locked if family in still]

    def queue(self, family_ids: Sequence[str]) -> dict[str, list[QueuedClaim]]:
        """Each family's open claims from its first one needing work, with lines and reviews."""
        first = (
            select(claims.c.family_id, func.min(claims.c.position).label("first"))
            .where(claims.c.family_id.in_(family_ids), self._needs_work())
            .group_by(claims.c.family_id)
            .subquery()
        )
        rows = self.conn.execute(
            select(claims)
            .join(
                first,
                and_(first.c.family_id == claims.c.family_id, claims.c.position >= first.c.first),
            )
            .where(claims.c.status.in_(OPEN))
            .order_by(claims.c.position, claims.c.seq)
        ).all()
        seqs = [r.seq for r in rows if r.kind in ("medical", "dental")]
        lines: dict[int, list[ServiceLine]] = {}
        reviews: dict[int, list[LineReview]] = {}
        for chunk in _chunks(seqs):
            # Straight from the driver: the lines of a batch are its largest read.
            mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
            found = self.conn.exec_driver_sql(
                "SELECT claim_seq, number, code, modifiers, service_date, billed, units, repriced"
                f" FROM claim_lines WHERE claim_seq IN ({', '.join([mark] * len(chunk))})"
                " ORDER BY claim_seq, number",
                tuple(chunk),
            )
            for seq, number, code, modifiers, day, billed, units, repriced in found:
                lines.setdefault(seq, []).append(
                    ServiceLine(
                        number,
                        code,
                        day if isinstance(day, date) else date.fromisoformat(day),
                        billed,
                        tuple(m for m in modifiers.split(":") if m),
                        units,
                        repriced,
                    )
                )
            for r in self.conn.execute(
                select(line_reviews).where(line_reviews.c.claim_seq.in_(chunk))
            ):
                reviews.setdefault(r.claim_seq, []).append(
                    LineReview(
                        r.number, r.action, r.reason, r.examiner, r.allowed, r.group_code, r.carc
                    )
                )
        queued: dict[str, list[QueuedClaim]] = {}
        for r in rows:
            claim = row_to_claim(r, lines.get(r.seq, []), reviews.get(r.seq, []))
            needs = r.status == "received" or bool(r.reprocess)
            queued.setdefault(r.family_id, []).append(
                QueuedClaim(r.seq, r.position, r.status, needs, claim)
            )
        return queued

    def prior_lines(
        self, member_ids: Iterable[str], before: Mapping[str, tuple[int, int]]
    ) -> dict[str, set[DuplicateKey]]:
        """Lines of each member's decided claims received before `before[member]`."""
        found: dict[str, set[DuplicateKey]] = {}
        for chunk in _chunks(list(set(member_ids))):
            query = (
                select(
                    claims.c.member_id,
                    claims.c.provider,
                    claims.c.position,
                    claims.c.seq,
                    claim_lines.c.code,
                    claim_lines.c.modifiers,
                    claim_lines.c.service_date,
                    claim_lines.c.billed,
                )
                .join(claim_lines, claim_lines.c.claim_seq == claims.c.seq)
                .where(claims.c.member_id.in_(chunk), claims.c.status.in_(DECIDED))
            )
            for r in self.conn.execute(query):
                if (r.position, r.seq) < before.get(r.member_id, (1 << 62, 0)):
                    key = (
                        r.member_id,
                        r.provider,
                        r.code,
                        tuple(sorted(m for m in r.modifiers.split(":") if m)),
                        r.service_date,
                        r.billed,
                    )
                    found.setdefault(r.member_id, set()).add(key)
        return found

    def record(self, decisions: Sequence[tuple[int, Decision]]) -> None:
        """Store a new decision for each claim (earlier ones are kept) and its status."""
        if not decisions:
            return
        current: dict[int, int] = {}
        for chunk in _chunks([seq for seq, _ in decisions]):
            query = select(claims.c.seq, claims.c.decision_no).where(claims.c.seq.in_(chunk))
            current.update({r.seq: r.decision_no for r in self.conn.execute(query)})
        rows: list[tuple[Any, ...]] = []
        updates: list[tuple[Any, ...]] = []
        dumps = COMPACT_JSON.encode
        for seq, decision in decisions:
            number = current[seq] + 1
            updates.append((decision.status, number, seq))
            rows += [
                (seq, number, *line[:4], dumps(line[4]), dumps(line[5]), line[6], dumps(line[7]))
                for line in decision_rows(decision)
            ]
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        # The hottest writes of the system go straight to the driver: many rows, one statement.
        self.conn.exec_driver_sql(
            f"UPDATE claims SET status = {mark}, decision_no = {mark}, reprocess = FALSE"
            f" WHERE seq = {mark}",
            updates,
        )
        self.conn.exec_driver_sql(
            "INSERT INTO line_decisions (claim_seq, decision_no, number, status, allowed,"
            " plan_paid, adjustments, remarks, benefit, trace)"
            f" VALUES ({', '.join([mark] * 10)})",
            rows,
        )

    def flag_for_reprocessing(self, member_id: str, after: date) -> list[str]:
        """Mark the member's decided claims with service after `after` (a retroactive change)."""
        seqs = [
            seq
            for (seq,) in self.conn.execute(
                select(claims.c.seq)
                .join(claim_lines, claim_lines.c.claim_seq == claims.c.seq)
                .where(
                    claims.c.member_id == member_id,
                    claims.c.status.in_(("approved", "denied", "pended", "paid")),
                    claim_lines.c.service_date > after,
                )
                .distinct()
            )
        ]
        seqs += [
            seq
            for seq, detail in self.conn.execute(
                select(claims.c.seq, claims.c.detail).where(
                    claims.c.member_id == member_id,
                    claims.c.kind.in_(("rx", "std")),
                    claims.c.status.in_(("approved", "denied", "pended", "paid")),
                    claims.c.received > after,
                )
            )
        ]
        if not seqs:
            return []
        self.conn.execute(update(claims).where(claims.c.seq.in_(seqs)).values(reprocess=True))
        return list(self.conn.execute(select(claims.c.id).where(claims.c.seq.in_(seqs))).scalars())
