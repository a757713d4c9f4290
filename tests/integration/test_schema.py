"""The migrations build exactly the schema the code declares (tables.py), on both databases."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from openaso.adapters.db.tables import metadata
from openaso.bootstrap import database


def test_the_migrations_match_the_declared_tables(database_url: str) -> None:
    engine, _ = database(database_url)
    with engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn), metadata)
    assert differences == []
