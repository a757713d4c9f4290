"""Reference and membership data in: plan documents, fee schedules, providers, balances."""

from collections.abc import Iterable, Mapping
from datetime import date, datetime

from openaso.core.accumulators import AccumulatorKey, Posting
from openaso.core.members import Enrolment, Member
from openaso.core.plan import Plan
from openaso.services.ports import UnitOfWork


def load_plans(
    uow: UnitOfWork,
    plans: Iterable[tuple[Plan, Mapping[str, object], str]],
    actor: str,
    at: datetime,
) -> dict[str, int]:
    """Store plan documents as written (plan, document, origin); returns the version of each.

    Loading an unchanged document again keeps its version; a changed one becomes a new version.
    """
    versions: dict[str, int] = {}
    with uow:
        for plan, document, origin in plans:
            versions[plan.id] = uow.plans.add(plan, document, origin, at, actor)
            uow.audit.record(
                at,
                actor,
                "plan load",
                "plan",
                plan.id,
                {"version": versions[plan.id], "origin": origin},
            )
        uow.commit()
    return versions


def load_fee_schedule(
    uow: UnitOfWork, fees: Mapping[str, int], effective_from: date, actor: str, at: datetime
) -> None:
    with uow:
        uow.fees.add_version(effective_from, fees)
        uow.audit.record(
            at,
            actor,
            "fee schedule load",
            "fee_schedule",
            effective_from.isoformat(),
            {"codes": len(fees)},
        )
        uow.commit()


def enrol(uow: UnitOfWork, members: Iterable[Member], enrolments: Iterable[Enrolment]) -> None:
    """Members with their coverage spans, as given (scenarios; files go through `enrolment`)."""
    spans: dict[str, list[Enrolment]] = {}
    for enrolment in enrolments:
        spans.setdefault(enrolment.member_id, []).append(enrolment)
    with uow:
        for member in members:
            uow.members.add(member, spans.get(member.id, ()))
        uow.commit()


def open_balances(uow: UnitOfWork, balances: Mapping[AccumulatorKey, int]) -> None:
    """Carried-over accumulator values (plan year to date from a prior administrator)."""
    with uow:
        uow.accumulators.post(
            (None, Posting(key, amount, 0, 0)) for key, amount in balances.items()
        )
        uow.commit()
