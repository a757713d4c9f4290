"""PostgreSQL connections: a commit that wrote only audit-log entries does not wait for the
server's write-ahead log to reach the disk (synchronous_commit off for that transaction); the
server may lose the last such commits if it crashes, and is never left inconsistent. Every
other commit waits, as the server's settings say (durability.py)."""

from typing import Any

from sqlalchemy import Connection, Engine, event

from openaso.adapters.db.durability import Wrote, after

_WROTE = "openaso_wrote"


def configure(engine: Engine) -> None:
    # conn.info belongs to the pooled connection, so it is reset as each transaction begins.
    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        conn.info[_WROTE] = Wrote.NOTHING

    @event.listens_for(engine, "before_cursor_execute")
    def _note(conn: Connection, _cursor: Any, statement: str, *_args: Any, **_kw: Any) -> None:
        conn.info[_WROTE] = after(conn.info.get(_WROTE, Wrote.NOTHING), statement)

    @event.listens_for(engine, "commit")
    def _commit(conn: Connection) -> None:  # runs before the COMMIT is sent
        if conn.info.pop(_WROTE, Wrote.NOTHING) is Wrote.AUDIT_ONLY:
            conn.exec_driver_sql("SET LOCAL synchronous_commit TO OFF")

    @event.listens_for(engine, "rollback")
    def _rollback(conn: Connection) -> None:
        conn.info.pop(_WROTE, None)
