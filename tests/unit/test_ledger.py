"""The double-entry ledger: balanced entries, reversals, and business events as postings."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaso.core.ledger import (
    Account,
    AccountKind,
    AdminFeeInvoiced,
    AdminFeePaid,
    ClaimLineApproved,
    Entry,
    FundingReceived,
    FundingRequested,
    LedgerEvent,
    Payee,
    PaymentIssued,
    Posting,
    RecoveryCreated,
    RecoveryNetted,
    RecoveryRefunded,
    RecoveryWrittenOff,
    StopLossPremiumInvoiced,
    StopLossPremiumPaid,
    StopLossPremiumRemitted,
    StopLossReimbursementFiled,
    StopLossReimbursementReceived,
    StopLossReimbursementRefunded,
    StopLossReimbursementWithdrawn,
    UnbalancedEntryError,
    balance_of,
    balances,
    entries_for,
    reverse,
    settle_payee,
)

K = AccountKind
DAY = date(2026, 3, 20)
CLINIC = Payee("provider", "1234567893")
JANE = Payee("member", "E1-02")


def _acct(kind: AccountKind, party: str = "") -> Account:
    return Account(kind, "acme", party)


def _post(events: list[LedgerEvent]) -> list[Entry]:
    return [entries_for(event) for event in events]


def test_an_unbalanced_entry_cannot_be_built() -> None:
    with pytest.raises(UnbalancedEntryError, match="sum to 100 cents"):
        Entry(DAY, "bad", (Posting(_acct(K.CLAIMS_FUND), 500), Posting(_acct(K.CLAIMS_FUND), -400)))


def test_an_entry_needs_two_non_zero_postings() -> None:
    with pytest.raises(UnbalancedEntryError, match="at least two"):
        Entry(DAY, "one", (Posting(_acct(K.CLAIMS_FUND), 0),))
    with pytest.raises(UnbalancedEntryError, match="a posting of zero"):
        Entry(DAY, "zero", (Posting(_acct(K.CLAIMS_FUND), 0), Posting(_acct(K.CLAIMS_FUND), 0)))


def test_an_event_of_zero_or_less_is_refused() -> None:
    with pytest.raises(ValueError, match="positive"):
        entries_for(FundingRequested("acme", DAY, "FR1", 0))


def test_a_weekly_payment_run_is_funded_exactly_and_leaves_nothing_owed() -> None:
    # domain.md §5: the weekly funding request equals that week's approved payables ($31,240)
    entries = _post(
        [
            ClaimLineApproved("acme", DAY, "C1", 1, CLINIC, 3_000_000),
            ClaimLineApproved("acme", DAY, "C2", 1, JANE, 124_000),
            FundingRequested("acme", DAY, "FR1", 3_124_000),
            FundingReceived("acme", DAY, "FR1", 3_124_000),
            PaymentIssued("acme", DAY, "EFT1", CLINIC, "eft", 3_000_000),
            PaymentIssued("acme", DAY, "CHK1", JANE, "cheque", 124_000),
        ]
    )
    assert balances(entries) == {
        _acct(K.CLAIMS_EXPENSE): 3_124_000,
        _acct(K.SPONSOR_FUNDING): -3_124_000,
    }


def test_a_voided_cheque_is_a_reversal_and_the_member_is_owed_again() -> None:
    cheque = entries_for(PaymentIssued("acme", DAY, "CHK1", JANE, "cheque", 124_000))
    entries = [
        entries_for(ClaimLineApproved("acme", DAY, "C2", 1, JANE, 124_000)),
        cheque,
        reverse(cheque, date(2026, 9, 1)),
    ]
    payable = _acct(K.MEMBER_REIMBURSEMENT_PAYABLE, "member:E1-02")
    assert balance_of(entries, payable) == -124_000
    assert entries[-1].memo == "reversal of: cheque CHK1 issued to member:E1-02"
    assert entries[-1].on == date(2026, 9, 1)


def test_fees_and_premiums_pass_through_bank_clearing() -> None:
    entries = _post(
        [
            AdminFeeInvoiced("acme", DAY, "INV1", 800_000),
            StopLossPremiumInvoiced("acme", DAY, "INV1-SL", "summit-re", 3_700_000),
            AdminFeePaid("acme", DAY, "INV1", 800_000),
            StopLossPremiumPaid("acme", DAY, "INV1-SL", 3_700_000),
            StopLossPremiumRemitted("acme", DAY, "INV1-SL", "summit-re", 3_700_000),
        ]
    )
    # what is left is the TPA's fee, collected, and nothing owed to or by anyone
    assert balances(entries) == {
        _acct(K.BANK_CLEARING): 800_000,
        _acct(K.ADMIN_FEES_EARNED): -800_000,
    }


def test_a_stop_loss_reimbursement_goes_into_the_claims_fund() -> None:
    entries = _post(
        [
            StopLossReimbursementFiled("acme", DAY, "SL1", "summit-re", "specific", 24_000_000),
            StopLossReimbursementReceived("acme", DAY, "SL1", "summit-re", 24_000_000),
        ]
    )
    assert balances(entries) == {
        _acct(K.CLAIMS_FUND): 24_000_000,
        _acct(K.STOP_LOSS_REIMBURSEMENTS): -24_000_000,
    }


def test_a_recovery_is_netted_from_the_next_payments_never_below_zero() -> None:
    # claim C9 paid $200 to the clinic, then voided: the clinic owes $200 back
    events: list[LedgerEvent] = [RecoveryCreated("acme", DAY, "R1", "C9", CLINIC, 20_000)]
    events.append(ClaimLineApproved("acme", DAY, "C10", 1, CLINIC, 15_000))
    first = settle_payee(
        sponsor="acme",
        on=DAY,
        payment_id="EFT2",
        payee=CLINIC,
        method="eft",
        payable=15_000,
        open_recoveries=[("R1", 20_000)],
    )
    # $150 owed, $200 to recover: all $150 is withheld, nothing is paid, $50 stays receivable
    assert first == (RecoveryNetted("acme", DAY, "R1", "EFT2", CLINIC, 15_000),)
    events += [*first, ClaimLineApproved("acme", DAY, "C11", 1, CLINIC, 50_000)]
    second = settle_payee(
        sponsor="acme",
        on=DAY,
        payment_id="EFT3",
        payee=CLINIC,
        method="eft",
        payable=50_000,
        open_recoveries=[("R1", 5_000)],
    )
    # $500 owed: the last $50 is withheld and $450 paid
    assert second == (
        RecoveryNetted("acme", DAY, "R1", "EFT3", CLINIC, 5_000),
        PaymentIssued("acme", DAY, "EFT3", CLINIC, "eft", 45_000),
    )
    totals = balances(_post([*events, *second]))
    assert _acct(K.RECOVERIES_RECEIVABLE, "provider:1234567893") not in totals
    assert _acct(K.PROVIDER_PAYABLE, "provider:1234567893") not in totals
    # the plan's net claim cost is what it paid for C10 and C11 less the voided C9
    assert totals[_acct(K.CLAIMS_EXPENSE)] == 15_000 + 50_000 - 20_000


def test_a_recovery_can_be_refunded_or_written_off() -> None:
    entries = _post(
        [
            RecoveryCreated("acme", DAY, "R1", "C9", CLINIC, 20_000),
            RecoveryRefunded("acme", DAY, "R1", CLINIC, 5_000),
            RecoveryWrittenOff("acme", DAY, "R1", CLINIC, 15_000),
        ]
    )
    assert balances(entries) == {
        _acct(K.CLAIMS_FUND): 5_000,
        _acct(K.RECOVERY_WRITE_OFFS): 15_000,
        _acct(K.CLAIMS_EXPENSE): -20_000,
    }


def test_payables_are_credit_normal_and_receivables_debit_normal() -> None:
    assert K.PROVIDER_PAYABLE.normal_balance == "credit"
    assert K.SPONSOR_FUNDING.normal_balance == "credit"
    assert K.RECOVERIES_RECEIVABLE.normal_balance == "debit"
    assert K.CLAIMS_FUND.normal_balance == "debit"


# --- properties ---------------------------------------------------------------------------

amounts = st.integers(1, 10_000_000)
payees = st.sampled_from([CLINIC, JANE, Payee("provider", "1999999984")])
ids = st.sampled_from(["A", "B", "C"])
sponsors = st.sampled_from(["acme", "globex"])
days = st.dates(date(2026, 1, 1), date(2026, 12, 31))
carriers = st.sampled_from(["summit-re", "hcc"])
events = st.one_of(
    st.builds(ClaimLineApproved, sponsors, days, ids, st.integers(1, 9), payees, amounts),
    st.builds(
        PaymentIssued, sponsors, days, ids, payees, st.sampled_from(["eft", "cheque"]), amounts
    ),
    st.builds(FundingRequested, sponsors, days, ids, amounts),
    st.builds(FundingReceived, sponsors, days, ids, amounts),
    st.builds(AdminFeeInvoiced, sponsors, days, ids, amounts),
    st.builds(AdminFeePaid, sponsors, days, ids, amounts),
    st.builds(StopLossPremiumInvoiced, sponsors, days, ids, carriers, amounts),
    st.builds(StopLossPremiumPaid, sponsors, days, ids, amounts),
    st.builds(StopLossPremiumRemitted, sponsors, days, ids, carriers, amounts),
    st.builds(
        StopLossReimbursementFiled,
        sponsors,
        days,
        ids,
        carriers,
        st.sampled_from(["specific", "aggregate", "accommodation"]),
        amounts,
    ),
    st.builds(StopLossReimbursementReceived, sponsors, days, ids, carriers, amounts),
    st.builds(
        StopLossReimbursementWithdrawn,
        sponsors,
        days,
        ids,
        carriers,
        st.sampled_from(["specific", "aggregate", "accommodation"]),
        amounts,
    ),
    st.builds(StopLossReimbursementRefunded, sponsors, days, ids, carriers, amounts),
    st.builds(RecoveryCreated, sponsors, days, ids, ids, payees, amounts),
    st.builds(RecoveryNetted, sponsors, days, ids, ids, payees, amounts),
    st.builds(RecoveryRefunded, sponsors, days, ids, payees, amounts),
    st.builds(RecoveryWrittenOff, sponsors, days, ids, payees, amounts),
)


@given(st.lists(events, max_size=40))
def test_every_entry_balances_and_all_balances_sum_to_zero(batch: list[LedgerEvent]) -> None:
    entries = _post(batch)
    assert all(sum(p.amount for p in e.postings) == 0 for e in entries)
    assert sum(balances(entries).values()) == 0


@given(st.lists(events, max_size=30), st.data())
def test_reversing_entries_restores_the_balances_without_them(
    batch: list[LedgerEvent], data: st.DataObject
) -> None:
    entries = _post(batch)
    undone = data.draw(st.sets(st.integers(0, max(len(entries) - 1, 0))))
    undone = {i for i in undone if i < len(entries)}
    corrected = entries + [reverse(entries[i]) for i in sorted(undone)]
    kept = [e for i, e in enumerate(entries) if i not in undone]
    assert balances(corrected) == balances(kept)


@given(
    st.integers(0, 1_000_000),
    st.lists(st.tuples(ids, st.integers(1, 1_000_000)), max_size=5),
)
def test_netting_a_recovery_never_pays_a_payee_a_negative_amount(
    payable: int, recoveries: list[tuple[str, int]]
) -> None:
    settled = settle_payee(
        sponsor="acme",
        on=DAY,
        payment_id="P",
        payee=CLINIC,
        method="eft",
        payable=payable,
        open_recoveries=recoveries,
    )
    paid = sum(e.amount for e in settled if isinstance(e, PaymentIssued))
    netted = sum(e.amount for e in settled if isinstance(e, RecoveryNetted))
    assert all(e.amount > 0 for e in settled)
    assert paid + netted == payable
    assert netted == min(payable, sum(owed for _, owed in recoveries))
    # posted after the payable, the payee is owed nothing and still owes only the rest
    opening = (
        [entries_for(ClaimLineApproved("acme", DAY, "C", 1, CLINIC, payable))] if payable else []
    )
    totals = balances(opening + _post(list(settled)))
    assert _acct(K.PROVIDER_PAYABLE, str(CLINIC)) not in totals
