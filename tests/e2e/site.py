"""A small site for the web and API tests: a named family, a pended and a paid claim, a payment
run with its funding request, and one login (password and token) per role.

For the sponsor dashboard it also has twelve employees (so the sponsor's figures are over ten
members), a stop-loss policy and fee contract (tests/fixtures/sponsor), invoices for January to
April (January paid), both runs funded, and in April's run EMP-301 passes the $20,000 specific
deductible and EMP-302 reaches its 50% notice. A second sponsor has a quarter of paid claims
for the broker's reports (twelve employees, so that its de-identified figures may be shown),
assigned to the broker."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from openaso.adapters.db.engine import make_engine
from openaso.adapters.db.tables import claim_diagnoses
from openaso.adapters.files.fee_contract import load_contract_file
from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import YamlDocument, read_yaml
from openaso.config import Settings
from openaso.core.members import Enrolment, Member
from openaso.services.access import Role
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.intake import receive_claims
from openaso.services.invoicing import load_contract, record_payment, run_invoice, show_invoice
from openaso.services.payments import pay_run, receive_funding, set_claims_float
from openaso.services.ports import UnitOfWork
from openaso.services.setup import load_plans
from openaso.services.stoploss import load_policy, record_notices
from openaso.services.users import add_user, issue_token
from tests.conftest import ROOT
from tests.integration.books import AT, PPO, claim, open_book, subscriber

PASSWORD = "correct horse battery staple"
SPONSOR = "acme"
ANALYSED = "initech"  # the broker's second sponsor, with claims enough for its reports
INITECH = [f"N{i:03d}" for i in range(1, 13)]
# What must never reach a sponsor or broker: names, member ids, dates of birth, diagnoses.
PHI: tuple[str, ...] = ("Jordan", "Okafor", "Riley", "E100", "1984-07-09", "2015-02-11", "M5416")
PHI = (*PHI, "EMP-3", "Vasquez", "N001", "N012", "1979-05-23")  # and the other employees'
FIXTURES = ROOT / "tests" / "fixtures" / "sponsor"
EMPLOYEES = [subscriber(f"EMP-{n}") for n in range(301, 313)]
LOGINS = {role: f"{role.value.replace('_', '-')}-1" for role in Role}


@dataclass
class Site:
    settings: Settings
    new_uow: Callable[[], UnitOfWork]
    tokens: dict[Role, str]


def build_site(database_url: str) -> Site:
    employee = Member("E100", "E100", "subscriber", "ES", SPONSOR)
    child = Member("E100-2", "E100", "child", "ES", SPONSOR)
    new_uow = open_book(database_url, EMPLOYEES)
    with new_uow() as uow:
        for member, first, born in (
            (employee, "Jordan", "1984-07-09"),
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
    assert run.funding_request is not None
    receive_funding(new_uow(), run.funding_request, run.total, date(2026, 3, 20), actor="test",
                    at=AT)  # fmt: skip
    _sponsor_year(new_uow)
    _analysed_sponsor(new_uow)
    tokens = {}
    for role, login in LOGINS.items():
        sponsors = {Role.SPONSOR: [SPONSOR], Role.BROKER: [SPONSOR, ANALYSED]}.get(role, [])
        add_user(new_uow(), login, role, PASSWORD, sponsors, AT, "test")
        tokens[role] = issue_token(new_uow(), login, AT, "test")
    settings = Settings(database_url=database_url, claimant_secret="e2e-claimant-secret")
    return Site(settings, new_uow, tokens)


def _sponsor_year(new_uow: Callable[[], UnitOfWork]) -> None:
    document = read_yaml(FIXTURES / "site-sl-2026.yaml")
    policy, findings = load_stoploss(document)
    assert policy is not None, findings
    load_policy(new_uow(), policy, document.data, document.origin, sponsor=SPONSOR, actor="test",
                at=AT)  # fmt: skip
    loaded, problems = load_contract_file(FIXTURES / "site-fees-2026.yaml", SPONSOR)
    assert loaded is not None, problems
    load_contract(new_uow(), loaded, "site-fees-2026.yaml", actor="test", at=AT)
    months = [date(2026, month, 1) for month in range(1, 5)]
    invoices = [run_invoice(new_uow(), SPONSOR, m, actor="test", at=AT)[0] for m in months]
    first = show_invoice(new_uow(), invoices[0])
    record_payment(new_uow(), first.id, first.total, date(2026, 1, 5), actor="test", at=AT)
    april = date(2026, 4, 6)
    large = [claim("C-LARGE", "EMP-301", "27447", 3_000_000, april)]
    scopes = [
        claim(f"C-SCOPE-{n}", "EMP-302", "29881", 500_000, april.replace(day=6 + n))
        for n in range(1, 4)
    ]
    receive_claims(new_uow(), large + scopes)
    adjudicate_waiting(new_uow)
    run = pay_run(new_uow(), SPONSOR, date(2026, 4, 13), actor="test", at=AT)
    assert run.funding_request is not None
    receive_funding(new_uow(), run.funding_request, run.total, date(2026, 4, 13), actor="test",
                    at=AT)  # fmt: skip
    record_notices(new_uow(), SPONSOR, date(2026, 4, 30), at=AT, actor="test")


def _analysed_sponsor(new_uow: Callable[[], UnitOfWork]) -> None:
    """initech: twelve employees on a copy of the acme plan; office visits every month of
    2026's first quarter (three January ones paid a month late) and one knee replacement,
    paid at each month's end."""
    source = read_yaml(PPO)
    data = {**source.data, "id": "initech-ppo-2026", "sponsor": ANALYSED, "name": "Initech PPO"}
    plan, findings = load_plan(YamlDocument("initech-ppo-2026.yaml", data, {}))
    assert plan is not None, findings
    load_plans(new_uow(), [(plan, data, "initech-ppo-2026.yaml")], "test", AT)
    with new_uow() as uow:
        for n, member_id in enumerate(INITECH):
            names = {
                "first_name": f"Sam{n}",
                "last_name": "Vasquez",
                "birth_date": date(1979, 5, 23),
                "gender": "U",
            }
            member = Member(member_id, member_id, "subscriber", "EE", ANALYSED)
            uow.members.add(member, [Enrolment(member_id, "medical", date(2026, 1, 1))], names)
        uow.commit()
    set_claims_float(new_uow(), ANALYSED, 1_000_000_00, date(2026, 1, 1))
    jan, feb, mar = date(2026, 1, 12), date(2026, 2, 9), date(2026, 3, 2)
    late = [claim(f"IL{m}", m, "99213", 15_000, date(2026, 1, 20), feb) for m in INITECH[:3]]
    months = (
        (date(2026, 1, 30), [claim(f"IJ{m}", m, "99213", 15_000, jan) for m in INITECH]),
        (
            date(2026, 2, 27),
            [claim(f"IF{m}", m, "99213", 15_000, feb) for m in INITECH]
            + late
            + [claim("IK1", INITECH[0], "27447", 4_000_000, feb)],
        ),
        (date(2026, 3, 27), [claim(f"IM{m}", m, "99213", 15_000, mar) for m in INITECH]),
    )
    for paid_on, claims in months:
        receive_claims(new_uow(), claims)
        adjudicate_waiting(new_uow)
        pay_run(new_uow(), ANALYSED, paid_on, actor="test", at=AT)
