"""Persistence: SQLAlchemy 2 tables, repositories mapping rows to core values, Alembic."""
