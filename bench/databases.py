"""Databases for a benchmark run: a fresh PostgreSQL database when one is configured."""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text


@contextmanager
def temporary_postgres() -> Iterator[str | None]:
    """The URL of a new, empty database on OPENASO_TEST_POSTGRES_URL's server (None when that
    is not set), dropped afterwards."""
    server = os.environ.get("OPENASO_TEST_POSTGRES_URL")
    if not server:
        yield None
        return
    name = f"openaso_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
