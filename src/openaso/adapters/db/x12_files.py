"""X12 files received and the acknowledgments sent back for them."""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select, update

from openaso.adapters.db.tables import x12_acknowledgments, x12_files


class SqlX12Files:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find_stored(self, sha256: str) -> dict[str, Any] | None:
        """The earliest receipt of these exact bytes from which anything was stored."""
        row = self.conn.execute(
            select(x12_files)
            .where(x12_files.c.sha256 == sha256, x12_files.c.outcome != "rejected")
            .order_by(x12_files.c.id)
            .limit(1)
        ).first()
        return None if row is None else dict(row._mapping)

    def add(self, sha256: str, name: str, transaction: str, at: datetime, actor: str) -> int:
        """A file being received: its id numbers the claims it holds."""
        values = {
            "sha256": sha256,
            "name": name,
            "transaction": transaction,
            "received_at": at,
            "actor": actor,
            "outcome": "rejected",
            "summary": {},
        }
        query = insert(x12_files).values(values).returning(x12_files.c.id)
        return int(self.conn.execute(query).scalar_one())

    def finish(self, file_id: int, outcome: str, summary: Mapping[str, Any]) -> None:
        query = update(x12_files).where(x12_files.c.id == file_id)
        self.conn.execute(query.values(outcome=outcome, summary=dict(summary)))

    def acknowledge(
        self,
        file_id: int,
        kind: str,
        interchange: str,
        group_control: str | None,
        status: str,
        write: Callable[[int], str],
    ) -> tuple[int, str]:
        """Store an acknowledgment; `write` gets the control number (the row's id) to put in
        its envelope. Returns (control number, text)."""
        values = {
            "file_id": file_id,
            "kind": kind,
            "interchange": interchange,
            "group_control": group_control,
            "status": status,
            "content": "",
        }
        query = insert(x12_acknowledgments).values(values).returning(x12_acknowledgments.c.id)
        control = int(self.conn.execute(query).scalar_one())
        content = write(control)
        self.conn.execute(
            update(x12_acknowledgments)
            .where(x12_acknowledgments.c.id == control)
            .values(content=content)
        )
        return control, content

    def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest files received, newest first."""
        query = select(x12_files).order_by(x12_files.c.id.desc()).limit(limit)
        return [dict(row._mapping) for row in self.conn.execute(query)]

    def get(self, file_id: int) -> dict[str, Any] | None:
        row = self.conn.execute(select(x12_files).where(x12_files.c.id == file_id)).first()
        return None if row is None else dict(row._mapping)

    def acknowledgments(self, file_id: int) -> list[dict[str, Any]]:
        query = (
            select(x12_acknowledgments)
            .where(x12_acknowledgments.c.file_id == file_id)
            .order_by(x12_acknowledgments.c.id)
        )
        return [dict(row._mapping) for row in self.conn.execute(query)]
