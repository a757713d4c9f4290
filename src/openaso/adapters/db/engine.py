"""Build the SQLAlchemy engine for a database URL (SQLite file or PostgreSQL).

Both keep their connections open in a pool: opening one per unit of work cost more than the
work itself (on SQLite, closing the last connection also checkpoints the write-ahead log).
"""

from sqlalchemy import Engine, create_engine

from openaso.adapters.db import postgres, sqlite
from openaso.adapters.db.sqlite import DurableConnection

# Enough for the web app's worker threads to rarely wait for a connection; a thread that
# finds them all in use waits up to POOL_WAIT seconds for one to come back.
POOL_SIZE = 10
POOL_OVERFLOW = 20
POOL_WAIT = 60


def make_engine(url: str) -> Engine:
    if not url.startswith("sqlite"):
        engine = create_engine(
            url,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            pool_timeout=POOL_WAIT,
            pool_pre_ping=True,  # a restarted server costs one failed ping, not a failed call
        )
        postgres.configure(engine)
        return engine
    engine = create_engine(
        url,
        pool_size=POOL_SIZE,
        max_overflow=POOL_OVERFLOW,
        pool_timeout=POOL_WAIT,
        connect_args={"timeout": 60, "check_same_thread": False, "factory": DurableConnection},
    )
    sqlite.configure(engine)
    return engine
