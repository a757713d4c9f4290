"""Specific filings over random paid claims (hypothesis): amounts, the ledger, the aggregate."""

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from openaso.core.dates import ONE_DAY, add_months
from openaso.core.ledger import (
    Account,
    AccountKind,
    Entry,
    LedgerEvent,
    StopLossReimbursementFiled,
    StopLossReimbursementReceived,
    StopLossReimbursementRefunded,
    StopLossReimbursementWithdrawn,
    balance_of,
    balances,
    entries_for,
)
from openaso.core.stoploss import (
    PaidClaim,
    StopLossPolicy,
    aggregate_report,
    specific_filings_due,
    specific_positions,
)
from tests.unit.test_stoploss_properties import ENROLLED, paid_claims, policies

FILING_DAYS = st.lists(st.dates(date(2026, 1, 1), date(2027, 6, 30)), min_size=1, max_size=6)


def _file_on(
    policy: StopLossPolicy, claims: list[PaidClaim], filed: dict[str, int], day: date
) -> list[tuple[str, int]]:
    made = []
    for due in specific_filings_due(policy, claims, filed, through=day):
        filed[due.member_id] = filed.get(due.member_id, 0) + due.amount
        made.append((due.member_id, due.amount))
    return made


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims(), FILING_DAYS)
def test_what_is_filed_for_a_claimant_is_their_reimbursable_excess_and_never_more(
    policy: StopLossPolicy, claims: list[PaidClaim], days: list[date]
) -> None:
    filed: dict[str, int] = {}
    for day in sorted(days):
        _file_on(policy, claims, filed, day)
        for position in specific_positions(policy, claims, through=day):
            assert filed.get(position.member_id, 0) == position.reimbursable
            cap = 0 if position.deductible is None else max(0, position.paid - position.deductible)
            assert 0 <= filed.get(position.member_id, 0) <= cap


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims(), FILING_DAYS)
def test_filing_again_with_nothing_new_files_nothing(
    policy: StopLossPolicy, claims: list[PaidClaim], days: list[date]
) -> None:
    filed: dict[str, int] = {}
    for day in sorted(days):
        _file_on(policy, claims, filed, day)
        assert _file_on(policy, claims, filed, day) == []


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims(), FILING_DAYS, st.data())
def test_the_ledger_balances_after_every_filing_and_receipt(
    policy: StopLossPolicy, claims: list[PaidClaim], days: list[date], data: st.DataObject
) -> None:
    receivable = Account(AccountKind.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, "acme", "c")
    entries: list[Entry] = []
    outstanding: dict[str, int] = {}  # filing id → signed amount not yet received or refunded
    filed: dict[str, int] = {}
    for day in sorted(days):
        for number, (_, amount) in enumerate(_file_on(policy, claims, filed, day)):
            filing = f"{day}-{number}"
            event: LedgerEvent = (
                StopLossReimbursementFiled("acme", day, filing, "c", "specific", amount)
                if amount > 0
                else StopLossReimbursementWithdrawn("acme", day, filing, "c", "specific", -amount)
            )
            entries.append(entries_for(event))
            outstanding[filing] = amount
            assert sum(balances(entries).values()) == 0
            assert balance_of(entries, receivable) == sum(outstanding.values())
        for filing, left in list(outstanding.items()):
            paid = data.draw(st.integers(0, abs(left)))  # nothing, part, or all of it
            if paid:
                entries.append(
                    entries_for(
                        StopLossReimbursementReceived("acme", day, filing, "c", paid)
                        if left > 0
                        else StopLossReimbursementRefunded("acme", day, filing, "c", paid)
                    )
                )
                outstanding[filing] = left - paid if left > 0 else left + paid
            assert sum(balances(entries).values()) == 0
            assert balance_of(entries, receivable) == sum(outstanding.values())
    # what the plan keeps as reimbursed is what was filed, however much has arrived
    kept = balance_of(entries, Account(AccountKind.STOP_LOSS_REIMBURSEMENTS, "acme"))
    assert -kept == sum(filed.values())


@settings(max_examples=150, deadline=None)
@given(policies(), paid_claims(), st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_aggregate_claims_never_count_a_dollar_the_specific_cover_reimburses(
    policy: StopLossPolicy, claims: list[PaidClaim], day: date
) -> None:
    report = aggregate_report(policy, claims, ENROLLED, day)
    month_end = add_months(report.month, 1) - ONE_DAY
    through_month = specific_positions(policy, claims, through=month_end)
    assert report.specific_excess >= sum(p.reimbursable for p in through_month)
    if not policy.aggregate or not policy.aggregate.asd_retention_counts:
        assert report.specific_excess >= sum(p.excess for p in through_month)
    assert report.aggregate_claims <= report.eligible_paid - sum(
        p.reimbursable for p in through_month
    )
