"""The stop-loss book of test_stoploss.py's docstring, shared with the plan-year test: acme's
members and claims by month, paid by monthly runs funded the day they run, under the policy
tests/fixtures/stoploss/good/acme-sl-2026.yaml."""

from collections.abc import Callable
from datetime import date

from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import read_yaml
from openaso.core.claims import Claim, ClaimOrigin, ServiceLine
from openaso.core.members import Member
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.payments import pay_run, receive_funding
from openaso.services.ports import UnitOfWork
from openaso.services.stoploss import load_policy
from tests.conftest import ROOT
from tests.integration.books import AT, subscriber

Book = Callable[[], UnitOfWork]
POLICY = ROOT / "tests" / "fixtures" / "stoploss" / "good" / "acme-sl-2026.yaml"
USD = 100
CARRIER = "summit-re"
NPI = "1234567893"


def acme_members() -> list[Member]:
    employees = [subscriber(f"E{i}") for i in range(118)] + [subscriber("B1"), subscriber("L1")]
    return employees + [subscriber(f"F{i}", tier="FAM") for i in range(80)]


def big_claim(claim_id: str, member: str, day: date, dollars: int) -> Claim:
    line = ServiceLine(1, "27447", day, dollars * USD, repriced=dollars * USD)
    return Claim(claim_id, member, day.replace(day=12), "in", NPI, (line,))


def claims_of(month: int) -> list[Claim]:
    day = date(2026, month, 10)
    found = [big_claim(f"O{i}", f"E{i}", day, 25_000) for i in range(83) if i % 12 == month - 1]
    if 3 <= month <= 6:
        found.append(big_claim(f"B1-{month}", "B1", day, 90_000 if month == 3 else 85_000))
    if 7 <= month <= 9:
        found.append(big_claim(f"L1-{month}", "L1", day, 105_000 if month == 7 else 100_000))
    return found


def pay_and_fund(book: Book, day: date) -> None:
    adjudicate_waiting(book)
    run = pay_run(book(), "acme", day, actor="payer", at=AT)
    if run.funding_request:
        receive_funding(book(), run.funding_request, run.total, day, actor="sponsor", at=AT)


def receive_month(book: Book, month: int, only: str | None = None) -> None:
    batch = [c for c in claims_of(month) if only is None or c.member_id == only]
    if month == 3:  # B1's first claim carries a trigger diagnosis (an 837 HI: C50.911)
        diagnosed, batch = batch[-1], batch[:-1]
        with book() as uow:
            origin = ClaimOrigin(None, None, ("C50911",))
            uow.claims.add_many([(diagnosed, "B1")], [origin])
            uow.commit()
    if batch:
        receive_claims(book(), batch)


def with_policy(new_uow: Book) -> Book:
    document = read_yaml(POLICY)
    policy, findings = load_stoploss(document)
    assert policy is not None, findings
    version = load_policy(
        new_uow(), policy, document.data, str(POLICY), sponsor="acme", actor="tpa", at=AT
    )
    assert version == 1
    return new_uow
