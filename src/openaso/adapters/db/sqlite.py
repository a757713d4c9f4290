"""SQLite connections: write-ahead log, one writer at a time, and which commits reach the disk.

WAL with synchronous=NORMAL does not sync the log on commit, so a power cut or operating
system crash can undo the last transactions (never corrupt the file; an application crash
loses nothing). That is accepted for transactions that wrote only audit-log entries — the
entry a PHI read leaves behind — and nowhere else: a commit that wrote anything else (claims,
decisions, accumulators, the ledger, payments, users) syncs the log before it returns, which
is what synchronous=FULL would do for every commit. Measured (docs/web.md, "Performance"): a
synced commit held the write lock ~5 ms, which alone caps a claim status lookup at 200/s.
"""

import os
import sqlite3
from typing import Any

from sqlalchemy import Connection, Engine, event

# Statements that leave the database as it was, or write only the audit log.
_LIGHT = ("SELECT", "PRAGMA", "BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")
_AUDIT_INSERT = "INSERT INTO AUDIT_LOG "


class DurableConnection(sqlite3.Connection):
    """A sqlite3 connection whose commit syncs the write-ahead log when `must_sync` is set."""

    wal: str | None = None  # the log's path; None for a database with no file
    must_sync = False

    def commit(self) -> None:
        super().commit()
        if self.must_sync:
            self.must_sync = False
            self.sync_log()

    def rollback(self) -> None:
        super().rollback()
        self.must_sync = False

    def sync_log(self) -> None:
        if self.wal is None:
            return
        try:
            descriptor = os.open(self.wal, os.O_RDONLY)
        except FileNotFoundError:  # checkpointed into the database file (synced) and removed
            return
        try:
            os.fdatasync(descriptor)
        finally:
            os.close(descriptor)


def configure(engine: Engine) -> None:
    """Pragmas on each new connection, BEGIN IMMEDIATE, and marking commits that must sync."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        # SQLAlchemy's pysqlite recipe: let us emit BEGIN ourselves (see _begin).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        path = next(row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main")
        cursor.close()
        if isinstance(dbapi_connection, DurableConnection) and path:
            dbapi_connection.wal = path + "-wal"
            _sync_directory(path)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Take the write lock up front, so two writers queue instead of one failing mid-claim.
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(_conn: Connection, cursor: Any, statement: str, *_args: Any, **_kw: Any) -> None:
        words = statement.lstrip()[:32].upper()
        if not words.startswith(_LIGHT) and not words.startswith(_AUDIT_INSERT):
            dbapi_connection = cursor.connection
            if isinstance(dbapi_connection, DurableConnection):
                dbapi_connection.must_sync = True


def _sync_directory(path: str) -> None:
    """A synced log survives only if its directory entry does: the log is made by the first
    connection (and stays while any is open), so each new connection syncs the directory."""
    directory = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
