"""Issue 5's done-when: a scripted plan year, on both databases, ends with books that balance to
the cent, stop-loss filings at the hand-computed amounts and a plan-year summary tied to them.

The book and claims are those of test_stoploss.py (domain.md §4.6: 120 employee-only and 80
family employees; B1 a large claimant, L1 lasered at $250k, 83 others one $25k claim each), with
what an administrator does around them: the fee contract (admin $30 + network $10 PEPM; working
rates $491 / $1,256) invoiced and paid every month, a payment run every Friday funded the same
day, and E0's January claim (plan paid $20,000) voided on 2 February — recovered from the
provider in the next run. Worked by hand:
- paid claims: $2,300,000 − $20,000 voided = $2,280,000, all funded by the sponsor;
- specific: B1 paid $340,000 − $100,000 deductible − $50,000 ASD = $190,000; L1 $300,000 −
  $250,000 laser = $50,000: $240,000 filed at year end and received;
- fees 200 × $40 × 12 = $96,000; premiums (120 × ($85 + $6) + 80 × ($210 + $6)) × 12 = $338,400;
- budget (120 × $491 + 80 × $1,256) × 12 = $1,912,800; net cost 2,280,000 − 240,000 + 96,000 +
  338,400 = $2,474,400: a deficit of $561,600;
- maximum claims liability: attachment (120 × $450 + 80 × $1,250) × 12 = $1,848,000 + L1's laser
  retention $150,000 + ASD $50,000 + fixed costs $434,400 = $2,482,400.
"""

import shutil
from datetime import date, timedelta
from pathlib import Path

from openaso.adapters.files.fee_contract import load_contract_file
from openaso.core.ledger import Account, AccountKind, balances
from openaso.services.invoicing import load_contract as load_fee_contract
from openaso.services.invoicing import record_payment, run_invoice, show_invoice
from openaso.services.lifecycle import void_claim
from openaso.services.planyear import plan_year_summary
from openaso.services.stoploss import record_notices
from openaso.services.stoploss_filings import file_specific, receive
from tests.integration.books import AT, open_book
from tests.integration.stoploss_book import (
    POLICY,
    Book,
    acme_members,
    pay_and_fund,
    receive_month,
    with_policy,
)

USD = 100
CONTRACT = """\
effective: 2026-01-01
coverage: medical
admin_fee: 30.00
network_fee: {EE: 10, FAM: 10}
working_rates: {EE: 491, FAM: 1256}
stoploss_policy: acme-sl-2026.yaml
"""


def _fridays(year: int) -> list[date]:
    day = date(year, 1, 1)
    day += timedelta(days=(4 - day.weekday()) % 7)
    found = []
    while day.year == year:
        found.append(day)
        day += timedelta(days=7)
    return found


def _contract(book: Book, folder: Path) -> None:
    shutil.copy(POLICY, folder / "acme-sl-2026.yaml")
    (folder / "acme-fees.yaml").write_text(CONTRACT)
    loaded, findings = load_contract_file(folder / "acme-fees.yaml", "acme")
    assert loaded is not None, findings
    load_fee_contract(book(), loaded, str(folder / "acme-fees.yaml"), actor="tpa", at=AT)


def _invoice_and_collect(book: Book, month: int) -> None:
    invoice_id, made = run_invoice(book(), "acme", date(2026, month, 1), actor="tpa", at=AT)
    assert made
    view = show_invoice(book(), invoice_id)
    assert view.fees + view.premiums == 36_200 * USD  # 200 × $40 + 120 × $91 + 80 × $216
    record_payment(book(), invoice_id, view.fees + view.premiums, date(2026, month, 5),
                   actor="sponsor", at=AT)  # fmt: skip


def test_a_scripted_plan_year_balances_files_by_hand_and_ties_its_summary_to_the_ledger(
    database_url: str, tmp_path: Path
) -> None:
    book = with_policy(open_book(database_url, acme_members()))
    _contract(book, tmp_path)
    received: set[int] = set()
    for friday in _fridays(2026):
        if friday.day <= 7:
            _invoice_and_collect(book, friday.month)
        if friday.day >= 12 and friday.month not in received:
            received.add(friday.month)
            receive_month(book, friday.month)
        if friday == date(2026, 2, 6):
            void_claim(book(), "O0", "billed in error", "examiner", AT)
        pay_and_fund(book, friday)
    assert received == set(range(1, 13))

    record_notices(book(), "acme", date(2026, 12, 31), at=AT, actor="tpa")
    filings = file_specific(book(), "acme", date(2026, 12, 31), filed_on=date(2026, 12, 31),
                            actor="tpa", at=AT)  # fmt: skip
    assert {(f.member_id, f.amount) for f in filings} == {
        ("B1", 190_000 * USD),
        ("L1", 50_000 * USD),
    }
    for filing in filings:
        receive(book(), filing.id, filing.amount, date(2026, 12, 31), actor="carrier", at=AT)

    with book() as uow:
        entries = uow.payments.entries("acme")
    totals = balances(entries)
    assert all(sum(p.amount for p in entry.postings) == 0 for entry in entries)
    assert sum(totals.values()) == 0
    assert totals.get(Account(AccountKind.CLAIMS_FUND, "acme"), 0) == 240_000 * USD  # carrier's

    summary = plan_year_summary(book(), "acme", 2026)
    books = summary.ledger
    assert books.paid_claims == books.funded == 2_280_000 * USD
    assert books.stop_loss_reimbursed == 240_000 * USD
    assert (books.fees, books.premiums) == (96_000 * USD, 338_400 * USD)
    assert dict(summary.member_months) == {"EE": 1_440, "FAM": 960}
    assert summary.budget == 1_912_800 * USD
    assert summary.net_cost == 2_474_400 * USD
    assert summary.surplus == -561_600 * USD
    assert summary.liability is not None
    assert summary.liability.total == 2_482_400 * USD
