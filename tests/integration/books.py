"""A small book of business on a fresh database, shared by the integration tests."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import read_yaml
from openaso.bootstrap import database
from openaso.core.claims import Claim, ServiceLine
from openaso.core.members import Enrolment, Member
from openaso.services.ports import UnitOfWork
from openaso.services.setup import enrol, load_fee_schedule, load_plans
from tests.conftest import SCENARIOS

AT = datetime(2026, 6, 1, tzinfo=UTC).replace(tzinfo=None)
PPO = SCENARIOS / "public" / "plans" / "acme-ppo-2026.yaml"
FEES = {"99213": 9_500, "29881": 500_000, "27447": 3_000_000, "99396": 18_000}


def open_book(url: str, members: list[Member]) -> Callable[[], UnitOfWork]:
    """acme-ppo-2026 in force for `members` (medical, open spans from 2026-01-01)."""
    _, new_uow = database(url)
    document = read_yaml(Path(PPO))
    plan, findings = load_plan(document)
    assert plan is not None, findings
    load_plans(new_uow(), [(plan, document.data, str(PPO))], "test", AT)
    load_fee_schedule(new_uow(), FEES, date(2026, 1, 1), "test", AT)
    enrol(new_uow(), members, [Enrolment(m.id, "medical", date(2026, 1, 1)) for m in members])
    return new_uow


def subscriber(member_id: str, family: str | None = None, tier: str = "EE") -> Member:
    return Member(member_id, family or member_id, "subscriber", tier, "acme")  # type: ignore[arg-type]


def claim(
    claim_id: str, member: str, code: str, billed: int, day: date, received: date | None = None
) -> Claim:
    return Claim(
        claim_id, member, received or day, "in", "1234567893", (ServiceLine(1, code, day, billed),)
    )
