"""Wire adapters to use cases: an engine for a URL, migrated, and a unit-of-work factory."""

from collections.abc import Callable

from sqlalchemy import Engine

from openaso.adapters.db.engine import make_engine
from openaso.adapters.db.schema import upgrade
from openaso.adapters.db.unit_of_work import SqlUnitOfWork


def database(url: str, migrate: bool = True) -> tuple[Engine, Callable[[], SqlUnitOfWork]]:
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return engine, lambda: SqlUnitOfWork(engine)
