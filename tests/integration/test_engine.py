"""The database engine: which commits wait for the disk, writers queueing on SQLite, and the
write-ahead log checkpointed off the commit path."""

import os
import sys
import threading
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select

from openaso.adapters.db import sqlite_checkpoint
from openaso.adapters.db.durability import Wrote, after
from openaso.adapters.db.tables import audit_log
from openaso.bootstrap import database
from openaso.services.access import Role
from openaso.services.users import add_user

AT = datetime(2026, 1, 1)


def _read_audited(new_uow: Any, entity_id: str = "C-1") -> None:
    with new_uow() as uow:
        uow.audit.record(AT, "examiner", "read claim status", "claim", entity_id, {})
        uow.commit()


def test_only_statements_that_write_more_than_the_audit_log_need_a_synced_commit() -> None:
    assert after(Wrote.NOTHING, "SELECT claims.id FROM claims") is Wrote.NOTHING
    assert after(Wrote.NOTHING, "INSERT INTO audit_log (at) VALUES (?)") is Wrote.AUDIT_ONLY
    assert after(Wrote.AUDIT_ONLY, "  update claims set status=?") is Wrote.MORE
    assert after(Wrote.MORE, "SELECT 1") is Wrote.MORE
    assert after(Wrote.NOTHING, "INSERT INTO audit_log_copy SELECT 1") is Wrote.MORE
    assert after(Wrote.NOTHING, "WITH x AS (DELETE FROM claims) SELECT 1") is Wrote.MORE


def test_on_sqlite_an_audited_read_commits_without_a_sync_and_a_new_login_syncs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, new_uow = database(f"sqlite:///{tmp_path}/sync.db")
    synced: list[str] = []
    real = os.fdatasync

    def fdatasync(descriptor: int) -> None:
        synced.append(os.readlink(f"/proc/self/fd/{descriptor}"))
        real(descriptor)

    monkeypatch.setattr(os, "fdatasync", fdatasync)
    for n in range(5):
        _read_audited(new_uow, f"C-{n}")
    assert synced == []
    add_user(new_uow(), "examiner", Role.EXAMINER, None, [], AT, "test")
    assert synced == [f"{tmp_path}/sync.db-wal"]
    with new_uow() as uow:  # a rolled-back write leaves nothing to sync
        uow.audit.record(AT, "examiner", "read member", "member", "M-1", {})
    _read_audited(new_uow)
    assert len(synced) == 1
    engine.dispose()


def test_on_postgresql_only_an_audit_only_commit_turns_synchronous_commit_off(
    database_url: str,
) -> None:
    if not database_url.startswith("postgresql"):
        pytest.skip("a PostgreSQL setting")
    engine, new_uow = database(database_url)
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: sent.append(a[2].split()[0]))
    _read_audited(new_uow)
    assert sent[-1] == "SET"
    sent.clear()
    add_user(new_uow(), "examiner", Role.EXAMINER, None, [], AT, "test")
    assert "INSERT" in sent
    assert "SET" not in sent
    sent.clear()
    _read_audited(new_uow)
    assert sent[-1] == "SET"
    engine.dispose()


def test_threads_of_one_process_queue_for_sqlite_and_every_audit_entry_is_kept(
    tmp_path: Path,
) -> None:
    engine, new_uow = database(f"sqlite:///{tmp_path}/queue.db")
    failures: list[BaseException] = []

    def reader(n: int) -> None:
        try:
            for k in range(40):
                _read_audited(new_uow, f"C-{n}-{k}")
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)

    threads = [threading.Thread(target=reader, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audit_log)).scalar_one() == 480
    engine.dispose()


def test_a_commit_asks_for_a_checkpoint_made_on_another_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    done = threading.Event()
    where: list[tuple[str, str]] = []

    def checkpoint(path: str) -> None:  # (the process's own checkpointer may call it too)
        if path == f"{tmp_path}/ckpt.db":
            where.append((path, threading.current_thread().name))
            done.set()

    monkeypatch.setattr(sqlite_checkpoint, "checkpoint", checkpoint)
    monkeypatch.setattr(sqlite_checkpoint, "CHECKPOINTS", sqlite_checkpoint.Checkpointer(0.0))
    from openaso.adapters.db import sqlite

    monkeypatch.setattr(sqlite, "CHECKPOINTS", sqlite_checkpoint.CHECKPOINTS)
    engine, new_uow = database(f"sqlite:///{tmp_path}/ckpt.db")
    _read_audited(new_uow)
    assert done.wait(5)
    assert where[0] == (f"{tmp_path}/ckpt.db", "sqlite-checkpoint")
    assert threading.current_thread().name != "sqlite-checkpoint"
    with engine.connect() as conn:  # SQLite's own checkpoint, inside COMMIT, is off
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar_one() == 0
    engine.dispose()


def _log_frames(path: Path) -> tuple[int, int]:
    """(frames in the log, frames copied into the database) from the WAL index (-shm)."""
    index = (path.parent / (path.name + "-shm")).read_bytes()
    return int.from_bytes(index[16:20], sys.byteorder), int.from_bytes(index[96:100], sys.byteorder)


def test_a_checkpoint_copies_the_log_and_never_creates_a_removed_database(
    tmp_path: Path,
) -> None:
    engine, new_uow = database(f"sqlite:///{tmp_path}/log.db")
    for n in range(20):
        _read_audited(new_uow, f"C-{n}")
    frames, copied = _log_frames(tmp_path / "log.db")
    assert copied < frames
    sqlite_checkpoint.checkpoint(f"{tmp_path}/log.db")
    assert _log_frames(tmp_path / "log.db") == (frames, frames)
    engine.dispose()
    sqlite_checkpoint.checkpoint(f"{tmp_path}/gone.db")
    assert not (tmp_path / "gone.db").exists()
