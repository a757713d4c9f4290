"""A small site for the web and API tests: a named family, a pended and a paid claim, a payment
run with its funding request, and one login (password and token) per role."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from openaso.adapters.db.engine import make_engine
from openaso.adapters.db.tables import claim_diagnoses
from openaso.config import Settings
from openaso.core.members import Enrolment, Member
from openaso.services.access import Role
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.payments import pay_run, receive_funding
from openaso.services.ports import UnitOfWork
from openaso.services.users import add_user, issue_token
from tests.integration.books import AT, claim, open_book

PASSWORD = "correct horse battery staple"
SPONSOR = "acme"
# What must never reach a sponsor or broker: names, member ids, dates of birth, diagnoses.
PHI = ("Jordan", "Okafor", "Riley", "E100", "1984-07-09", "2015-02-11", "M5416")
LOGINS = {role: f"{role.value.replace('_', '-')}-1" for role in Role}


@dataclass
class Site:
    settings: Settings
    new_uow: Callable[[], UnitOfWork]
    tokens: dict[Role, str]


def build_site(database_url: str) -> Site:
    subscriber = Member("E100", "E100", "subscriber", "ESP", SPONSOR)  # type: ignore[arg-type]
    child = Member("E100-2", "E100", "child", "ESP", SPONSOR)  # type: ignore[arg-type]
    new_uow = open_book(database_url, [])
    with new_uow() as uow:
        for member, first, born in (
            (subscriber, "Jordan", "1984-07-09"),
            (child, "Riley", "2015-02-11"),
        ):
            names = {
                "first_name": first,
                "last_name": "Okafor",
                "birth_date": date.fromisoformat(born),
                "gender": "U",
            }
            uow.members.add(member, [Enrolment(member.id, "medical", date(2026, 1, 1))], names)
        uow.commit()
    receive_claims(
        new_uow(),
        [
            claim("C-PEND", "E100", "72148", 180_000, date(2026, 3, 2)),  # no fee: pends
            claim("C-PAID", "E100-2", "99213", 15_000, date(2026, 3, 9)),
        ],
    )
    with new_uow() as uow:
        seq = uow.claims.seq_of("C-PEND")
    engine = make_engine(database_url)
    with engine.begin() as conn:  # as an 837 would have given it
        conn.execute(claim_diagnoses.insert().values(claim_seq=seq, position=1, code="M5416"))
    engine.dispose()
    adjudicate_waiting(new_uow)
    run = pay_run(new_uow(), SPONSOR, date(2026, 3, 16), actor="test", at=AT)
    assert run.funding_request is not None  # funded: its payment is released, with an 835
    receive_funding(new_uow(), run.funding_request, run.total, date(2026, 3, 17), actor="t", at=AT)
    tokens = {}
    for role, login in LOGINS.items():
        sponsors = [SPONSOR] if role in (Role.SPONSOR, Role.BROKER) else []
        add_user(new_uow(), login, role, PASSWORD, sponsors, AT, "test")
        tokens[role] = issue_token(new_uow(), login, AT, "test")
    return Site(Settings(database_url=database_url), new_uow, tokens)
