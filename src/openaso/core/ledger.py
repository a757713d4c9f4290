"""The double-entry ledger: accounts, balanced entries, and the one place events become postings.

Amounts are cents, **debit positive and credit negative**, so an entry balances when its
postings sum to zero. The ledger is append-only: a correction is `reverse(entry)` plus a new
entry, never an edit. `entries_for(event)` is the only function that turns a business event
(a claim line approved, a payment issued, funding received, a stop-loss reimbursement...) into
postings; services append what it returns and read balances back with `balances(entries)`.

The books are the plan's money as the TPA administers it for one or more sponsors: every
account is keyed by sponsor, and the payee, carrier or nobody it is held against.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Literal, assert_never

from openaso.core.money import Cents


class AccountKind(StrEnum):
    # cash: the sponsor-funded claims account, and fee/premium money moving outside it
    CLAIMS_FUND = "claims_fund"
    BANK_CLEARING = "bank_clearing"
    # owed to the plan or the TPA
    FUNDING_RECEIVABLE = "funding_receivable"
    ADMIN_FEE_RECEIVABLE = "admin_fee_receivable"
    STOP_LOSS_PREMIUM_RECEIVABLE = "stop_loss_premium_receivable"
    STOP_LOSS_REIMBURSEMENT_RECEIVABLE = "stop_loss_reimbursement_receivable"
    RECOVERIES_RECEIVABLE = "recoveries_receivable"
    # owed by the plan
    PROVIDER_PAYABLE = "provider_payable"
    MEMBER_REIMBURSEMENT_PAYABLE = "member_reimbursement_payable"
    STOP_LOSS_PREMIUM_PAYABLE = "stop_loss_premium_payable"
    # the sponsor's cost of the plan, what funds it and what offsets it; the TPA's fees
    SPONSOR_FUNDING = "sponsor_funding"
    CLAIMS_EXPENSE = "claims_expense"
    STOP_LOSS_REIMBURSEMENTS = "stop_loss_reimbursements"
    RECOVERY_WRITE_OFFS = "recovery_write_offs"
    ADMIN_FEES_EARNED = "admin_fees_earned"

    @property
    def normal_balance(self) -> Literal["debit", "credit"]:
        """The side a healthy balance sits on (a payable is a credit, shown positive)."""
        return "debit" if self in _DEBIT_NORMAL else "credit"


_DEBIT_NORMAL = frozenset(
    {
        AccountKind.CLAIMS_FUND,
        AccountKind.BANK_CLEARING,
        AccountKind.FUNDING_RECEIVABLE,
        AccountKind.ADMIN_FEE_RECEIVABLE,
        AccountKind.STOP_LOSS_PREMIUM_RECEIVABLE,
        AccountKind.STOP_LOSS_REIMBURSEMENT_RECEIVABLE,
        AccountKind.RECOVERIES_RECEIVABLE,
        AccountKind.CLAIMS_EXPENSE,
        AccountKind.RECOVERY_WRITE_OFFS,
    }
)
_K = AccountKind


@dataclass(frozen=True, slots=True)
class Account:
    """One account: its kind, the sponsor, and the party it is held against ("" for none).

    The party is a payee (`provider:<NPI>`, `member:<id>`) for payables and recoveries, and the
    carrier for stop-loss premiums payable and reimbursements receivable.
    """

    kind: AccountKind
    sponsor: str
    party: str = ""

    def __str__(self) -> str:
        return f"{self.sponsor}/{self.kind}" + (f"/{self.party}" if self.party else "")


@dataclass(frozen=True, slots=True)
class Posting:
    account: Account
    amount: Cents  # debit positive, credit negative


class UnbalancedEntryError(ValueError):
    """An entry whose postings do not sum to zero: a bug in the caller, never data."""


@dataclass(frozen=True, slots=True)
class Entry:
    """Postings that sum to zero, dated, with a memo naming the business event."""

    on: date
    memo: str
    postings: tuple[Posting, ...]

    def __post_init__(self) -> None:
        if not isinstance(self.postings, tuple) or len(self.postings) < 2:
            raise UnbalancedEntryError(f"{self.memo}: an entry needs at least two postings")
        for posting in self.postings:
            if isinstance(posting.amount, bool) or not isinstance(posting.amount, int):
                raise UnbalancedEntryError(f"{self.memo}: {posting.account}: amounts are int cents")
            if posting.amount == 0:
                raise UnbalancedEntryError(f"{self.memo}: {posting.account}: a posting of zero")
        total = sum(p.amount for p in self.postings)
        if total != 0:
            raise UnbalancedEntryError(f"{self.memo}: postings sum to {total} cents, not zero")


def reverse(entry: Entry, on: date | None = None) -> Entry:
    """The entry that cancels `entry` (dated `on`, or the same day): the only way to correct."""
    return Entry(
        on or entry.on,
        f"reversal of: {entry.memo}",
        tuple(Posting(p.account, -p.amount) for p in entry.postings),
    )


def balances(entries: Iterable[Entry]) -> dict[Account, Cents]:
    """Each account's balance (debit positive); accounts that net to zero are left out."""
    totals: dict[Account, Cents] = {}
    for entry in entries:
        for posting in entry.postings:
            totals[posting.account] = totals.get(posting.account, 0) + posting.amount
    return {account: amount for account, amount in totals.items() if amount}


def balance_of(entries: Iterable[Entry], account: Account) -> Cents:
    return sum(p.amount for e in entries for p in e.postings if p.account == account)


# --- business events (past tense); every amount is positive cents ---------------------------


@dataclass(frozen=True, slots=True)
class Payee:
    """Who a claim payment goes to: the provider (assigned benefits) or the member."""

    kind: Literal["provider", "member"]
    id: str

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True, slots=True)
class ClaimLineApproved:
    sponsor: str
    on: date
    claim_id: str
    line_number: int
    payee: Payee
    amount: Cents  # plan paid on the line


@dataclass(frozen=True, slots=True)
class PaymentIssued:
    sponsor: str
    on: date
    payment_id: str  # the EFT trace or cheque number (835 TRN02)
    payee: Payee
    method: Literal["eft", "cheque"]
    amount: Cents


@dataclass(frozen=True, slots=True)
class FundingRequested:
    sponsor: str
    on: date
    request_id: str
    amount: Cents  # the payment run's approved payables


@dataclass(frozen=True, slots=True)
class FundingReceived:
    sponsor: str
    on: date
    request_id: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class AdminFeeInvoiced:
    sponsor: str
    on: date
    invoice_id: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class AdminFeePaid:
    sponsor: str
    on: date
    invoice_id: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossPremiumInvoiced:
    """The TPA bills the sponsor the stop-loss premium it will remit to the carrier."""

    sponsor: str
    on: date
    invoice_id: str
    carrier: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossPremiumPaid:
    """The sponsor paid the premium invoice to the TPA."""

    sponsor: str
    on: date
    invoice_id: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossPremiumRemitted:
    sponsor: str
    on: date
    invoice_id: str
    carrier: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossReimbursementFiled:
    sponsor: str
    on: date
    filing_id: str
    carrier: str
    kind: Literal["specific", "aggregate", "accommodation"]
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossReimbursementReceived:
    """The carrier paid a filing; the money goes into the claims fund, never to a payee."""

    sponsor: str
    on: date
    filing_id: str
    carrier: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossReimbursementWithdrawn:
    """A supplementary filing that lowers what was filed (a void after filing): the carrier
    owes that much less, or, once it has paid, is owed it back."""

    sponsor: str
    on: date
    filing_id: str
    carrier: str
    kind: Literal["specific", "aggregate", "accommodation"]
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossReimbursementRefunded:
    """The sponsor paid back, from the claims fund, what a negative filing owes the carrier."""

    sponsor: str
    on: date
    filing_id: str
    carrier: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class RecoveryCreated:
    """A paid claim was voided or reduced: the payee owes the overpayment back."""

    sponsor: str
    on: date
    recovery_id: str
    claim_id: str
    payee: Payee
    amount: Cents


@dataclass(frozen=True, slots=True)
class RecoveryNetted:
    """Withheld from a payment to the same payee (835 PLB `WO`)."""

    sponsor: str
    on: date
    recovery_id: str
    payment_id: str
    payee: Payee
    amount: Cents


@dataclass(frozen=True, slots=True)
class RecoveryRefunded:
    """The payee sent the overpayment back into the claims fund."""

    sponsor: str
    on: date
    recovery_id: str
    payee: Payee
    amount: Cents


@dataclass(frozen=True, slots=True)
class RecoveryWrittenOff:
    sponsor: str
    on: date
    recovery_id: str
    payee: Payee
    amount: Cents


@dataclass(frozen=True, slots=True)
class AdminFeeCredited:
    """A fee invoice credits fees billed before (a retroactive termination or tier change)."""

    sponsor: str
    on: date
    invoice_id: str
    amount: Cents


@dataclass(frozen=True, slots=True)
class StopLossPremiumCredited:
    """A fee invoice credits stop-loss premium billed before; the carrier is owed less."""

    sponsor: str
    on: date
    invoice_id: str
    carrier: str
    amount: Cents


LedgerEvent = (
    ClaimLineApproved
    | PaymentIssued
    | FundingRequested
    | FundingReceived
    | AdminFeeInvoiced
    | AdminFeePaid
    | StopLossPremiumInvoiced
    | StopLossPremiumPaid
    | StopLossPremiumRemitted
    | StopLossReimbursementFiled
    | StopLossReimbursementReceived
    | StopLossReimbursementWithdrawn
    | StopLossReimbursementRefunded
    | RecoveryCreated
    | RecoveryNetted
    | RecoveryRefunded
    | RecoveryWrittenOff
    | AdminFeeCredited
    | StopLossPremiumCredited
)


def entries_for(event: LedgerEvent) -> Entry:
    """The entry that records `event`: debit the first account, credit the second."""
    if isinstance(event.amount, bool) or not isinstance(event.amount, int) or event.amount <= 0:
        raise ValueError(f"{type(event).__name__}: amount must be positive cents")
    s = event.sponsor
    match event:
        case ClaimLineApproved(payee=payee):
            memo = f"claim {event.claim_id} line {event.line_number} approved for {payee}"
            pair = Account(_K.CLAIMS_EXPENSE, s), _payable(s, payee)
        case PaymentIssued(payee=payee):
            memo = f"{event.method} {event.payment_id} issued to {payee}"
            pair = _payable(s, payee), Account(_K.CLAIMS_FUND, s)
        case FundingRequested():
            memo = f"funding request {event.request_id}"
            pair = Account(_K.FUNDING_RECEIVABLE, s), Account(_K.SPONSOR_FUNDING, s)
        case FundingReceived():
            memo = f"funding received for {event.request_id}"
            pair = Account(_K.CLAIMS_FUND, s), Account(_K.FUNDING_RECEIVABLE, s)
        case AdminFeeInvoiced():
            memo = f"admin fee invoice {event.invoice_id}"
            pair = Account(_K.ADMIN_FEE_RECEIVABLE, s), Account(_K.ADMIN_FEES_EARNED, s)
        case AdminFeePaid():
            memo = f"admin fee invoice {event.invoice_id} paid"
            pair = Account(_K.BANK_CLEARING, s), Account(_K.ADMIN_FEE_RECEIVABLE, s)
        case StopLossPremiumInvoiced(carrier=carrier):
            memo = f"stop-loss premium invoice {event.invoice_id} ({carrier})"
            pair = (
                Account(_K.STOP_LOSS_PREMIUM_RECEIVABLE, s),
                Account(_K.STOP_LOSS_PREMIUM_PAYABLE, s, carrier),
            )
        case StopLossPremiumPaid():
            memo = f"stop-loss premium invoice {event.invoice_id} paid"
            pair = Account(_K.BANK_CLEARING, s), Account(_K.STOP_LOSS_PREMIUM_RECEIVABLE, s)
        case StopLossPremiumRemitted(carrier=carrier):
            memo = f"stop-loss premium {event.invoice_id} remitted to {carrier}"
            pair = Account(_K.STOP_LOSS_PREMIUM_PAYABLE, s, carrier), Account(_K.BANK_CLEARING, s)
        case StopLossReimbursementFiled(carrier=carrier):
            memo = f"{event.kind} stop-loss filing {event.filing_id} ({carrier})"
            pair = (
                Account(_K.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, s, carrier),
                Account(_K.STOP_LOSS_REIMBURSEMENTS, s),
            )
        case StopLossReimbursementReceived(carrier=carrier):
            memo = f"stop-loss filing {event.filing_id} reimbursed by {carrier}"
            pair = (
                Account(_K.CLAIMS_FUND, s),
                Account(_K.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, s, carrier),
            )
        case StopLossReimbursementWithdrawn(carrier=carrier):
            memo = f"{event.kind} stop-loss filing {event.filing_id} withdraws ({carrier})"
            pair = (
                Account(_K.STOP_LOSS_REIMBURSEMENTS, s),
                Account(_K.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, s, carrier),
            )
        case StopLossReimbursementRefunded(carrier=carrier):
            memo = f"stop-loss filing {event.filing_id} refunded to {carrier}"
            pair = (
                Account(_K.STOP_LOSS_REIMBURSEMENT_RECEIVABLE, s, carrier),
                Account(_K.CLAIMS_FUND, s),
            )
        case RecoveryCreated(payee=payee):
            memo = f"recovery {event.recovery_id} of claim {event.claim_id} from {payee}"
            pair = _recoverable(s, payee), Account(_K.CLAIMS_EXPENSE, s)
        case RecoveryNetted(payee=payee):
            memo = f"recovery {event.recovery_id} netted in payment {event.payment_id}"
            pair = _payable(s, payee), _recoverable(s, payee)
        case RecoveryRefunded(payee=payee):
            memo = f"recovery {event.recovery_id} refunded by {payee}"
            pair = Account(_K.CLAIMS_FUND, s), _recoverable(s, payee)
        case RecoveryWrittenOff(payee=payee):
            memo = f"recovery {event.recovery_id} written off ({payee})"
            pair = Account(_K.RECOVERY_WRITE_OFFS, s), _recoverable(s, payee)
        case AdminFeeCredited():
            memo = f"admin fee credit on invoice {event.invoice_id}"
            pair = Account(_K.ADMIN_FEES_EARNED, s), Account(_K.ADMIN_FEE_RECEIVABLE, s)
        case StopLossPremiumCredited(carrier=carrier):
            memo = f"stop-loss premium credit on invoice {event.invoice_id} ({carrier})"
            pair = (
                Account(_K.STOP_LOSS_PREMIUM_PAYABLE, s, carrier),
                Account(_K.STOP_LOSS_PREMIUM_RECEIVABLE, s),
            )
        case _:
            assert_never(event)
    debit, credit = pair
    return Entry(event.on, memo, (Posting(debit, event.amount), Posting(credit, -event.amount)))


def _payable(sponsor: str, payee: Payee) -> Account:
    kind = (
        AccountKind.PROVIDER_PAYABLE
        if payee.kind == "provider"
        else AccountKind.MEMBER_REIMBURSEMENT_PAYABLE
    )
    return Account(kind, sponsor, str(payee))


def _recoverable(sponsor: str, payee: Payee) -> Account:
    return Account(AccountKind.RECOVERIES_RECEIVABLE, sponsor, str(payee))


def settle_payee(
    *,
    sponsor: str,
    on: date,
    payment_id: str,
    payee: Payee,
    method: Literal["eft", "cheque"],
    payable: Cents,
    open_recoveries: Sequence[tuple[str, Cents]],
) -> tuple[RecoveryNetted | PaymentIssued, ...]:
    """The events that pay a payee what it is owed, netting its open recoveries first.

    `payable` is the payee's whole payable balance; `open_recoveries` are `(recovery id, amount
    still owed)`, oldest first. A recovery is netted only up to what is left to pay, so a payee
    is never paid a negative amount: what cannot be netted stays receivable for the next
    payment. No `PaymentIssued` comes back when nothing is left to pay (the 835 still shows
    the withholding as PLB `WO`).
    """
    left = payable
    events: list[RecoveryNetted | PaymentIssued] = []
    for recovery_id, owed in open_recoveries:
        netted = min(owed, left)
        if netted > 0:
            events.append(RecoveryNetted(sponsor, on, recovery_id, payment_id, payee, netted))
            left -= netted
    if left > 0:
        events.append(PaymentIssued(sponsor, on, payment_id, payee, method, left))
    return tuple(events)
