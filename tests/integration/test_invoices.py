"""Fee invoices on a database: a plan year of domain.md §5's group, retroactive changes, the
sponsor's payments, and a plan-year summary whose every ledger figure ties to the books."""

import functools
import itertools
import threading
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from openaso.adapters.files.fee_contract import load_contract_file
from openaso.bootstrap import database
from openaso.core.dates import add_months
from openaso.core.invoicing import rates_for
from openaso.core.ledger import (
    Account,
    AccountKind,
    FundingReceived,
    FundingRequested,
    Payee,
    PaymentIssued,
    StopLossReimbursementFiled,
    balances,
    entries_for,
)
from openaso.core.members import Enrolment, Member, TierCode
from openaso.services.invoicing import (
    InvoiceError,
    contract_of,
    load_contract,
    record_payment,
    run_invoice,
    show_invoice,
)
from openaso.services.planyear import plan_year_summary
from openaso.services.ports import UnitOfWork
from openaso.services.premium_remittance import RemittanceError, remit_premium
from openaso.services.setup import enrol
from tests.conftest import ROOT
from tests.integration.books import AT

CONTRACT = ROOT / "tests" / "fixtures" / "fees" / "acme-fees-2026.yaml"
JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)
K = AccountKind
Uow = Callable[[], UnitOfWork]
_OPENED: dict[str, Uow] = {}


def books(url: str, sponsor: str = "acme", directory: Path | None = None) -> Uow:
    """A database with the domain contract of `sponsor` (its files written in `directory`)."""
    if url not in _OPENED:  # migrate once per database (hypothesis reuses it per example)
        _OPENED[url] = database(url)[1]
    new_uow = _OPENED[url]
    path = CONTRACT
    if directory is not None:
        policy = (CONTRACT.parent / "acme-sl-2026.yaml").read_text()
        (directory / f"{sponsor}-sl.yaml").write_text(
            policy.replace("sponsor: acme", f"sponsor: {sponsor}")
        )
        path = directory / f"{sponsor}-fees.yaml"
        path.write_text(CONTRACT.read_text().replace("acme-sl-2026.yaml", f"{sponsor}-sl.yaml"))
    loaded, findings = load_contract_file(path, sponsor)
    assert loaded is not None, findings
    load_contract(new_uow(), loaded, str(path), actor="test", at=AT)
    return new_uow


def employees(ee: int, fam: int, sponsor: str = "acme") -> list[Member]:
    return [Member(f"E{i}", f"E{i}", "subscriber", "EE", sponsor) for i in range(ee)] + [
        Member(f"F{i}", f"F{i}", "subscriber", "FAM", sponsor) for i in range(fam)
    ]


def enrol_from(uow: Uow, members: list[Member], start: date = JAN) -> None:
    enrol(uow(), members, [Enrolment(m.id, "medical", start) for m in members])


def run(uow: Uow, month: date, sponsor: str = "acme") -> int:
    invoice_id, made = run_invoice(uow(), sponsor, month, actor="test", at=AT)
    assert made
    return invoice_id


def ledger(uow: Uow, sponsor: str = "acme") -> dict[Account, int]:
    with uow() as u:
        return balances(u.payments.entries(sponsor))


def acct(kind: AccountKind, party: str = "", sponsor: str = "acme") -> Account:
    return Account(kind, sponsor, party)


def test_a_plan_year_of_the_domain_group_ties_to_the_ledger(database_url: str) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(120, 80))
    invoices = [run(uow, add_months(JAN, i)) for i in range(12)]
    assert show_invoice(uow(), invoices[0]).total == 3_620_000  # $36,200 a month
    books_now = ledger(uow)
    assert books_now[acct(K.ADMIN_FEE_RECEIVABLE)] == 9_600_000  # 40 × 200 × 12
    assert books_now[acct(K.STOP_LOSS_PREMIUM_PAYABLE, "summit-re")] == -33_840_000
    assert sum(books_now.values()) == 0
    for invoice_id in invoices:
        record_payment(uow(), invoice_id, 3_620_000, date(2026, 12, 31), actor="t", at=AT)
    books_now = ledger(uow)
    assert acct(K.ADMIN_FEE_RECEIVABLE) not in books_now
    assert acct(K.STOP_LOSS_PREMIUM_RECEIVABLE) not in books_now
    assert books_now[acct(K.BANK_CLEARING)] == 43_440_000
    # domain.md §5: the sponsor funded $1,478,400 of expected claims and $1,350,000 was paid
    on = date(2026, 12, 15)
    provider = Payee("provider", "1234567893")
    with uow() as u:
        for event in (
            FundingRequested("acme", on, "FR-1", 147_840_000),
            FundingReceived("acme", on, "FR-1", 147_840_000),
            PaymentIssued("acme", on, "EFT-1", provider, "eft", 135_000_000),
            StopLossReimbursementFiled("acme", on, "SL-1", "summit-re", "specific", 1_000_000),
            # next year's funding is no part of this year
            FundingReceived("acme", date(2027, 1, 4), "FR-1", 1_000),
        ):
            u.payments.post("acme", entries_for(event))
        u.commit()
    summary = plan_year_summary(uow(), "acme", 2026)
    assert summary.budget == 191_280_000  # $1,912,800
    assert summary.member_months == (("EE", 1_440), ("FAM", 960))
    figures = summary.ledger
    assert figures.fees == -ledger(uow)[acct(K.ADMIN_FEES_EARNED)] == 9_600_000
    assert figures.premiums == 33_840_000
    assert figures.funded == 147_840_000
    assert figures.paid_claims == 135_000_000
    assert figures.stop_loss_reimbursed == -ledger(uow)[acct(K.STOP_LOSS_REIMBURSEMENTS)]
    # 1,912,800 − (1,350,000 − 10,000 + 434,400): the $128,400 kept, and the $10,000 filed
    assert summary.surplus == 12_840_000 + 1_000_000
    assert summary.liability is not None
    assert summary.liability.total == 228_240_000  # $2,282,400


def test_running_a_month_again_changes_nothing(database_url: str) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(3, 2))
    first = run(uow, JAN)
    before = (show_invoice(uow(), first), ledger(uow))
    enrol_from(uow, [Member("N1", "N1", "subscriber", "EE", "acme")])  # a change after it
    again, made = run_invoice(uow(), "acme", JAN, actor="test", at=AT)
    assert (again, made) == (first, False)
    assert (show_invoice(uow(), first), ledger(uow)) == before
    with uow() as u:
        assert len(u.payments.entries("acme")) == 2  # fees, and premium to summit-re


def test_retroactive_adds_and_terminations_adjust_the_next_invoice_per_member_month(
    database_url: str,
) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(3, 2))
    jan, feb = run(uow, JAN), run(uow, FEB)
    stored = show_invoice(uow(), jan), show_invoice(uow(), feb)
    # an 834 in March: N1 was covered from January 1; E0's coverage ended January 31
    enrol_from(uow, [Member("N1", "N1", "subscriber", "FAM", "acme")])
    with uow() as u:
        u.members.replace_enrolments("E0", [Enrolment("E0", "medical", JAN, date(2026, 1, 31))])
        u.commit()
    mar = show_invoice(uow(), run(uow, MAR))
    adjustments = {
        (line.member_id, line.month, line.quantity) for line in mar.lines if line.adjustment
    }
    assert adjustments == {("N1", JAN, 1), ("N1", FEB, 1), ("E0", FEB, -1)}
    assert sum(line.amount for line in mar.lines if line.adjustment) == 2 * 25_600 - 13_100
    # March itself: E1, E2 and N1, F0, F1 (E0 is gone)
    assert sum(line.amount for line in mar.lines if not line.adjustment) == 2 * 13_100 + 3 * 25_600
    assert (show_invoice(uow(), jan), show_invoice(uow(), feb)) == stored  # never edited
    # what the books say the sponsor owes is what the member-months say, month by month
    owed = ledger(uow)
    member_months = 3 * 3 * 13_100 + 2 * 3 * 25_600  # E0..E2 and F0, F1 for three months
    member_months += 3 * 25_600 - 2 * 13_100  # N1 for three months, less E0's February, March
    assert owed[acct(K.ADMIN_FEE_RECEIVABLE)] + owed[acct(K.STOP_LOSS_PREMIUM_RECEIVABLE)] == (
        member_months
    )


def test_a_credit_larger_than_the_month_is_posted_as_a_credit(database_url: str) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(2, 0))
    run(uow, JAN)
    with uow() as u:
        for member in ("E0", "E1"):  # both terminated retroactively, before January
            u.members.replace_enrolments(
                member, [Enrolment(member, "medical", JAN, date(2025, 12, 31))]
            )
        u.commit()
    feb = show_invoice(uow(), run(uow, FEB))
    assert feb.total == -2 * 13_100
    owed = ledger(uow)
    assert acct(K.ADMIN_FEE_RECEIVABLE) not in owed
    assert acct(K.STOP_LOSS_PREMIUM_PAYABLE, "summit-re") not in owed
    with pytest.raises(InvoiceError, match=r"has 0\.00 outstanding, not 1\.00"):
        record_payment(uow(), feb.id, 100, FEB, actor="t", at=AT)


def test_invoices_run_month_after_month(database_url: str) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(1, 0))
    run(uow, FEB)
    with pytest.raises(InvoiceError, match="acme is invoiced through 2026-02; 2026-01 was never"):
        run_invoice(uow(), "acme", JAN, actor="t", at=AT)
    with pytest.raises(InvoiceError, match="the next invoice of acme is for 2026-03, not 2026-04"):
        run_invoice(uow(), "acme", date(2026, 4, 1), actor="t", at=AT)
    with pytest.raises(InvoiceError, match="no fee contract is loaded for sponsor globex"):
        run_invoice(uow(), "globex", JAN, actor="t", at=AT)


def test_a_payment_settles_the_premium_first_and_never_more_than_is_owed(
    database_url: str,
) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(1, 0))
    invoice = run(uow, JAN)  # fees 40.00, premiums 91.00
    view = record_payment(uow(), invoice, 10_000, JAN + timedelta(days=9), actor="t", at=AT)
    assert view.outstanding == 3_100
    owed = ledger(uow)
    assert acct(K.STOP_LOSS_PREMIUM_RECEIVABLE) not in owed
    assert owed[acct(K.ADMIN_FEE_RECEIVABLE)] == 3_100
    with pytest.raises(InvoiceError, match=r"invoice 1 has 31\.00 outstanding, not 31\.01"):
        record_payment(uow(), invoice, 3_101, JAN, actor="t", at=AT)
    record_payment(uow(), invoice, 3_100, JAN, actor="t", at=AT)
    owed = ledger(uow)
    assert acct(K.ADMIN_FEE_RECEIVABLE) not in owed
    assert owed[acct(K.BANK_CLEARING)] == 13_100
    assert [amount for _, amount in show_invoice(uow(), invoice).payments] == [10_000, 3_100]


# --- the invariant over random enrolment changes and invoice runs, on the database ----------

MEMBERS = 4
SPONSORS = itertools.count(1)
spans = st.tuples(
    st.integers(0, 5), st.one_of(st.none(), st.integers(0, 5)), st.sampled_from(["EE", "FAM"])
)
changes = st.lists(
    st.dictionaries(st.integers(0, MEMBERS - 1), spans, max_size=MEMBERS), min_size=1, max_size=6
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=changes)
def test_invoiced_less_adjustments_equals_the_member_months_and_the_books_balance(
    database_url: str,
    tmp_path: Path,
    steps: list[dict[int, tuple[int, int | None, TierCode]]],
) -> None:
    sponsor = f"s{next(SPONSORS)}"  # a sponsor of its own for each example
    uow = books(database_url, sponsor, tmp_path)
    people = [
        Member(f"{sponsor}-{i}", f"{sponsor}-{i}", "subscriber", "EE", sponsor)
        for i in range(MEMBERS)
    ]
    enrol(uow(), people, [])
    total = 0
    for number, step in enumerate(steps):
        with uow() as u:
            for index, (start, length, tier) in step.items():
                first = add_months(JAN, start)
                last = None if length is None else add_months(first, length) - timedelta(days=1)
                span = Enrolment(people[index].id, "medical", first, last, tier)
                u.members.replace_enrolments(
                    people[index].id, [span] if last is None or last >= first else []
                )
            u.commit()
        total += show_invoice(uow(), run(uow, add_months(JAN, number), sponsor)).total
        owed = ledger(uow, sponsor)
        assert sum(owed.values()) == 0
        assert (
            owed.get(acct(K.ADMIN_FEE_RECEIVABLE, sponsor=sponsor), 0)
            + owed.get(acct(K.STOP_LOSS_PREMIUM_RECEIVABLE, sponsor=sponsor), 0)
            == total
        )
    with uow() as u:
        contract = contract_of(u, sponsor)
        now = {s.member_id: s for s in u.invoices.spans(sponsor, "medical")}
    months = [add_months(JAN, i) for i in range(len(steps))]
    expected = sum(
        sum(rates_for(contract.terms_for(m), m, span.tier or "EE").values())
        for span in now.values()
        for m in months
        if span.covers(m)
    )
    assert total == expected


def test_two_runs_of_one_month_at_once_make_one_invoice(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        pytest.skip("SQLite has one writer at a time; the race is PostgreSQL's")
    uow = books(database_url)
    enrol_from(uow, employees(3, 2))
    barrier = threading.Barrier(2)
    results: list[tuple[int, bool]] = []

    def invoice() -> None:
        barrier.wait()
        results.append(run_invoice(uow(), "acme", JAN, actor="t", at=AT))

    workers = [threading.Thread(target=invoice) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(made for _, made in results) == [False, True]
    assert len({invoice_id for invoice_id, _ in results}) == 1
    with uow() as u:
        assert len(u.payments.entries("acme")) == 2


def test_collected_premium_is_remitted_to_the_carrier_never_more_than_was_collected(
    database_url: str,
) -> None:
    uow = books(database_url)
    enrol_from(uow, employees(120, 80))
    invoice_id = run(uow, JAN)  # $8,000 fees + $28,200 premium (domain.md §5's rates)
    remit = functools.partial(remit_premium, actor="t", at=AT)
    with pytest.raises(RemittanceError, match=r"never invoiced .* for other-re; owed: summit-re"):
        remit(uow(), "acme", "other-re", JAN, "W-0")
    assert remit(uow(), "acme", "summit-re", JAN, "W-0") == 0  # billed, nothing collected yet
    record_payment(uow(), invoice_id, 1_000_000, date(2026, 1, 20), actor="t", at=AT)
    assert remit(uow(), "acme", "summit-re", date(2026, 1, 21), "W-1") == 1_000_000
    assert remit(uow(), "acme", "summit-re", date(2026, 1, 21), "W-1b") == 0  # sent already
    record_payment(uow(), invoice_id, 2_620_000, date(2026, 1, 30), actor="t", at=AT)
    assert remit(uow(), "acme", "summit-re", date(2026, 1, 31), "W-2") == 1_820_000
    owed = ledger(uow)
    assert acct(K.STOP_LOSS_PREMIUM_PAYABLE, "summit-re") not in owed  # remitted in full
    assert owed[acct(K.BANK_CLEARING)] == 800_000  # the fees are the TPA's to keep
    assert sum(owed.values()) == 0
    with pytest.raises(RemittanceError, match="reference"):
        remit(uow(), "acme", "summit-re", JAN, " ")


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=st.lists(st.one_of(st.integers(1, 4_000_000), st.none()), min_size=1, max_size=8))
def test_remitted_premium_never_exceeds_collected_or_owed_and_the_books_balance(
    database_url: str, tmp_path: Path, steps: list[int | None]
) -> None:
    """Each step: the sponsor pays an amount (capped at what is outstanding), or the TPA
    remits. Over two months' invoices, remitted ≤ premium collected ≤ premium billed."""
    sponsor = f"r{next(SPONSORS)}"
    uow = books(database_url, sponsor, tmp_path)
    people = [
        Member(f"{sponsor}-{i}", f"{sponsor}-{i}", "subscriber", "FAM" if i > 2 else "EE", sponsor)
        for i in range(5)
    ]
    enrol_from(uow, people)
    invoices = [run(uow, JAN, sponsor), run(uow, FEB, sponsor)]
    billed = sum(show_invoice(uow(), i).premiums for i in invoices)
    remitted = collected = 0
    for step in steps:
        if step is None:
            remitted += remit_premium(uow(), sponsor, "summit-re", FEB, "W", actor="t", at=AT)
        else:
            views = [show_invoice(uow(), i) for i in invoices]
            view = next(v for v in views if v.outstanding)
            paid = min(step, view.outstanding)
            premium_part = min(paid, view.premiums - min(view.paid, view.premiums))
            record_payment(uow(), view.id, paid, FEB, actor="t", at=AT)
            collected += premium_part
        assert remitted <= collected <= billed
        owed = ledger(uow, sponsor)
        assert sum(owed.values()) == 0
        payable = -owed.get(acct(K.STOP_LOSS_PREMIUM_PAYABLE, "summit-re", sponsor), 0)
        assert payable == billed - remitted >= 0
        if all(show_invoice(uow(), i).outstanding == 0 for i in invoices):
            break
