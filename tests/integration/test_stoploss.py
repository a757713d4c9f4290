"""domain.md §4.6 end to end through stored paid claims, on both databases.

The book: acme, 120 employee-only and 80 family employees on acme-ppo-2026, and the
stop-loss policy tests/fixtures/stoploss/good/acme-sl-2026.yaml ($100k specific, L1 lasered at
$250k, a $50k ASD, 12/15, aggregate factors $450 / $1,250, accommodation). Claims are received,
adjudicated and paid by monthly payment runs, each funded the day it runs. Every claim is a
single line repriced (allowed) at its billed amount; the first claim of a member costs them
the $5,000 out-of-pocket maximum ($1,500 deductible + 20% of the next $17,500), later ones
nothing, so the plan pays:
  B1: $90k − $5k = $85k in March, then $85k in April, May and June: $340k;
  L1: $105k − $5k = $100k in July, then $100k in August and September: $300k;
  83 others (E0..E82): $25k − $5k = $20k each, one a month in turn from January: $1,660,000.
Total paid $2,300,000, all incurred and paid in 2026.
"""

from datetime import date
from pathlib import Path

import pytest

from openaso.adapters.files.stoploss_document import load_stoploss
from openaso.adapters.files.yaml_source import read_yaml
from openaso.core.ledger import Account, AccountKind, balances
from openaso.services.lifecycle import void_claim
from openaso.services.stoploss import load_policy, record_notices, status
from openaso.services.stoploss_filings import (
    file_specific,
    monthly_report,
    receive,
    settlement,
)
from tests.integration.books import AT, open_book, subscriber
from tests.integration.stoploss_book import (
    CARRIER,
    POLICY,
    USD,
    Book,
    acme_members,
    pay_and_fund,
    receive_month,
    with_policy,
)


def _books_balance(book: Book) -> dict[Account, int]:
    with book() as uow:
        entries = uow.payments.entries("acme")
        filings = uow.stoploss.filings("acme-sl-2026")
    totals = balances(entries)
    assert sum(totals.values()) == 0
    receivable = Account(AccountKind.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, "acme", CARRIER)
    assert totals.get(receivable, 0) == sum(f.outstanding for f in filings)
    return totals


@pytest.fixture
def book(database_url: str) -> Book:
    return with_policy(open_book(database_url, acme_members()))


@pytest.fixture
def small_book(database_url: str) -> Book:
    """B1 with one employee-only and one family colleague: for what needs B1's claims only."""
    members = [subscriber("B1"), subscriber("E0"), subscriber("F0", tier="FAM")]
    return with_policy(open_book(database_url, members))


def test_the_worked_example_from_paid_claims_to_filings_and_settlement(book: Book) -> None:
    for month in range(1, 7):
        receive_month(book, month)
        pay_and_fund(book, date(2026, month, 25))
    # June: B1 has $340k paid, $240k excess, of which the ASD keeps the first $50k
    [b1] = [
        c
        for c in status(book(), "acme", date(2026, 6, 30)).claimants
        if c.position.member_id == "B1"
    ]
    assert (b1.position.paid, b1.position.excess) == (340_000 * USD, 240_000 * USD)
    assert b1.position.reimbursable == 190_000 * USD
    new, on_file = record_notices(book(), "acme", date(2026, 6, 30), at=AT, actor="tpa")
    # B1 passed $50k (50% of $100k) with March's $85k, and March's claim has C50.911
    assert {(n.member_id, n.reason, n.claim_id) for n in new} == {
        ("B1", "threshold", "B1-3"),
        ("B1", "diagnosis", "B1-3"),
    }
    assert record_notices(book(), "acme", date(2026, 6, 30), at=AT, actor="tpa")[0] == ()
    assert len(on_file) == 2

    [june] = file_specific(book(), "acme", date(2026, 6, 30), filed_on=date(2026, 7, 1),
                           actor="tpa", at=AT)  # fmt: skip
    assert (june.member_id, june.amount) == ("B1", 190_000 * USD)
    assert [c["claim_id"] for c in june.detail["claims"]] == ["B1-3", "B1-4", "B1-5", "B1-6"]
    assert [c["amount"] for c in june.detail["claims"]] == [85_000 * USD] * 4
    assert file_specific(book(), "acme", date(2026, 6, 30), filed_on=date(2026, 7, 1),
                         actor="tpa", at=AT) == []  # fmt: skip
    _books_balance(book)

    # The June aggregate report: 6 × $154,000 = $924,000 attached; eligible paid $1,180,000
    # (B1 $340k + 42 others × $20k), less B1's $240k excess = $940,000: $16,000 accommodation
    june_report = monthly_report(
        book(), "acme", date(2026, 6, 1), file_on=date(2026, 7, 1), actor="tpa", at=AT
    )
    report, enrolled, advance = june_report.report, june_report.enrolled, june_report.filing
    assert june_report.attachments == (154_000 * USD,) * 6
    assert enrolled[date(2026, 6, 1)] == {"EE": 120, "FAM": 80}
    assert report.attachment == 924_000 * USD
    assert (report.eligible_paid, report.specific_excess) == (1_180_000 * USD, 240_000 * USD)
    assert report.accommodation_due == 16_000 * USD
    assert advance is not None
    assert advance.amount == 16_000 * USD
    again = monthly_report(
        book(), "acme", date(2026, 6, 1), file_on=date(2026, 7, 2), actor="tpa", at=AT
    )
    assert again.report.accommodation_due == 0
    assert again.filing is None
    assert again.reports[-1].advanced == 16_000 * USD

    # The carrier pays B1's filing in two parts
    receive(book(), june.id, 100_000 * USD, date(2026, 7, 20), actor="tpa", at=AT)
    paid = receive(book(), june.id, 90_000 * USD, date(2026, 8, 3), actor="tpa", at=AT)
    assert paid.outstanding == 0
    with pytest.raises(ValueError, match="outstanding"):
        receive(book(), june.id, 1, date(2026, 8, 4), actor="tpa", at=AT)
    _books_balance(book)

    for month in range(7, 13):
        receive_month(book, month)
        pay_and_fund(book, date(2026, month, 25))
    [december] = file_specific(book(), "acme", date(2026, 12, 31), filed_on=date(2027, 1, 5),
                               actor="tpa", at=AT)  # fmt: skip
    # L1: $300k − the $250k laser = $50k (the ASD was used up by B1); B1 is already filed
    assert (december.member_id, december.amount) == ("L1", 50_000 * USD)
    with book() as uow:
        specific = [f.amount for f in uow.stoploss.filings("acme-sl-2026", "specific")]
    assert sum(specific) == 240_000 * USD  # $290k of excess less the $50k ASD

    # The year: $2,300,000 paid − $290,000 specific excess = $2,010,000 against $1,848,000
    _, settled, _, _ = settlement(book(), "acme", date(2027, 1, 15))
    assert settled.eligible_paid == 2_300_000 * USD
    assert settled.specific_excess == 290_000 * USD
    assert settled.attachment == 1_848_000 * USD
    assert settled.reimbursement == 162_000 * USD
    assert settled.balance == 146_000 * USD  # less the $16,000 advanced in July
    with pytest.raises(ValueError, match="closes on 2027-03-31"):
        settlement(book(), "acme", date(2027, 1, 15), file=True, actor="tpa", at=AT)
    totals = _books_balance(book)
    assert totals[Account(AccountKind.STOP_LOSS_REIMBURSEMENTS, "acme")] == -256_000 * USD
    # once the 12/15 paid window has closed, the balance is filed, once
    _, _, _, final = settlement(book(), "acme", date(2027, 4, 1), file=True, actor="tpa", at=AT)
    assert final is not None
    assert (final.kind, final.amount) == ("aggregate", 146_000 * USD)
    assert settlement(book(), "acme", date(2027, 4, 2), file=True, actor="tpa", at=AT)[3] is None
    totals = _books_balance(book)
    # $240k specific + $16k accommodation + $146k aggregate
    assert totals[Account(AccountKind.STOP_LOSS_REIMBURSEMENTS, "acme")] == -402_000 * USD


def test_a_void_after_filing_files_a_negative_supplement_and_a_refund(small_book: Book) -> None:
    book = small_book
    for month in range(3, 7):
        receive_month(book, month, only="B1")
        pay_and_fund(book, date(2026, month, 25))
    [filed] = file_specific(book(), "acme", date(2026, 6, 30), filed_on=date(2026, 7, 1),
                            actor="tpa", at=AT)  # fmt: skip
    receive(book(), filed.id, filed.amount, date(2026, 7, 20), actor="tpa", at=AT)
    # B1's May claim ($85k) is voided and taken back in the July run
    void_claim(book(), "B1-5", "billed in error", "examiner", AT)
    pay_and_fund(book, date(2026, 7, 25))
    [supplement] = file_specific(book(), "acme", date(2026, 7, 31), filed_on=date(2026, 8, 1),
                                 actor="tpa", at=AT)  # fmt: skip
    # B1: $255k paid, $155k excess, $50k ASD: $105k reimbursable, $190k filed: −$85k
    assert (supplement.member_id, supplement.amount) == ("B1", -85_000 * USD)
    assert [c["amount"] for c in supplement.detail["claims"]][-1] == -85_000 * USD
    totals = _books_balance(book)
    receivable = Account(AccountKind.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, "acme", CARRIER)
    assert totals[receivable] == -85_000 * USD  # the carrier is owed its money back
    receive(book(), supplement.id, 85_000 * USD, date(2026, 8, 10), actor="tpa", at=AT)
    assert receivable not in _books_balance(book)


def test_a_changed_policy_document_is_a_new_version_and_an_unchanged_one_is_not(
    small_book: Book, tmp_path: Path
) -> None:
    book = small_book
    document = read_yaml(POLICY)
    policy, _ = load_stoploss(document)
    assert policy is not None
    again = load_policy(book(), policy, document.data, "again", sponsor="acme", actor="t", at=AT)
    assert again == 1
    changed = tmp_path / "acme-sl-2026.yaml"
    changed.write_text(POLICY.read_text().replace("notice_percent: 50", "notice_percent: 40"))
    document = read_yaml(changed)
    policy, _ = load_stoploss(document)
    assert policy is not None
    version = load_policy(book(), policy, document.data, "new", sponsor="acme", actor="t", at=AT)
    assert version == 2
    with book() as uow:
        [(in_force, number)] = uow.stoploss.policies_of("acme")
    assert number == 2
    assert in_force.specific is not None
    assert in_force.specific.notice_percent == 4_000
    with pytest.raises(ValueError, match="for sponsor acme, not globex"):
        load_policy(book(), policy, document.data, "x", sponsor="globex", actor="t", at=AT)
