"""Checkpoint SQLite write-ahead logs on a thread of their own, off every unit of work's path.

SQLite's own automatic checkpoint runs inside the COMMIT that fills the log past 1,000 pages,
with two syncs, while that unit of work still holds this process's write lock (sqlite.py):
every other writer waited behind it (measured: 200 ms stalls of the API under load). So the
connections turn it off, and commits only note their file here; a daemon thread copies the log
into the database file (PASSIVE: it never blocks a writer) at most once every INTERVAL
seconds. Closing a database's last connection checkpoints whatever is left, as before.
"""

import sqlite3
import threading
import time
from urllib.parse import quote

INTERVAL = 1.0  # seconds between checkpoints of one process's logs


class Checkpointer:
    def __init__(self, interval: float = INTERVAL) -> None:
        self.interval = interval
        self._due: set[str] = set()
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None

    def committed(self, path: str) -> None:
        """A transaction on the database file at `path` has committed: checkpoint it soon."""
        with self._wake:
            if path in self._due:
                return
            self._due.add(path)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="sqlite-checkpoint", daemon=True
                )
                self._thread.start()
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while not self._due:
                    self._wake.wait()
                paths, self._due = self._due, set()
            for path in paths:
                checkpoint(path)
            time.sleep(self.interval)


def checkpoint(path: str) -> None:
    """Copy what the log holds into the database file; a file since removed is left alone."""
    try:
        # mode=rw: never create a database that a test (or an operator) has just removed.
        conn = sqlite3.connect(f"file:{quote(path)}?mode=rw", uri=True, timeout=0)
    except sqlite3.Error:
        return
    try:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    except sqlite3.Error:  # busy with another process's checkpoint: the next one catches up
        pass
    finally:
        conn.close()


CHECKPOINTS = Checkpointer()
