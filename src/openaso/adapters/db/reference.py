"""Reference data on file: plan documents (versioned as loaded), fee schedules, providers."""

from collections.abc import Mapping
from datetime import date, datetime

from sqlalchemy import Connection, delete, func, insert, select, update

from openaso.adapters.db.documents import store_version
from openaso.adapters.db.tables import fee_schedule, plan_versions, plans, providers, sponsors
from openaso.adapters.files.plan_document import to_plan
from openaso.adapters.files.plan_schema import PLAN_ADAPTER
from openaso.core.fees import FeeSchedule
from openaso.core.plan import Plan


class SqlPlans:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(
        self, plan: Plan, document: Mapping[str, object], origin: str, at: datetime, by: str
    ) -> int:
        """Store a load of the document (dates as ISO text, so it re-validates as written);
        returns its version, or the current one when the document is unchanged."""
        if (
            self.conn.execute(select(sponsors.c.id).where(sponsors.c.id == plan.sponsor)).first()
            is None
        ):
            self.conn.execute(insert(sponsors).values(id=plan.sponsor, name=plan.sponsor))
        header = {
            "sponsor_id": plan.sponsor,
            "coverage": plan.coverage,
            "plan_year_start": plan.plan_year.start,
            "plan_year_end": plan.plan_year.end,
        }
        return store_version(
            self.conn, plans, plan_versions, "plan_id", plan.id, header, document, origin, at, by
        )

    def all(self) -> dict[str, Plan]:
        query = select(plans.c.id, plan_versions.c.document).join(
            plan_versions,
            (plan_versions.c.plan_id == plans.c.id) & (plan_versions.c.version == plans.c.version),
        )
        return {
            row.id: to_plan(PLAN_ADAPTER.validate_python(row.document))
            for row in self.conn.execute(query)
        }


class SqlFees:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add_version(self, effective_from: date, fees: Mapping[str, int]) -> None:
        """A version replaces any earlier load with the same effective date."""
        self.conn.execute(
            delete(fee_schedule).where(fee_schedule.c.effective_from == effective_from)
        )
        if fees:
            self.conn.execute(
                insert(fee_schedule),
                [
                    {"effective_from": effective_from, "code": c, "amount": a}
                    for c, a in fees.items()
                ],
            )

    def schedule(self) -> FeeSchedule:
        versions: dict[date, dict[str, int]] = {}
        for row in self.conn.execute(select(fee_schedule)):
            versions.setdefault(row.effective_from, {})[row.code] = row.amount
        return FeeSchedule(versions)

    def count(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(fee_schedule)).scalar_one())


class SqlProviders:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def upsert(self, npi: str, tin: str | None, name: str, network: str) -> bool:
        """Add or update a provider; returns whether anything changed."""
        row = self.conn.execute(select(providers).where(providers.c.npi == npi)).first()
        values = {"tin": tin, "name": name, "network": network}
        if row is None:
            self.conn.execute(insert(providers).values(npi=npi, **values))
            return True
        if (row.tin, row.name, row.network) == (tin, name, network):
            return False
        self.conn.execute(update(providers).where(providers.c.npi == npi).values(**values))
        return True

    def network(self, npi: str) -> str | None:
        return self.conn.execute(select(providers.c.network).where(providers.c.npi == npi)).scalar()

    def name(self, npi: str) -> str | None:
        return self.conn.execute(select(providers.c.name).where(providers.c.npi == npi)).scalar()
