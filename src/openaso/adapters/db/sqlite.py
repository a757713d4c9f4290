"""SQLite connections: write-ahead log, one writer at a time, and which commits reach the disk.

Every unit of work takes SQLite's write lock up front (BEGIN IMMEDIATE). Threads of one
process first queue on a Python lock for the file, handed over the moment a transaction ends:
left to SQLite, a waiting connection polls, sleeping 1, 2, 5, 10 ... ms between tries, and
under load the lock stood idle while thirty threads slept (the API fell behind for good).
Other processes on the same file still wait through SQLite's busy timeout.

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
import threading
from typing import Any

from sqlalchemy import Connection, Engine, event

from openaso.adapters.db.durability import Wrote, after
from openaso.adapters.db.sqlite_checkpoint import CHECKPOINTS

WAIT = 60.0  # seconds a unit of work waits for the write lock, as SQLite's busy timeout
_writers: dict[str, threading.Lock] = {}
_writers_guard = threading.Lock()


class WriteLockTimeoutError(sqlite3.OperationalError):
    """Another unit of work in this process held the database for WAIT seconds."""


class DurableConnection(sqlite3.Connection):
    """A sqlite3 connection that holds its file's process-wide write lock from `begin` until
    commit or rollback, and whose commit syncs the write-ahead log when `must_sync` is set."""

    path: str | None = None  # the database file; None for one in memory
    writer: "threading.Lock | None" = None  # threading.Lock is a function before 3.13
    holding = False
    must_sync = False

    def begin(self) -> None:
        if self.writer is not None and not self.holding:
            if not self.writer.acquire(timeout=WAIT):
                raise WriteLockTimeoutError(f"database is locked (waited {WAIT:.0f} s)")
            self.holding = True
        try:
            self.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release()
            raise

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()
        if self.path is not None:
            CHECKPOINTS.committed(self.path)
        if self.must_sync:
            self.must_sync = False
            self.sync_log()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.must_sync = False
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        if self.holding:
            self.holding = False
            assert self.writer is not None
            self.writer.release()

    def sync_log(self) -> None:
        """Sync the log to disk, as synchronous=FULL does at each commit (after the write lock
        is released: other writers need not wait for the disk)."""
        if self.path is None:
            return
        try:
            descriptor = os.open(self.path + "-wal", os.O_RDONLY)
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
        cursor.execute("PRAGMA wal_autocheckpoint=0")  # sqlite_checkpoint.py does it instead
        path = next(row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main")
        cursor.close()
        if isinstance(dbapi_connection, DurableConnection) and path:
            dbapi_connection.path = path
            dbapi_connection.writer = _writer_of(path)
            _sync_directory(path)

    @event.listens_for(engine, "begin")
    def _begin(connection: Connection) -> None:
        # Take the write lock up front, so two writers queue instead of one failing mid-claim.
        dbapi_connection = connection.connection.dbapi_connection
        if isinstance(dbapi_connection, DurableConnection):
            dbapi_connection.begin()
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    @event.listens_for(engine, "before_cursor_execute")
    def _mark(_conn: Connection, cursor: Any, statement: str, *_args: Any, **_kw: Any) -> None:
        dbapi_connection = cursor.connection
        if isinstance(dbapi_connection, DurableConnection) and not dbapi_connection.must_sync:
            dbapi_connection.must_sync = after(Wrote.NOTHING, statement) is Wrote.MORE


def _writer_of(path: str) -> threading.Lock:
    with _writers_guard:
        return _writers.setdefault(os.path.realpath(path), threading.Lock())


def _sync_directory(path: str) -> None:
    """A synced log survives only if its directory entry does: the log is made by the first
    connection (and stays while any is open), so each new connection syncs the directory."""
    directory = os.open(os.path.dirname(os.path.abspath(path)), os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
