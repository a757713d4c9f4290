"""Wire adapters to use cases: an engine for a URL, migrated, and a unit-of-work factory."""

from collections.abc import Callable

from sqlalchemy import Engine

from openaso.adapters.db.engine import make_engine
from openaso.adapters.db.schema import upgrade
from openaso.adapters.db.unit_of_work import SqlUnitOfWork
from openaso.adapters.x12.ack_999 import Party
from openaso.adapters.x12.remit_835 import Address
from openaso.config import Settings
from openaso.services.remittance import Payer


def database(url: str, migrate: bool = True) -> tuple[Engine, Callable[[], SqlUnitOfWork]]:
    engine = make_engine(url)
    if migrate:
        upgrade(engine)
    return engine, lambda: SqlUnitOfWork(engine)


def remitter(settings: Settings) -> tuple[Payer, Party]:
    """The plan as its 835s name it, and our interchange id (`OPENASO_PAYER_*`, `OPENASO_X12_*`)."""
    s = settings
    payer = Payer(
        s.payer_name,
        s.payer_id,
        Address(s.payer_street, s.payer_city, s.payer_state, s.payer_postal_code),
        (s.payer_contact, s.payer_phone),
    )
    return payer, Party(s.x12_qualifier, s.x12_id)
