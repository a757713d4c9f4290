"""The time a request acts at: UTC, naive (as the database keeps it)."""

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
