"""Accumulator entries (append-only) and the audit log of who changed what."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, literal_column, select

from openaso.adapters.db.membership import _chunks
from openaso.adapters.db.tables import accumulator_entries, audit_log
from openaso.core.accumulators import AccumulatorKey, Posting
from openaso.core.members import Member

E = accumulator_entries


class SqlAccumulators:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def balances(self, members: Iterable[Member]) -> dict[AccumulatorKey, int]:
        """Every accumulator of these members and of their families."""
        people = list(members)
        result: dict[AccumulatorKey, int] = {}
        for kind, ids in (
            ("member", {m.id for m in people}),
            ("family", {m.family_id for m in people}),
        ):
            for chunk in _chunks(sorted(ids)):
                query = (
                    select(
                        E.c.holder_kind, E.c.holder_id, E.c.plan_id, E.c.name, func.sum(E.c.amount)
                    )
                    .where(E.c.holder_kind == kind, E.c.holder_id.in_(chunk))
                    .group_by(E.c.holder_kind, E.c.holder_id, E.c.plan_id, E.c.name)
                )
                for k, h, p, n, total in self.conn.execute(query):
                    result[(k, h, p, n)] = int(total)
        return result

    def post(self, postings: Iterable[tuple[int | None, Posting]]) -> None:
        rows = [(*p.key, p.amount, seq, p.line_number) for seq, p in postings]
        if rows:  # straight to the driver: the most numerous rows of the system
            mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
            self.conn.exec_driver_sql(
                "INSERT INTO accumulator_entries (holder_kind, holder_id, plan_id, name, amount,"
                f" claim_seq, line_number) VALUES ({', '.join([mark] * 7)})",
                rows,
            )

    def reverse(self, seqs: Sequence[int]) -> None:
        """Append entries that cancel what these claims posted (a correction, never an edit)."""
        for chunk in _chunks(list(seqs)):
            net = (
                select(
                    E.c.holder_kind,
                    E.c.holder_id,
                    E.c.plan_id,
                    E.c.name,
                    (literal_column("0") - func.sum(E.c.amount)).label("amount"),
                    E.c.claim_seq,
                    E.c.line_number,
                )
                .where(E.c.claim_seq.in_(chunk))
                .group_by(
                    E.c.holder_kind,
                    E.c.holder_id,
                    E.c.plan_id,
                    E.c.name,
                    E.c.claim_seq,
                    E.c.line_number,
                )
                .having(func.sum(E.c.amount) != 0)
            )
            self.conn.execute(
                insert(E).from_select(
                    [
                        "holder_kind",
                        "holder_id",
                        "plan_id",
                        "name",
                        "amount",
                        "claim_seq",
                        "line_number",
                    ],
                    net,
                )
            )

    def value(self, key: AccumulatorKey) -> int:
        total = self.conn.execute(
            select(func.coalesce(func.sum(E.c.amount), 0)).where(
                E.c.holder_kind == key[0],
                E.c.holder_id == key[1],
                E.c.plan_id == key[2],
                E.c.name == key[3],
            )
        ).scalar_one()
        return int(total)

    def of_holder(self, kind: str, holder_id: str) -> dict[tuple[str, str], int]:
        query = (
            select(E.c.plan_id, E.c.name, func.sum(E.c.amount))
            .where(E.c.holder_kind == kind, E.c.holder_id == holder_id)
            .group_by(E.c.plan_id, E.c.name)
            .order_by(E.c.plan_id, E.c.name)
        )
        return {(p, n): int(total) for p, n, total in self.conn.execute(query)}


class SqlAudit:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def record_many(self, entries: Sequence[Mapping[str, Any]]) -> None:
        """Many entries at once: at, actor, action, entity, entity_id, detail."""
        if entries:
            self.conn.execute(insert(audit_log), [dict(e) for e in entries])

    def record(
        self,
        at: datetime,
        actor: str,
        action: str,
        entity: str,
        entity_id: str,
        detail: Mapping[str, Any],
    ) -> None:
        self.record_many(
            [
                {
                    "at": at,
                    "actor": actor,
                    "action": action,
                    "entity": entity,
                    "entity_id": entity_id,
                    "detail": dict(detail),
                }
            ]
        )
