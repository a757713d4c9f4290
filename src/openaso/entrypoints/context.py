"""What every command needs: the database from the settings, who is acting, and when."""

import getpass
import os
from collections.abc import Callable
from datetime import UTC, datetime

from rich.console import Console

from openaso.bootstrap import database
from openaso.config import get_settings
from openaso.services.ports import UnitOfWork

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def open_database() -> Callable[[], UnitOfWork]:
    """The configured database, created or migrated on first use."""
    _, new_uow = database(get_settings().database_url)
    return new_uow


def actor() -> str:
    return os.environ.get("OPENASO_USER") or getpass.getuser()


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
