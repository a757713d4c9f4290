"""Payment runs and 835s: from a public 837P to an 835 pyx12 accepts, and the money rules.

The public sample (linuxforhealth demo.example1) bills four lines for Ted Smith, a dependent
of JS00111223333, in October 2006. Under acme-ppo (plan year moved to 2006) with the fees
below, worked by hand:
  99213 $40 → allowed $30 (CO-45 $10), office visit copay $30 (PR-3), plan $0
  87070 $15 → allowed $12 (CO-45 $3), general cost share: deductible $12 (PR-1), plan $0
  99214 $35 → allowed $32 (CO-45 $3), copay $30 (PR-3), plan $2
  86663 $10 → allowed $9 (CO-45 $1), deductible $9 (PR-1), plan $0
  claim: charge $100, paid $2, patient responsibility $81, 100 − 2 = 17 + 81.
"""

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from openaso.adapters.files.plan_document import load_plan
from openaso.adapters.files.yaml_source import read_yaml
from openaso.adapters.x12.remit_835 import Address
from openaso.adapters.x12.segments import tokenize_text
from openaso.bootstrap import database
from openaso.core.ledger import Account, AccountKind, balances
from openaso.core.members import Enrolment, Member
from openaso.services.adjudication import adjudicate_waiting
from openaso.services.claims_837 import intake_837
from openaso.services.lifecycle import void_claim
from openaso.services.payments import pay_run, receive_funding, set_claims_float
from openaso.services.remittance import Payer, remittances
from openaso.services.setup import enrol, load_fee_schedule, load_plans
from tests.integration.books import AT, PPO, open_book
from tests.integration.test_intake_837 import (
    OURS,
    envelope,
    family,
    header,
    names,
    subscriber_claim,
)

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "x12"
    / "linuxforhealth__837_005010X222A2__demo.example1.837"
)
PAYER = Payer(
    "ACME HEALTH PLAN",
    "1123456789",
    Address("1 MAIN ST", "HARRISBURG", "PA", "17101"),
    ("EDI DESK", "5555550100"),
)
X12VALID = Path(sys.executable).parent / "x12valid"


def pyx12_ok(tmp_path: Path, text: str) -> bool:
    path = tmp_path / "check.835"
    path.write_text(text)
    run = subprocess.run([str(X12VALID), str(path)], capture_output=True, text=True, check=False)
    return f"{path}: OK" in (run.stdout + run.stderr).splitlines()


def book_2006(url: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    source = tmp_path / "acme-ppo-2006.yaml"
    source.write_text(PPO.read_text().replace("2026", "2006"))
    document = read_yaml(source)
    plan, findings = load_plan(document)
    assert plan is not None, findings
    _, new_uow = database(url)
    load_plans(new_uow(), [(plan, document.data, str(source))], "test", AT)
    fees = {"99213": 3_000, "87070": 1_200, "99214": 3_200, "86663": 900}
    load_fee_schedule(new_uow(), fees, date(2006, 1, 1), "test", AT)
    people = [
        Member("JS00111223333", "JS00111223333", "subscriber", "EC", "acme"),
        Member("JS00111223333-02", "JS00111223333", "child", "EC", "acme"),
    ]
    enrol(new_uow(), people, [Enrolment(m.id, "medical", date(2006, 1, 1)) for m in people])
    with new_uow() as uow:
        uow.members.save(people[0], {"last_name": "SMITH", "first_name": "JANE"})
        uow.members.save(
            people[1], {"last_name": "SMITH", "first_name": "TED", "birth_date": date(1973, 5, 1)}
        )
        uow.providers.upsert("1912301953", "587654321", "BEN KILDARE SERVICE", "in")
        uow.commit()
    return new_uow


@pytest.mark.skipif(not SAMPLE.exists(), reason="the public X12 samples are not here")
def test_a_public_837p_comes_back_as_an_835_pyx12_accepts(
    database_url: str, tmp_path: Path
) -> None:
    new_uow = book_2006(database_url, tmp_path)
    intake = intake_837(new_uow(), SAMPLE, ours=OURS, actor="clerk", at=AT)
    assert intake.stored == ["1-1"]
    assert intake.unmatched == []
    assert [(a.kind, a.status) for a in intake.acknowledgments] == [("999", "A")]
    adjudicate_waiting(new_uow)
    set_claims_float(new_uow(), "acme", 100_000, date(2006, 10, 31))
    run = pay_run(new_uow(), "acme", date(2006, 10, 31), actor="payer", at=AT)
    assert run.total == 200
    assert len(run.released) == 1
    assert run.run_id is not None
    [(number, text)] = remittances(new_uow(), run.run_id, PAYER, OURS, AT)
    assert pyx12_ok(tmp_path, text), text
    segments = list(tokenize_text(text, "835"))
    [clp] = [s for s in segments if s.tag == "CLP"]
    assert clp.elements[1:8] == ["26463774", "1", "100.00", "2.00", "81.00", "12", "1-1"]
    svc = [(s.get(1), s.get(2), s.get(3)) for s in segments if s.tag == "SVC"]
    assert svc == [
        ("HC:99213", "40.00", "0.00"),
        ("HC:87070", "15.00", "0.00"),
        ("HC:99214", "35.00", "2.00"),
        ("HC:86663", "10.00", "0.00"),
    ]
    cas = [s.elements[1:] for s in segments if s.tag == "CAS"]
    assert cas == [
        ["CO", "45", "10.00"], ["PR", "3", "30.00"],
        ["CO", "45", "3.00"], ["PR", "1", "12.00"],
        ["CO", "45", "3.00"], ["PR", "3", "30.00"],
        ["CO", "45", "1.00"], ["PR", "1", "9.00"],
    ]  # fmt: skip
    # The same amounts as the stored adjudication, line by line.
    with new_uow() as uow:
        stored = [(line.plan_paid, line.adjustments) for line in uow.claims.lines("1-1")]
    assert [paid for paid, _ in stored] == [0, 0, 200, 0]
    bpr = next(s for s in segments if s.tag == "BPR")
    assert bpr.elements[1:3] == ["C", "2.00"]
    assert number == run.released[0]


def test_payments_wait_for_funding_and_nothing_is_paid_twice(
    database_url: str, tmp_path: Path
) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    body = header() + subscriber_claim("PCN-A", "150.00")
    path = tmp_path / "a.837"
    path.write_text(envelope([body]))
    intake_837(new_uow(), path, ours=OURS, actor="clerk", at=AT)
    adjudicate_waiting(new_uow)
    run = pay_run(new_uow(), "acme", date(2026, 4, 15), actor="payer", at=AT)
    assert (run.total, run.released, run.funding_request) == (6_500, [], f"FR-{run.run_id}")
    assert pay_run(new_uow(), "acme", date(2026, 4, 16), actor="payer", at=AT).run_id is None
    released = receive_funding(
        new_uow(), f"FR-{run.run_id}", 6_500, date(2026, 4, 17), actor="sponsor", at=AT
    )
    assert released == [run.payments[0]["number"]]
    with new_uow() as uow:
        books = uow.payments.entries("acme")
        assert uow.payments.balance(Account(AccountKind.CLAIMS_FUND, "acme")) == 0
    assert sum(sum(p.amount for p in e.postings) for e in books) == 0
    assert (
        balances(books).get(Account(AccountKind.PROVIDER_PAYABLE, "acme", "provider:1234567893"))
        is None
    )


def test_a_voided_paid_claim_is_recovered_from_the_next_payment(
    database_url: str, tmp_path: Path
) -> None:
    new_uow = open_book(database_url, family())
    names(new_uow)
    set_claims_float(new_uow(), "acme", 1_000_000, date(2026, 4, 1))
    first = tmp_path / "first.837"
    first.write_text(envelope([header() + subscriber_claim("PCN-A", "150.00")]))
    intake_837(new_uow(), first, ours=OURS, actor="clerk", at=AT)
    adjudicate_waiting(new_uow)
    paid = pay_run(new_uow(), "acme", date(2026, 4, 15), actor="payer", at=AT)
    assert paid.total == 6_500
    void_claim(new_uow(), "1-1", "billed in error", "examiner", AT)
    second = tmp_path / "second.837"
    second.write_text(envelope([header() + subscriber_claim("PCN-B", "200.00")], control=906))
    intake_837(new_uow(), second, ours=OURS, actor="clerk", at=AT)
    adjudicate_waiting(new_uow)
    run = pay_run(new_uow(), "acme", date(2026, 5, 15), actor="payer", at=AT)
    # New claim pays $65; the voided one's $65 is netted: nothing is sent, both reported.
    assert run.payments == [
        {
            "payee": "provider:1234567893",
            "number": run.payments[0]["number"],
            "amount": 0,
            "recovered": 6_500,
        }
    ]
    assert run.run_id is not None
    [(_, text)] = remittances(new_uow(), run.run_id, PAYER, OURS, AT)
    assert pyx12_ok(tmp_path, text), text
    assert "BPR*H*0*C*NON" in text
    assert "CLP*PCN-B*1*200.00*65.00*30.00*12*2-1~" in text
    assert "PLB*1234567893*20261231*WO:1-1*65.00~" in text
